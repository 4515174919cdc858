package org

import (
	"context"
	"slices"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth/password"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// grant gives roles to a user, enforcing the 三员 rules: nobody changes their
// own roles, and only a holder of role:write grants a privileged role.
func (s *Service) grant(ctx context.Context, tx *db.Tx, a *Actor, userID int64, roleIDs []int64) error {
	if a != nil && a.UserID == userID {
		return errs.E(errs.Forbidden, "不能修改自己的角色", "you cannot change your own roles")
	}
	if !a.Can("user:assign") && !a.Can("role:write") {
		return errs.E(errs.Forbidden, "分配角色属于安全管理员的职责", "granting roles is the security administrator's duty").
			Field("role_ids", "无权分配角色", "you may not grant roles")
	}
	ids := slices.Clone(roleIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if held, err := heldPerms(ctx, tx, userID, ids, 0, nil); err != nil && !errs.Is(err, errs.NotFound) {
		return err
	} else if err := separated("role_ids", held); err != nil {
		return err
	}
	for _, rid := range ids {
		r, err := getRole(ctx, tx, rid)
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "角色不存在", "unknown role").Field("role_ids", "角色不存在", "unknown role")
		}
		if err != nil {
			return err
		}
		if r.Privileged() && !a.Can("role:write") {
			return errs.E(errs.Forbidden, "三员角色及含审计、授权权限的角色只能由安全管理员分配",
				"roles with audit or grant rights can only be assigned by the security administrator")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, userID, rid); err != nil {
			return errs.Wrap(err, "grant role")
		}
	}
	return nil
}

// SetRoles replaces a user's roles.
func (s *Service) SetRoles(ctx context.Context, a *Actor, id int64, req SetRoles) (User, error) {
	return s.changeUser(ctx, a, id, req.Version, "user.roles", func(tx *db.Tx, before User) error {
		if a.UserID == id {
			return errs.E(errs.Forbidden, "不能修改自己的角色", "you cannot change your own roles")
		}
		for _, r := range before.Roles {
			held, err := getRole(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			if held.Privileged() && !a.Can("role:write") {
				return errs.E(errs.Forbidden, "该用户持有三员角色，只能由安全管理员调整", "this user holds a privileged role; only the security administrator can change it")
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, id); err != nil {
			return errs.Wrap(err, "revoke roles")
		}
		if err := s.grant(ctx, tx, a, id, req.RoleIDs); err != nil {
			return err
		}
		return s.credentialsChanged(ctx, tx, id)
	})
}

// credentialsChanged ends the user's sessions (wired to auth by the caller of
// NewService), so a change of rights or password takes effect at once.
func (s *Service) credentialsChanged(ctx context.Context, tx *db.Tx, id int64) error {
	if s.OnCredentialsChanged == nil {
		return nil
	}
	return s.OnCredentialsChanged(ctx, tx, id)
}

// DisableUser stops an account from signing in and ends its sessions.
func (s *Service) DisableUser(ctx context.Context, a *Actor, id int64, req VersionOnly) (User, error) {
	return s.changeUser(ctx, a, id, req.Version, "user.disable", func(tx *db.Tx, before User) error {
		if a.UserID == id {
			return errs.E(errs.Unprocessable, "不能停用自己的账户", "you cannot disable your own account")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET status = 'disabled' WHERE id = ?`, id); err != nil {
			return errs.Wrap(err, "disable user")
		}
		return s.credentialsChanged(ctx, tx, id)
	})
}

// EnableUser lets a disabled account sign in again.
func (s *Service) EnableUser(ctx context.Context, a *Actor, id int64, req VersionOnly) (User, error) {
	return s.changeUser(ctx, a, id, req.Version, "user.enable", func(tx *db.Tx, _ User) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'active' WHERE id = ?`, id)
		return errs.Wrap(err, "enable user")
	})
}

// UnlockUser lifts a sign-in lockout.
func (s *Service) UnlockUser(ctx context.Context, a *Actor, id int64) (User, error) {
	u, err := s.User(ctx, a, id)
	if err != nil {
		return u, err
	}
	out, err := s.changeUser(ctx, a, id, u.Version, "user.unlock", func(tx *db.Tx, _ User) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = NULL, failed_attempts = 0, first_failed_at = NULL WHERE id = ?`, id)
		return errs.Wrap(err, "unlock user")
	})
	if err == nil && s.OnUnlock != nil {
		s.OnUnlock(u.Username)
	}
	return out, err
}

// ResetPassword sets a new password that the user must change at next
// sign-in. A holder of a privileged role cannot be reset this way (that
// would let one administrator sign in as another): the operator uses
// `attract user reset-password` on the server instead.
func (s *Service) ResetPassword(ctx context.Context, a *Actor, id int64, req ResetPassword) error {
	if err := password.Check("new_password", req.NewPassword); err != nil {
		return err
	}
	hash, err := password.Hash(req.NewPassword)
	if err != nil {
		return errs.Wrap(err, "hash")
	}
	u, err := s.User(ctx, a, id)
	if err != nil {
		return err
	}
	_, err = s.changeUser(ctx, a, id, u.Version, "user.reset_password", func(tx *db.Tx, before User) error {
		for _, r := range before.Roles {
			held, err := getRole(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			if held.Privileged() {
				return errs.E(errs.Forbidden, "三员账户的密码只能由本人修改，或由运维人员在服务器上执行 attract user reset-password",
					"privileged accounts change their own password, or the operator runs attract user reset-password on the server")
			}
		}
		if err := setPassword(ctx, tx, id, hash, true); err != nil {
			return err
		}
		return s.credentialsChanged(ctx, tx, id) // the old password's sessions and tokens end
	})
	return err
}

func setPassword(ctx context.Context, tx *db.Tx, id int64, hash string, mustChange bool) error {
	if err := RememberPassword(ctx, tx, id, time.Now().UTC()); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_attempts = 0,
		first_failed_at = NULL, locked_until = NULL WHERE id = ?`, hash, mustChange, id)
	return errs.Wrap(err, "set password")
}

// OperatorResetPassword is the server operator's reset (command line): no
// actor, any account, audited as the system.
func (s *Service) OperatorResetPassword(ctx context.Context, username, newPassword string) error {
	if err := password.Check("password", newPassword); err != nil {
		return err
	}
	hash, err := password.Hash(newPassword)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id); err != nil {
			return errs.NotFoundf("用户", "user")
		}
		if err := setPassword(ctx, tx, id, hash, true); err != nil {
			return err
		}
		if err := s.credentialsChanged(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "operator", ClientAddr: "cli"},
			Action: "user.reset_password", ObjectType: "user", ObjectID: itoa(id)})
	})
}
