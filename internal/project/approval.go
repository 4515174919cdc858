package project

import (
	"context"
	"database/sql"
	"errors"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Approval is one administrative approval step of a project.
type Approval struct {
	ID          int64      `json:"id"`
	ProjectID   int64      `json:"project_id"`
	Kind        string     `json:"kind"`
	Status      string     `json:"status"` // pending, in_progress, approved, rejected
	SubmittedOn civil.Date `json:"submitted_on"`
	ApprovedOn  civil.Date `json:"approved_on"`
	DocumentNo  string     `json:"document_no"`
	Note        string     `json:"note"`
	UnitID      *int64     `json:"unit_id"` // the unit handling the step (a department); it sees the step on its home page
	UnitName    string     `json:"unit_name"`
	Version     int        `json:"version"`
}

// ApprovalInput records or updates a step.
type ApprovalInput struct {
	Kind        string     `json:"kind"`
	Status      string     `json:"status"`
	SubmittedOn civil.Date `json:"submitted_on"`
	ApprovedOn  civil.Date `json:"approved_on"`
	DocumentNo  string     `json:"document_no"`
	Note        string     `json:"note"`
	UnitID      *int64     `json:"unit_id"`
	Version     int        `json:"version"`
}

func (in *ApprovalInput) validate(ctx context.Context, q db.Querier, today civil.Date) error {
	var v errs.Validation
	if ok, _ := dictionary.Exists(ctx, q, "approval_kind", in.Kind); !ok {
		v.Add("kind", "审批事项不在数据字典中", "not an approval step in the dictionary")
	}
	if !contains([]string{"pending", "in_progress", "approved", "rejected"}, in.Status) {
		v.Add("status", "状态应为 pending、in_progress、approved 或 rejected", "pending, in_progress, approved or rejected")
	}
	if in.Status == "approved" && in.ApprovedOn.IsZero() {
		v.Add("approved_on", "已批准的事项须填写批准日期", "required when approved")
	}
	for name, d := range map[string]civil.Date{"submitted_on": in.SubmittedOn, "approved_on": in.ApprovedOn} {
		if d.After(today) {
			v.Add(name, "日期不能晚于今天", "cannot be in the future")
		}
	}
	if !in.SubmittedOn.IsZero() && !in.ApprovedOn.IsZero() && in.ApprovedOn.Before(in.SubmittedOn) {
		v.Add("approved_on", "批准日期不能早于申报日期", "cannot be before submission")
	}
	if ok, err := activeUnit(ctx, q, in.UnitID); err != nil {
		return err
	} else if !ok {
		v.Add("unit_id", "承办单位不存在或已撤销", "no such active unit")
	}
	return v.Err()
}

const approvalCols = `a.id, a.project_id, a.kind, a.status, a.submitted_on, a.approved_on, a.document_no, a.note, a.unit_id, COALESCE(u.name, ''), a.version`

const approvalFrom = ` FROM project_approvals a LEFT JOIN units u ON u.id = a.unit_id`

func scanApproval(sc interface{ Scan(...any) error }) (Approval, error) {
	var x Approval
	err := sc.Scan(&x.ID, &x.ProjectID, &x.Kind, &x.Status, &x.SubmittedOn, &x.ApprovedOn, &x.DocumentNo, &x.Note, &x.UnitID, &x.UnitName, &x.Version)
	return x, err
}

func getApproval(ctx context.Context, q db.Querier, id int64) (Approval, error) {
	x, err := scanApproval(q.QueryRowContext(ctx, `SELECT `+approvalCols+approvalFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, errs.NotFoundf("审批事项", "approval step")
	}
	return x, errs.Wrap(err, "get approval")
}

// Approvals lists a project's approval steps.
func (s *Service) Approvals(ctx context.Context, a *org.Actor, projectID int64) ([]Approval, error) {
	q := s.DB.Reader()
	if _, err := s.get(ctx, q, a, projectID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+approvalCols+approvalFrom+` WHERE a.project_id = ? ORDER BY a.id`, projectID)
	if err != nil {
		return nil, errs.Wrap(err, "list approvals")
	}
	defer rows.Close()
	out := []Approval{}
	for rows.Next() {
		x, err := scanApproval(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan approval")
		}
		out = append(out, x)
	}
	return out, errs.Wrap(rows.Err(), "list approvals")
}

// AddApproval records an approval step on a project in scope.
func (s *Service) AddApproval(ctx context.Context, a *org.Actor, projectID int64, in ApprovalInput) (Approval, error) {
	var out Approval
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := s.get(ctx, tx, a, projectID); err != nil {
			return err
		}
		if err := in.validate(ctx, tx, s.today()); err != nil {
			return err
		}
		var id int64
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO project_approvals (project_id, kind, status, submitted_on, approved_on, document_no, note, unit_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, projectID, in.Kind, in.Status, in.SubmittedOn, in.ApprovedOn, in.DocumentNo, in.Note, in.UnitID, now, now).Scan(&id)
		if err != nil {
			return errs.Wrap(err, "insert approval")
		}
		if out, err = getApproval(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("project.approval", "project", projectID, nil, out))
	})
	return out, err
}

// UpdateApproval changes a step's status, dates and document number.
func (s *Service) UpdateApproval(ctx context.Context, a *org.Actor, id int64, in ApprovalInput) (Approval, error) {
	var out Approval
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getApproval(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.get(ctx, tx, a, before.ProjectID); err != nil {
			if ok, err := assignedTo(ctx, tx, a, before.UnitID); err != nil {
				return err
			} else if !ok {
				return errs.NotFoundf("审批事项", "approval step")
			}
		}
		if err := in.validate(ctx, tx, s.today()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE project_approvals SET kind = ?, status = ?, submitted_on = ?, approved_on = ?, document_no = ?, note = ?,
			unit_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Kind, in.Status, in.SubmittedOn, in.ApprovedOn, in.DocumentNo, in.Note, in.UnitID, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = getApproval(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("project.approval_update", "project", before.ProjectID, before, out))
	})
	return out, err
}

// HasApproved reports whether the project has an approval step of a kind
// that is approved (read through q, inside the caller's transaction).
func HasApproved(ctx context.Context, q db.Querier, projectID int64, kind string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM project_approvals WHERE project_id = ? AND kind = ? AND status = 'approved'`, projectID, kind).Scan(&n)
	return n > 0, errs.Wrap(err, "approval steps")
}
