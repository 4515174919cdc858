package project

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Request is an enterprise request (企业诉求) with its owner and deadline.
type Request struct {
	ID            int64      `json:"id"`
	ProjectID     int64      `json:"project_id"`
	Title         string     `json:"title"`
	Detail        string     `json:"detail"`
	OwnerUnitID   *int64     `json:"owner_unit_id"`
	OwnerUnitName string     `json:"owner_unit_name"`
	Deadline      civil.Date `json:"deadline"`
	Status        string     `json:"status"`
	Resolution    string     `json:"resolution"`
	ResolvedOn    civil.Date `json:"resolved_on"`
	Version       int        `json:"version"`
}

// RequestInput logs a new request.
type RequestInput struct {
	Title       string     `json:"title"`
	Detail      string     `json:"detail"`
	OwnerUnitID *int64     `json:"owner_unit_id"`
	Deadline    civil.Date `json:"deadline"`
}

// Resolve closes a request.
type Resolve struct {
	Resolution string `json:"resolution"`
	Version    int    `json:"version"`
}

const requestCols = `r.id, r.project_id, r.title, r.detail, r.owner_unit_id, COALESCE(u.name, ''), r.deadline, r.status, r.resolution, r.resolved_on, r.version`

func scanRequest(sc interface{ Scan(...any) error }) (Request, error) {
	var r Request
	err := sc.Scan(&r.ID, &r.ProjectID, &r.Title, &r.Detail, &r.OwnerUnitID, &r.OwnerUnitName, &r.Deadline, &r.Status, &r.Resolution, &r.ResolvedOn, &r.Version)
	return r, err
}

// AddRequest logs an enterprise request on a project in scope.
func (s *Service) AddRequest(ctx context.Context, a *org.Actor, projectID int64, in RequestInput) (Request, error) {
	var v errs.Validation
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Title)); n == 0 || n > 200 {
		v.Add("title", "诉求标题必填，最多 200 字", "required, at most 200 characters")
	}
	if in.Deadline.IsZero() {
		v.Add("deadline", "办结时限必填", "required")
	} else if in.Deadline.Before(s.today()) {
		v.Add("deadline", "办结时限不能早于今天", "the deadline cannot be in the past")
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	var out Request
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := s.get(ctx, tx, a, projectID); err != nil {
			return err
		}
		if ok, err := activeUnit(ctx, tx, in.OwnerUnitID); err != nil {
			return err
		} else if !ok {
			return errs.E(errs.Invalid, "责任单位不存在", "no such unit").Field("owner_unit_id", "单位无效", "invalid unit")
		}
		var id int64
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO project_requests (project_id, title, detail, owner_unit_id, deadline, status, created_by, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'open', ?, 1, ?, ?) RETURNING id`, projectID, in.Title, in.Detail, in.OwnerUnitID, in.Deadline, db.NullID(a.UserID), now, now).Scan(&id)
		if err == nil {
			err = stamp(ctx, tx, projectID, projectID) // the mirror holds open requests
		}
		if err != nil {
			return errs.Wrap(err, "insert request")
		}
		if out, err = getRequest(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("project.request", "project", projectID, nil, out))
	})
	return out, err
}

func getRequest(ctx context.Context, q db.Querier, id int64) (Request, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestCols+` FROM project_requests r LEFT JOIN units u ON u.id = r.owner_unit_id WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFoundf("诉求", "request")
	}
	return r, errs.Wrap(err, "get request")
}

// Requests lists a project's requests.
func (s *Service) Requests(ctx context.Context, a *org.Actor, projectID int64) ([]Request, error) {
	q := s.DB.Reader()
	if _, err := s.get(ctx, q, a, projectID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+requestCols+` FROM project_requests r LEFT JOIN units u ON u.id = r.owner_unit_id
		WHERE r.project_id = ? ORDER BY r.status DESC, r.deadline`, projectID)
	if err != nil {
		return nil, errs.Wrap(err, "list requests")
	}
	defer rows.Close()
	out := []Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan request")
		}
		out = append(out, r)
	}
	return out, errs.Wrap(rows.Err(), "list requests")
}

// ResolveRequest records how a request was settled.
func (s *Service) ResolveRequest(ctx context.Context, a *org.Actor, id int64, in Resolve) (Request, error) {
	if strings.TrimSpace(in.Resolution) == "" {
		return Request{}, errs.E(errs.Invalid, "请填写办理结果", "a resolution is required").Field("resolution", "必填", "required")
	}
	var out Request
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.get(ctx, tx, a, before.ProjectID); err != nil {
			if ok, err := assignedTo(ctx, tx, a, before.OwnerUnitID); err != nil {
				return err
			} else if !ok {
				return errs.NotFoundf("诉求", "request")
			}
		}
		if before.Status == "resolved" {
			return unprocessable("该诉求已办结", "the request is already resolved")
		}
		res, err := tx.ExecContext(ctx, `UPDATE project_requests SET status = 'resolved', resolution = ?, resolved_on = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, in.Resolution, s.today(), s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = getRequest(ctx, tx, id); err != nil {
			return err
		}
		if err := stamp(ctx, tx, before.ProjectID, before.ProjectID); err != nil { // the mirror holds open requests
			return err
		}
		return audit.Append(ctx, tx, a.Entry("project.request_resolve", "project", before.ProjectID, before, out))
	})
	return out, err
}

// activeUnit: no unit named, or an active one.
func activeUnit(ctx context.Context, q db.Querier, id *int64) (bool, error) {
	if id == nil {
		return true, nil
	}
	return db.Exists(ctx, q, `SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active'`, *id)
}
