package org

import (
	"context"
	"database/sql"
	"errors"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

// PermPersonalData lets a role see personal data in full, one record at a
// time (every view audited); everyone else sees it masked. It belongs to no
// duty of the separation: the security administrator may grant it to
// whoever needs to telephone people, administrators included.
const PermPersonalData = "pii:read"

func init() {
	Permissions = append(Permissions, Permission{PermPersonalData, "system",
		"查看个人信息全文（手机号、证件号、邮箱；每次查看留痕）", "See personal data in full (phones, ID numbers, e-mails; every view audited)"})
	neutral[PermPersonalData] = true
	privileged[PermPersonalData] = true
	for i := range BuiltinRoles {
		if BuiltinRoles[i].Code == "director" {
			BuiltinRoles[i].Perms = append(BuiltinRoles[i].Perms, PermPersonalData)
		}
	}
}

// Contact is a user's personal data in full.
type Contact struct {
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// PersonalData returns a user's phone and e-mail in full to a holder of
// pii:read with the user in scope, and audits the view.
func (s *Service) PersonalData(ctx context.Context, a *Actor, id int64) (Contact, error) {
	var c Contact
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		cond, args := a.ScopeSQL("u.unit_id", "u.id")
		var phone, email string
		err := tx.QueryRowContext(ctx, `SELECT u.phone, u.email FROM users u WHERE u.id = ? AND `+cond, append([]any{id}, args...)...).Scan(&phone, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundf("用户", "user")
		}
		if err != nil {
			return errs.Wrap(err, "user contact")
		}
		if c.Phone, err = pii.Open(phone); err != nil {
			return errs.Wrap(err, "open phone")
		}
		if c.Email, err = pii.Open(email); err != nil {
			return errs.Wrap(err, "open e-mail")
		}
		return audit.Append(ctx, tx, a.Entry("pii.view", "user", id, nil, map[string]string{"fields": "phone,email"}))
	})
	return c, err
}

// SealPersonalData encrypts the users' phones and e-mails still stored in
// plaintext (written before the key existed); the server runs it on start.
func (s *Service) SealPersonalData(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		n, err := pii.SealRows(ctx, tx, "users", "phone", "email")
		if err != nil || n == 0 {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "pii.seal", ObjectType: "table",
			ObjectID: "users", After: map[string]int{"rows": n}})
	})
}
