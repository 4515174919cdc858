package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

const roleCols = `id, code, name_zh, name_en, scope, permissions, builtin, version, updated_at`

func scanRole(sc interface{ Scan(...any) error }) (Role, error) {
	var r Role
	var perms string
	err := sc.Scan(&r.ID, &r.Code, &r.NameZh, &r.NameEn, &r.Scope, &perms, &r.Builtin, &r.Version, &r.UpdatedAt)
	r.Permissions = splitPerms(perms)
	return r, err
}

func getRole(ctx context.Context, q db.Querier, id int64) (Role, error) {
	r, err := scanRole(q.QueryRowContext(ctx, `SELECT `+roleCols+` FROM roles WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFoundf("角色", "role")
	}
	return r, errs.Wrap(err, "get role")
}

// Role returns one role.
func (s *Service) Role(ctx context.Context, id int64) (Role, error) {
	return getRole(ctx, s.DB.Reader(), id)
}

// Roles lists every role.
func (s *Service) Roles(ctx context.Context) ([]Role, error) {
	out, err := db.All(ctx, s.DB.Reader(), scanRole, `SELECT `+roleCols+` FROM roles ORDER BY id`)
	return out, errs.Wrap(err, "list roles")
}

// CreateRole adds a custom role.
func (s *Service) CreateRole(ctx context.Context, a *Actor, req RoleInput) (Role, error) {
	if err := req.Validate(true); err != nil {
		return Role{}, err
	}
	if err := separated("permissions", req.Permissions); err != nil {
		return Role{}, err
	}
	var out Role
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = insertRole(ctx, tx, req, false, s.now())
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("role.create", "role", out.ID, nil, out))
	})
	return out, err
}

func insertRole(ctx context.Context, tx *db.Tx, req RoleInput, builtin bool, now any) (Role, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO roles (code, name_zh, name_en, scope, permissions, builtin, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		req.Code, req.NameZh, req.NameEn, req.Scope, joinPerms(req.Permissions), builtin, now, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Role{}, errs.E(errs.Conflict, "角色编码已存在", "the role code is taken").Field("code", "已被使用", "already used")
	}
	if err != nil {
		return Role{}, errs.Wrap(err, "insert role")
	}
	return getRole(ctx, tx, id)
}

// UpdateRole changes a role's names, scope and permissions. Nobody may change
// a role they hold: that would be granting themselves rights.
func (s *Service) UpdateRole(ctx context.Context, a *Actor, id int64, req RoleInput) (Role, error) {
	if err := req.Validate(false); err != nil {
		return Role{}, err
	}
	if err := separated("permissions", req.Permissions); err != nil {
		return Role{}, err
	}
	var out Role
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getRole(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, code := range a.Roles {
			if code == before.Code {
				return errs.E(errs.Forbidden, "不能修改自己所持角色的权限", "you cannot change a role you hold")
			}
		}
		if err := holdersStaySeparated(ctx, tx, id, req.Permissions); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE roles SET name_zh = ?, name_en = ?, scope = ?, permissions = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			req.NameZh, req.NameEn, req.Scope, joinPerms(req.Permissions), s.now(), id, req.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		// Holders' sessions carry the old rights; end them.
		if err := s.revokeHolders(ctx, tx, id); err != nil {
			return err
		}
		if out, err = getRole(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("role.update", "role", id, before, out))
	})
	return out, err
}

func (s *Service) revokeHolders(ctx context.Context, tx *db.Tx, roleID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM user_roles WHERE role_id = ?`, roleID)
	if err != nil {
		return errs.Wrap(err, "role holders")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return errs.Wrap(err, "role holders")
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := s.credentialsChanged(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}
