package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

const unitCols = `id, code, name, short_name, kind, parent_id, path, status, effective_from, closed_on, sort, version, created_at, updated_at`

func scanUnit(sc interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	err := sc.Scan(&u.ID, &u.Code, &u.Name, &u.ShortName, &u.Kind, &u.ParentID, &u.Path, &u.Status,
		&u.EffectiveFrom, &u.ClosedOn, &u.Sort, &u.Version, &u.CreatedAt, &u.UpdatedAt)
	return u, err
}

func getUnit(ctx context.Context, q db.Querier, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.NotFoundf("单位", "unit")
	}
	return u, errs.Wrap(err, "get unit")
}

// Unit returns one unit. The organisation tree is reference data every
// signed-in user may read (to pick introducing units and localities); data
// scope governs the records that hang off units, not the tree itself.
func (s *Service) Unit(ctx context.Context, id int64) (Unit, error) {
	return getUnit(ctx, s.DB.Reader(), id)
}

// Units lists the tree as it stands now (closed units only on request).
func (s *Service) Units(ctx context.Context, includeClosed bool) ([]Unit, error) {
	q := `SELECT ` + unitCols + ` FROM units`
	if !includeClosed {
		q += ` WHERE status = 'active'`
	}
	out, err := db.All(ctx, s.DB.Reader(), scanUnit, q+` ORDER BY sort, id`)
	return out, errs.Wrap(err, "list units")
}

const stateCols = `h.unit_id, h.effective_from, h.effective_to, h.code, h.name, h.short_name, h.kind, h.parent_id,
	COALESCE(p.name, ''), h.status, h.change, h.reason`

func scanStates(rows *sql.Rows) ([]UnitState, error) {
	defer rows.Close()
	out := []UnitState{}
	for rows.Next() {
		var h UnitState
		if err := rows.Scan(&h.UnitID, &h.EffectiveFrom, &h.EffectiveTo, &h.Code, &h.Name, &h.ShortName, &h.Kind,
			&h.ParentID, &h.ParentName, &h.Status, &h.Change, &h.Reason); err != nil {
			return nil, errs.Wrap(err, "scan unit history")
		}
		out = append(out, h)
	}
	return out, errs.Wrap(rows.Err(), "unit history")
}

// UnitsAsOf lists every unit as it stood on a day: its name, parent and
// status then. Units created later are absent.
func (s *Service) UnitsAsOf(ctx context.Context, day civil.Date, includeClosed bool) ([]UnitState, error) {
	q := `SELECT ` + stateCols + ` FROM unit_history h LEFT JOIN units p ON p.id = h.parent_id
		WHERE h.effective_from <= ? AND (h.effective_to IS NULL OR h.effective_to > ?)`
	if !includeClosed {
		q += ` AND h.status = 'active'`
	}
	rows, err := s.DB.Reader().QueryContext(ctx, q+` ORDER BY h.unit_id`, day, day)
	if err != nil {
		return nil, errs.Wrap(err, "units as of")
	}
	return scanStates(rows)
}

// UnitHistory lists every state of one unit, oldest first.
func (s *Service) UnitHistory(ctx context.Context, id int64) ([]UnitState, error) {
	if _, err := s.Unit(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+stateCols+` FROM unit_history h
		LEFT JOIN units p ON p.id = h.parent_id WHERE h.unit_id = ? ORDER BY h.effective_from, h.id`, id)
	if err != nil {
		return nil, errs.Wrap(err, "unit history")
	}
	return scanStates(rows)
}

