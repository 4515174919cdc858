package project

import (
	"context"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// ListSQL is the list as plain SQL computes it (the Filter's WHERE, the
// sorts' ORDER BY, COUNT(*)): the oracle the mirror is tested against.
func (s *Service) ListSQL(ctx context.Context, a *org.Actor, f Filter) ([]int64, int, error) {
	q := s.DB.Reader()
	w := f.where(a)
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := sorts[f.Sort]
	if order == "" {
		order = sorts["-updated_at"]
	}
	if s.DB.Dialect == db.Postgres { // byte order, as Go compares names
		order = strings.ReplaceAll(order, "p.name", `p.name COLLATE "C"`)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id FROM projects p`+w.SQL()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	return ids, total, rows.Err()
}

// WarningKeysSQL lists "rule/project" for every warning in scope, each rule
// as one SQL condition: the oracle for the mirror's warnings.
func (s *Service) WarningKeysSQL(ctx context.Context, a *org.Actor) ([]string, error) {
	q := s.DB.Reader()
	cfg, err := s.settings(ctx, q)
	if err != nil {
		return nil, err
	}
	t := s.today()
	cond, scopeArgs := scopeSQL(a)
	rules := []struct {
		name, from, where string
		arg               civil.Date
	}{
		{"signed_not_registered", "projects p", "p.status = 'active' AND p.stage = 'signed' AND p.signed_on <= ?", t.AddMonths(-cfg.SignedNotRegisteredMonths)},
		{"registered_no_construction", "projects p", "p.status = 'active' AND p.stage = 'registered' AND p.registered_on <= ?", t.AddMonths(-cfg.RegisteredNoConstructionMonths)},
		{"no_tracking", "projects p", "p.status = 'active' AND p.stage <> 'production' AND COALESCE(p.last_tracking_on, p.lead_on) <= ?", t.AddDays(-cfg.NoTrackingDays)},
		{"handover_overdue", "projects p", "p.handover_status = 'pending' AND p.handover_deadline < ?", t},
		{"request_overdue", "projects p JOIN project_requests r ON r.project_id = p.id", "r.status = 'open' AND r.deadline < ?", t},
	}
	var out []string
	for _, r := range rules {
		rows, err := q.QueryContext(ctx, `SELECT p.id FROM `+r.from+` WHERE `+r.where+` AND `+cond, append([]any{r.arg}, scopeArgs...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r.name+"/"+strconv.FormatInt(id, 10))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
