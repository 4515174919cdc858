package org

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth/password"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// LoadActor builds the actor for an active user: unit, roles, the union of
// their permissions and the widest of their scopes.
func (s *Service) LoadActor(ctx context.Context, userID int64) (*Actor, error) {
	return s.LoadActorIn(ctx, s.DB.Reader(), userID)
}

// LoadActorIn is LoadActor within a transaction (a sign-in deciding what
// the new session still needs).
func (s *Service) LoadActorIn(ctx context.Context, q db.Querier, userID int64) (*Actor, error) {
	a := &Actor{UserID: userID, Perms: map[string]bool{}, Roles: []string{}}
	var status string
	var changed *time.Time // NULL: counts from created_at
	err := q.QueryRowContext(ctx, `SELECT u.username, u.display_name, u.unit_id, un.name, un.path, u.status, u.must_change_password,
		u.password_changed_at, u.created_at, u.totp_enabled
		FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = ?`, userID).
		Scan(&a.Username, &a.DisplayName, &a.UnitID, &a.UnitName, &a.UnitPath, &status, &a.MustChangePassword,
			&changed, &a.PasswordChangedAt, &a.TOTPEnabled)
	if changed != nil {
		a.PasswordChangedAt = *changed
	}
	if errors.Is(err, sql.ErrNoRows) || status != "active" {
		return nil, errs.E(errs.Unauthenticated, "请先登录", "please sign in")
	}
	if err != nil {
		return nil, errs.Wrap(err, "load actor")
	}
	rows, err := q.QueryContext(ctx, `SELECT r.code, r.scope, r.permissions FROM user_roles ur
		JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.id`, userID)
	if err != nil {
		return nil, errs.Wrap(err, "load roles")
	}
	defer rows.Close()
	for rows.Next() {
		var code, perms string
		var scope Scope
		if err := rows.Scan(&code, &scope, &perms); err != nil {
			return nil, errs.Wrap(err, "scan role")
		}
		a.Roles = append(a.Roles, code)
		for _, p := range splitPerms(perms) {
			a.Perms[p] = true
		}
		if breadth[scope] > breadth[a.Scope] {
			a.Scope = scope
		}
	}
	return a, errs.Wrap(rows.Err(), "load roles")
}

// Bootstrap makes a new database usable: the built-in roles, a root unit and,
// when no user exists, the `admin` system administrator with adminPassword
// (or a random one). It returns the password it set, "" when none.
// rootSince dates the root unit (zero: today).
func (s *Service) Bootstrap(ctx context.Context, adminPassword string, rootSince civil.Date) (string, error) {
	var created string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.ensureBuiltinRoles(ctx, tx); err != nil {
			return err
		}
		var users int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&users); err != nil {
			return errs.Wrap(err, "count users")
		}
		if users > 0 {
			return nil
		}
		rootID, err := s.ensureRoot(ctx, tx, rootSince)
		if err != nil {
			return err
		}
		if adminPassword == "" {
			adminPassword = password.Random()
		}
		if err := password.Check("ATTRACT_ADMIN_PASSWORD", adminPassword); err != nil {
			return err
		}
		created = adminPassword
		return s.insertBootstrapUser(ctx, tx, "admin", "系统管理员", rootID, adminPassword, "sysadmin")
	})
	return created, err
}