// recordState ends the unit's open history row on day and opens a new one
// holding the unit's current state. A change may not predate the last one.
func recordState(ctx context.Context, tx *db.Tx, u Unit, day civil.Date, change, reason string, by int64, now any) error {
	var last civil.Date
	err := tx.QueryRowContext(ctx, `SELECT effective_from FROM unit_history WHERE unit_id = ? AND effective_to IS NULL`, u.ID).Scan(&last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return errs.Wrap(err, "unit history")
	case day.Before(last):
		return errs.E(errs.Unprocessable, "生效日期早于该单位上一次变更（"+last.String()+"）",
			"the effective date is before the unit's last change ("+last.String()+")").
			Field("effective_on", "不能早于 "+last.String(), "cannot be before "+last.String())
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE unit_history SET effective_to = ? WHERE unit_id = ? AND effective_to IS NULL`, day, u.ID); err != nil {
			return errs.Wrap(err, "close unit history")
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO unit_history (unit_id, effective_from, code, name, short_name, kind, parent_id,
		status, change, reason, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, day, u.Code, u.Name, u.ShortName, u.Kind, u.ParentID, u.Status, change, reason, now, db.NullID(by))
	return errs.Wrap(err, "insert unit history")
}

// CreateUnit adds a unit under a parent (or the root, when the tree is empty).
func (s *Service) CreateUnit(ctx context.Context, a *Actor, req CreateUnit) (Unit, error) {
	if err := req.Validate(s.today()); err != nil {
		return Unit{}, err
	}
	var out Unit
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		parentPath, err := parentPathFor(ctx, tx, req.ParentID)
		if err != nil {
			return err
		}
		now := s.now()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO units (code, name, short_name, kind, parent_id, path, status,
			effective_from, sort, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', 'active', ?, ?, 1, ?, ?) RETURNING id`,
			req.Code, req.Name, req.ShortName, req.Kind, req.ParentID, req.EffectiveOn, req.Sort, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "单位编码已存在", "the unit code is taken").Field("code", "编码已被使用", "already used")
		}
		if err != nil {
			return errs.Wrap(err, "insert unit")
		}
		path := parentPath + strconv.FormatInt(id, 10) + "/"
		if _, err := tx.ExecContext(ctx, `UPDATE units SET path = ? WHERE id = ?`, path, id); err != nil {
			return errs.Wrap(err, "set unit path")
		}
		if out, err = getUnit(ctx, tx, id); err != nil {
			return err
		}
		if err := recordState(ctx, tx, out, req.EffectiveOn, "create", "", actorID(a), now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("unit.create", "unit", id, nil, out))
	})
	return out, err
}

func actorID(a *Actor) int64 {
	if a == nil {
		return 0
	}
	return a.UserID
}

// parentPathFor checks the parent exists and is active; a nil parent is
// allowed only for the first (root) unit.
func parentPathFor(ctx context.Context, tx *db.Tx, parentID *int64) (string, error) {
	if parentID == nil {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&n); err != nil {
			return "", errs.Wrap(err, "count units")
		}
		if n > 0 {
			return "", errs.E(errs.Invalid, "请选择上级单位", "choose a parent unit").Field("parent_id", "必填", "required")
		}
		return "/", nil
	}
	p, err := getUnit(ctx, tx, *parentID)
	if errs.Is(err, errs.NotFound) {
		return "", errs.E(errs.Invalid, "上级单位不存在", "the parent unit does not exist").Field("parent_id", "不存在", "does not exist")
	}
	if err != nil {
		return "", err
	}
	if p.Status != "active" {
		return "", errs.E(errs.Unprocessable, "上级单位已撤销", "the parent unit is closed").Field("parent_id", "已撤销", "closed")
	}
	return p.Path, nil
}

// lockedUnit loads a unit for change and checks the caller's version.
func lockedUnit(ctx context.Context, tx *db.Tx, id int64, version int) (Unit, error) {
	u, err := getUnit(ctx, tx, id)
	if err != nil {
		return u, err
	}
	if u.Version != version {
		return u, errs.Stale(u)
	}
	if u.Status != "active" {
		return u, errs.E(errs.Unprocessable, "该单位已撤销，不能再变更", "the unit is closed and cannot change")
	}
	return u, nil
}

