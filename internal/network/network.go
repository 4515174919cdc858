// Package network keeps the people and organisations behind the projects
// (R6, R11): advisors with their appointment letters and terms, partner
// organisations with their agreements, the referral-reward report, the
// investment-intelligence feed, and each unit's promotion staff and their
// training.
package network

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Service is what users do with the promotion network.
type Service struct {
	DB  *db.DB
	Now func() time.Time
}

// New builds the service.
func New(d *db.DB) *Service { return &Service{DB: d, Now: time.Now} }

func (s *Service) now() time.Time { return s.Now().UTC() }

// text checks a text field: required or not, and its length in characters.
func text(v *errs.Validation, field, value string, required bool, max int) {
	n := utf8.RuneCountInString(strings.TrimSpace(value))
	switch {
	case required && n == 0:
		v.Add(field, "必填", "required")
	case utf8.RuneCountInString(value) > max:
		v.Add(field, "过长（最多 "+itoa(max)+" 字）", "too long (at most "+itoa(max)+" characters)")
	}
}

func oneOf(v *errs.Validation, field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.Add(field, "应为 "+strings.Join(allowed, "、")+" 之一", "one of "+strings.Join(allowed, ", "))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func count(ctx context.Context, q db.Querier, query string, args ...any) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, errs.Wrap(err, "count")
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
