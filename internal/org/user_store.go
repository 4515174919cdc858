package org

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth/password"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

const userCols = `u.id, u.username, u.display_name, u.unit_id, un.name, u.phone, u.email, u.status,
	u.must_change_password, u.locked_until, u.version, u.created_at`

const userFrom = ` FROM users u JOIN units un ON un.id = u.unit_id`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.UnitID, &u.UnitName, &u.Phone, &u.Email, &u.Status,
		&u.MustChangePassword, &u.LockedUntil, &u.Version, &u.CreatedAt)
	// Stored sealed; the API and the audit log see the masked form only
	// (the full form is PersonalData, for pii:read, audited).
	u.Phone, u.Email = pii.Masked(u.Phone), pii.Masked(u.Email)
	u.Roles = []RoleRef{}
	return u, err
}

// UserFilter narrows the user list.
type UserFilter struct {
	Q      string
	UnitID int64 // this unit and below
	Status string
	Page   httpx.Page
}

// Users lists the accounts in the actor's data scope.
func (s *Service) Users(ctx context.Context, a *Actor, f UserFilter) ([]User, int, error) {
	var w db.Where
	cond, args := a.ScopeSQL("u.unit_id", "u.id")
	w.Add(cond, args...)
	if f.Q != "" {
		w.Add(`(u.username LIKE ? ESCAPE '\' OR u.display_name LIKE ? ESCAPE '\')`, db.Like(f.Q), db.Like(f.Q))
	}
	if f.UnitID > 0 {
		w.Add(`u.unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')`, f.UnitID)
	}
	if f.Status != "" {
		w.Add(`u.status = ?`, f.Status)
	}
	q := s.DB.Reader()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+userFrom+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "count users")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+userCols+userFrom+w.SQL()+` ORDER BY un.path, u.username LIMIT ? OFFSET ?`,
		append(w.Args(), f.Page.Size, f.Page.Offset())...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "list users")
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, errs.Wrap(err, "scan user")
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, errs.Wrap(err, "list users")
	}
	return out, total, s.fillRoles(ctx, q, out)
}

func (s *Service) fillRoles(ctx context.Context, q db.Querier, users []User) error {
	if len(users) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph := make([]string, len(users))
	args := make([]any, len(users))
	for i, u := range users {
		idx[u.ID] = i
		ph[i], args[i] = "?", u.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT ur.user_id, r.id, r.code, r.name_zh FROM user_roles ur
		JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN (`+strings.Join(ph, ",")+`) ORDER BY r.id`, args...)
	if err != nil {
		return errs.Wrap(err, "user roles")
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var r RoleRef
		if err := rows.Scan(&uid, &r.ID, &r.Code, &r.Name); err != nil {
			return errs.Wrap(err, "scan user role")
		}
		users[idx[uid]].Roles = append(users[idx[uid]].Roles, r)
	}
	return errs.Wrap(rows.Err(), "user roles")
}

// User returns one account in the actor's scope; outside it, 404.
func (s *Service) User(ctx context.Context, a *Actor, id int64) (User, error) {
	return s.userIn(ctx, s.DB.Reader(), a, id)
}

func (s *Service) userIn(ctx context.Context, q db.Querier, a *Actor, id int64) (User, error) {
	cond, args := a.ScopeSQL("u.unit_id", "u.id")
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.NotFoundf("用户", "user")
	}
	if err != nil {
		return u, errs.Wrap(err, "get user")
	}
	users := []User{u}
	err = s.fillRoles(ctx, q, users)
	return users[0], err
}

// CreateUser adds an account (roles optional; without roles it sees nothing).
func (s *Service) CreateUser(ctx context.Context, a *Actor, req CreateUser) (User, error) {
	if err := req.Validate(); err != nil {
		return User{}, err
	}
	if err := password.Check("password", req.Password); err != nil {
		return User{}, err
	}
	hash, err := password.Hash(req.Password)
	if err != nil {
		return User{}, errs.Wrap(err, "hash")
	}
	var out User
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := activeUnit(ctx, tx, req.UnitID); err != nil {
			return err
		}
		now := s.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, unit_id, phone, email, password_hash,
			status, must_change_password, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, 1, ?, ?) RETURNING id`,
			req.Username, req.DisplayName, req.UnitID, pii.Seal(req.Phone), pii.Seal(req.Email), hash, true, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "用户名已存在", "the username is taken").Field("username", "已被使用", "already used")
		}
		if err != nil {
			return errs.Wrap(err, "insert user")
		}
		if len(req.RoleIDs) > 0 {
			if err := s.grant(ctx, tx, a, id, req.RoleIDs); err != nil {
				return err
			}
		}
		if out, err = s.userIn(ctx, tx, a, id); errs.Is(err, errs.NotFound) {
			// Created outside the creator's own scope: still report it.
			out, err = s.userIn(ctx, tx, &Actor{Scope: ScopeAll}, id)
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("user.create", "user", id, nil, out))
	})
	return out, err
}

