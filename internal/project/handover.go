package project

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/webhook"
)

// HandoverInput sends a project to a locality (R10: localities take over
// the projects working groups bring in).
type HandoverInput struct {
	ToUnitID int64 `json:"to_unit_id"`
	Version  int   `json:"version"`
}

// Decision accepts or declines a hand-over.
type Decision struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// HandOver starts a hand-over; the locality has the configured number of days
// to answer, after which it shows up as overdue.
func (s *Service) HandOver(ctx context.Context, a *org.Actor, id int64, in HandoverInput) (Project, error) {
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.forChange(ctx, tx, a, id, in.Version)
		if err != nil {
			return err
		}
		if p.Handover.Status == "pending" {
			return unprocessable("已有待承接的移交", "a hand-over is already pending")
		}
		if ok, err := db.Exists(ctx, tx, `SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active' AND kind IN ('locality', 'park')`, in.ToUnitID); err != nil {
			return err
		} else if !ok {
			return errs.E(errs.Invalid, "承接单位须为县(市、区)或园区", "hand over to a county/district or park").Field("to_unit_id", "单位无效", "invalid unit")
		}
		cfg, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		today := s.today()
		res, err := tx.ExecContext(ctx, `UPDATE projects SET handover_status = 'pending', handover_to_unit_id = ?, handover_sent_on = ?,
			handover_deadline = ?, handover_decided_on = NULL, handover_reason = '', version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.ToUnitID, today, today.AddDays(cfg.HandoverDays), s.now(), id, in.Version)
		if err := db.OneRow(res, err, p); err != nil {
			return err
		}
		if err := Reindex(ctx, tx, id, id); err != nil {
			return err
		}
		if err := webhook.HandoverStarted(ctx, tx, webhook.ProjectRef{ID: id, Code: p.Code, Name: p.Name}, in.ToUnitID, today.AddDays(cfg.HandoverDays)); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, a, p, &out, "project.handover")
	})
	return out, err
}

// Decide accepts (the project lands in the locality) or declines a hand-over.
// Only users of the receiving unit, or of a unit above it, may decide.
func (s *Service) Decide(ctx context.Context, a *org.Actor, id int64, accept bool, in Decision) (Project, error) {
	if !accept && strings.TrimSpace(in.Reason) == "" {
		return Project{}, errs.E(errs.Invalid, "请填写不承接的原因", "a reason is required").Field("reason", "必填", "required")
	}
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.forChange(ctx, tx, a, id, in.Version)
		if err != nil {
			return err
		}
		if p.Handover.Status != "pending" || p.Handover.ToUnitID == nil {
			return unprocessable("没有待承接的移交", "no hand-over is pending")
		}
		if ok, err := db.Exists(ctx, tx, `SELECT COUNT(*) FROM units WHERE id = ? AND path LIKE ?`, *p.Handover.ToUnitID, a.UnitPath+"%"); err != nil {
			return err
		} else if !ok {
			return errs.E(errs.Forbidden, "只有承接单位可以办理承接", "only the receiving unit can decide")
		}
		set, action := `handover_status = 'declined'`, "project.handover_decline"
		args := []any{}
		if accept {
			set, action = `handover_status = 'accepted', locality_unit_id = handover_to_unit_id`, "project.handover_accept"
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET `+set+`, handover_decided_on = ?, handover_reason = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, append(args, s.today(), in.Reason, s.now(), id, in.Version)...)
		if err := db.OneRow(res, err, p); err != nil {
			return err
		}
		if err := Reindex(ctx, tx, id, id); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, a, p, &out, action)
	})
	return out, err
}
