package auth

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth/password"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// ChangePassword is the user's own change of password.
type ChangePassword struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// ChangePassword checks the old password, sets the new one, ends every
// session of the user and opens a fresh one for the caller (with a cookie
// when the caller came by cookie).
func (s *Service) ChangePassword(ctx context.Context, a *org.Actor, req ChangePassword, cl Client) (Session, error) {
	if err := password.Check("new_password", req.NewPassword); err != nil {
		return Session{}, err
	}
	if req.NewPassword == req.OldPassword {
		return Session{}, errs.E(errs.Invalid, "新密码不能与原密码相同", "the new password must differ from the old one").
			Field("new_password", "不能与原密码相同", "must differ from the old one")
	}
	hash, err := password.Hash(req.NewPassword)
	if err != nil {
		return Session{}, errs.Wrap(err, "hash")
	}
	var sess Session
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, a.UserID).Scan(&old); err != nil {
			return errs.Wrap(err, "load password")
		}
		if !password.Verify(req.OldPassword, old) {
			return errs.E(errs.Invalid, "原密码不正确", "the old password is wrong").Field("old_password", "不正确", "wrong")
		}
		if err := org.CheckNotReused(ctx, tx, a.UserID, "new_password", req.NewPassword); err != nil {
			return err
		}
		if err := org.RememberPassword(ctx, tx, a.UserID, s.now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			hash, false, s.now(), s.now(), a.UserID); err != nil {
			return errs.Wrap(err, "set password")
		}
		method, err := methodOf(ctx, tx, a.SessionID)
		if err != nil {
			return err
		}
		if err := s.revokeAll(ctx, tx, a.UserID, ""); err != nil {
			return err
		}
		if a.SessionID != "" {
			if sess, err = s.openSession(ctx, tx, a.UserID, cl, a.Pending, method); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "user.change_password", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID)})
	})
	return sess, err
}