func activeUnit(ctx context.Context, tx *db.Tx, id int64) error {
	u, err := getUnit(ctx, tx, id)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Status != "active") {
		return errs.E(errs.Invalid, "所属单位不存在或已撤销", "the unit does not exist or is closed").Field("unit_id", "单位无效", "invalid unit")
	}
	return err
}

// userForChange loads a user in scope and checks the version the caller read.
func (s *Service) userForChange(ctx context.Context, tx *db.Tx, a *Actor, id int64, version int) (User, error) {
	u, err := s.userIn(ctx, tx, a, id)
	if err != nil {
		return u, err
	}
	if u.Version != version {
		return u, errs.Stale(u)
	}
	return u, nil
}

// bump raises a user's version, refusing when another write got there first.
func bump(ctx context.Context, tx *db.Tx, id int64, version int, current User, now any) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, now, id, version)
	return db.OneRow(res, err, current)
}

// changeUser runs one change of a user: load in scope at the caller's
// version, apply, bump the version, reload and audit.
func (s *Service) changeUser(ctx context.Context, a *Actor, id int64, version int, action string,
	apply func(tx *db.Tx, before User) error) (User, error) {
	var out User
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := s.userForChange(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		if administering[action] {
			if err := mayAdminister(ctx, tx, a, id); err != nil {
				return err
			}
		}
		if err := apply(tx, before); err != nil {
			return err
		}
		if err := bump(ctx, tx, id, version, before, s.now()); err != nil {
			return err
		}
		if out, err = s.userIn(ctx, tx, &Actor{Scope: ScopeAll}, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry(action, "user", id, before, out))
	})
	return out, err
}

// administering are the account actions of the system administrator, which
// never reach the security or audit administrators' accounts.
var administering = map[string]bool{"user.update": true, "user.disable": true, "user.enable": true, "user.reset_password": true}

// UpdateUser changes name, unit and contact details. The form shows the
// masked phone and e-mail; sent back unchanged, they keep the stored value.
func (s *Service) UpdateUser(ctx context.Context, a *Actor, id int64, req UpdateUser) (User, error) {
	return s.changeUser(ctx, a, id, req.Version, "user.update", func(tx *db.Tx, _ User) error {
		var phone, email string
		if err := tx.QueryRowContext(ctx, `SELECT phone, email FROM users WHERE id = ?`, id).Scan(&phone, &email); err != nil {
			return errs.Wrap(err, "user contact")
		}
		req.Phone, req.Email = pii.Keep(req.Phone, phone), pii.Keep(req.Email, email)
		if err := req.Validate(); err != nil {
			return err
		}
		if err := activeUnit(ctx, tx, req.UnitID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET display_name = ?, unit_id = ?, phone = ?, email = ? WHERE id = ?`,
			req.DisplayName, req.UnitID, pii.Seal(req.Phone), pii.Seal(req.Email), id)
		return errs.Wrap(err, "update user")
	})
}