// RenameUnit changes code, names or order, effective on a date.
func (s *Service) RenameUnit(ctx context.Context, a *Actor, id int64, req RenameUnit) (Unit, error) {
	if err := req.Validate(s.today()); err != nil {
		return Unit{}, err
	}
	var out Unit
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := lockedUnit(ctx, tx, id, req.Version)
		if err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE units SET code = ?, name = ?, short_name = ?, sort = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, req.Code, req.Name, req.ShortName, req.Sort, now, id, req.Version)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "单位编码已存在", "the unit code is taken").Field("code", "编码已被使用", "already used")
		}
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		return s.afterUnitChange(ctx, tx, a, before, &out, req.EffectiveOn, "rename", req.Reason)
	})
	return out, err
}

// afterUnitChange reloads the unit, records its new state and audits it.
func (s *Service) afterUnitChange(ctx context.Context, tx *db.Tx, a *Actor, before Unit, out *Unit, day civil.Date, change, reason string) error {
	var err error
	if *out, err = getUnit(ctx, tx, before.ID); err != nil {
		return err
	}
	if err := recordState(ctx, tx, *out, day, change, reason, actorID(a), s.now()); err != nil {
		return err
	}
	return audit.Append(ctx, tx, a.Entry("unit."+change, "unit", before.ID, before, *out))
}

// MoveUnit re-parents a unit; its whole subtree moves with it.
func (s *Service) MoveUnit(ctx context.Context, a *Actor, id int64, req MoveUnit) (Unit, error) {
	if err := req.Validate(s.today()); err != nil {
		return Unit{}, err
	}
	var out Unit
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := lockedUnit(ctx, tx, id, req.Version)
		if err != nil {
			return err
		}
		parentPath, err := parentPathFor(ctx, tx, &req.ParentID)
		if err != nil {
			return err
		}
		if len(parentPath) >= len(before.Path) && parentPath[:len(before.Path)] == before.Path {
			return errs.E(errs.Unprocessable, "不能移动到自身或其下级单位之下", "a unit cannot move under itself or its own subunit").
				Field("parent_id", "不能是自身或下级", "cannot be itself or below it")
		}
		res, err := tx.ExecContext(ctx, `UPDATE units SET parent_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			req.ParentID, s.now(), id, req.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		newPath := parentPath + strconv.FormatInt(id, 10) + "/"
		_, err = tx.ExecContext(ctx, `UPDATE units SET path = CAST(? AS TEXT) || substr(path, CAST(? AS INTEGER)) WHERE path LIKE ?`,
			newPath, len(before.Path)+1, before.Path+"%")
		if err != nil {
			return errs.Wrap(err, "move subtree")
		}
		return s.afterUnitChange(ctx, tx, a, before, &out, req.EffectiveOn, "move", req.Reason)
	})
	return out, err
}

// CloseUnit closes a unit that has no active subunits and no active users.
func (s *Service) CloseUnit(ctx context.Context, a *Actor, id int64, req CloseUnit) (Unit, error) {
	if err := req.Validate(s.today()); err != nil {
		return Unit{}, err
	}
	var out Unit
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := lockedUnit(ctx, tx, id, req.Version)
		if err != nil {
			return err
		}
		var children, users int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM units WHERE parent_id = ? AND status = 'active'),
			(SELECT COUNT(*) FROM users WHERE unit_id = ? AND status = 'active')`, id, id).Scan(&children, &users); err != nil {
			return errs.Wrap(err, "count unit members")
		}
		if children > 0 || users > 0 {
			return errs.E(errs.Unprocessable,
				fmt.Sprintf("该单位还有 %d 个下级单位、%d 个在用账户，请先调整", children, users),
				fmt.Sprintf("the unit still has %d active subunits and %d active users; move them first", children, users))
		}
		res, err := tx.ExecContext(ctx, `UPDATE units SET status = 'closed', closed_on = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, req.EffectiveOn, s.now(), id, req.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		return s.afterUnitChange(ctx, tx, a, before, &out, req.EffectiveOn, "close", req.Reason)
	})
	return out, err
}