// ensureBuiltinRoles creates missing built-in roles and gives existing ones
// each default permission they have never been given (a capability added
// since). builtin_grants remembers what was given, so a grant the security
// administrator later removed is not given back.
func (s *Service) ensureBuiltinRoles(ctx context.Context, tx *db.Tx) error {
	for _, b := range BuiltinRoles {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM roles WHERE code = ?`, b.Code).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			r, err := insertRole(ctx, tx, RoleInput{Code: b.Code, NameZh: b.NameZh, NameEn: b.NameEn, Scope: b.Scope, Permissions: b.Perms}, true, s.now())
			if err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "role.create",
				ObjectType: "role", ObjectID: itoa(r.ID), After: r}); err != nil {
				return err
			}
			if err := recordGrants(ctx, tx, b.Code, b.Perms); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return errs.Wrap(err, "find role")
		}
		if err := s.grantNewDefaults(ctx, tx, id, b); err != nil {
			return err
		}
		if err := s.separateBuiltin(ctx, tx, id, b); err != nil {
			return err
		}
	}
	return nil
}

// separateBuiltin narrows a stored built-in role to its own duty (audited).
func (s *Service) separateBuiltin(ctx context.Context, tx *db.Tx, id int64, b BuiltinRole) error {
	before, err := getRole(ctx, tx, id)
	if err != nil {
		return err
	}
	keep := narrowBuiltin(before.Permissions, b)
	if len(keep) == len(before.Permissions) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roles SET permissions = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		joinPerms(keep), s.now(), id); err != nil {
		return errs.Wrap(err, "separate duties")
	}
	after, err := getRole(ctx, tx, id)
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "role.separate_duties", ObjectType: "role",
		ObjectID: itoa(id), Before: before, After: after})
}

func recordGrants(ctx context.Context, tx *db.Tx, role string, perms []string) error {
	for _, p := range perms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO builtin_grants (role_code, permission) VALUES (?, ?)`, role, p); err != nil {
			return errs.Wrap(err, "record grant")
		}
	}
	return nil
}

func (s *Service) grantNewDefaults(ctx context.Context, tx *db.Tx, id int64, b BuiltinRole) error {
	var fresh []string
	for _, p := range b.Perms {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM builtin_grants WHERE role_code = ? AND permission = ?`, b.Code, p).Scan(&n); err != nil {
			return errs.Wrap(err, "find grant")
		}
		if n == 0 {
			fresh = append(fresh, p)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	before, err := getRole(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roles SET permissions = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		joinPerms(append(before.Permissions, fresh...)), s.now(), id); err != nil {
		return errs.Wrap(err, "grant new defaults")
	}
	after, err := getRole(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := recordGrants(ctx, tx, b.Code, fresh); err != nil {
		return err
	}
	return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "role.update", ObjectType: "role",
		ObjectID: itoa(id), Before: before, After: after})
}

func (s *Service) ensureRoot(ctx context.Context, tx *db.Tx, since civil.Date) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, errs.Wrap(err, "find root")
	}
	now := s.now()
	if since.IsZero() {
		since = civil.Of(now)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO units (code, name, short_name, kind, path, status, effective_from, sort, version, created_at, updated_at)
		VALUES ('ROOT', '市招商委员会办公室', '招商办', 'commission_office', '', 'active', ?, 0, 1, ?, ?) RETURNING id`,
		since, now, now).Scan(&id); err != nil {
		return 0, errs.Wrap(err, "insert root")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE units SET path = ? WHERE id = ?`, "/"+itoa(id)+"/", id); err != nil {
		return 0, errs.Wrap(err, "root path")
	}
	u, err := getUnit(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if err := recordState(ctx, tx, u, since, "create", "", 0, now); err != nil {
		return 0, err
	}
	return id, audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "unit.create", ObjectType: "unit", ObjectID: itoa(id), After: u})
}

// insertBootstrapUser creates a user with one role, outside any actor (first
// start and demo data), audited as the system.
func (s *Service) insertBootstrapUser(ctx context.Context, tx *db.Tx, username, display string, unitID int64, pw, roleCode string) error {
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	now := s.now()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, unit_id, password_hash, status, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'active', 1, ?, ?) RETURNING id`, username, display, unitID, hash, now, now).Scan(&id); err != nil {
		return errs.Wrap(err, "insert user "+username)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles WHERE code = ?`, id, roleCode); err != nil {
		return errs.Wrap(err, "grant "+roleCode)
	}
	return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "user.create", ObjectType: "user",
		ObjectID: itoa(id), After: map[string]any{"username": username, "unit_id": unitID, "role": roleCode}})
}

// SeedUser is for the demo data set: one user with one role, no actor.
func (s *Service) SeedUser(ctx context.Context, username, display string, unitID int64, pw, roleCode string) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		return s.insertBootstrapUser(ctx, tx, username, display, unitID, pw, roleCode)
	})
}
