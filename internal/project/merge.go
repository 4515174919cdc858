package project

import (
	"context"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Merge is the request to fold a duplicate into the project it repeats.
type Merge struct {
	IntoID  int64 `json:"into_id"`
	Version int   `json:"version"`
}

// Merge folds project id into another: its tracking records, requests,
// attachments, approval steps and parcels move to the survivor, and the
// duplicate is terminated pointing at it, so that it is counted once.
func (s *Service) Merge(ctx context.Context, a *org.Actor, id int64, in Merge) (Project, error) {
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		dup, err := s.forChange(ctx, tx, a, id, in.Version)
		if err != nil {
			return err
		}
		if dup.Status == "terminated" {
			return unprocessable("已终止或已合并的项目不能再合并", "a terminated or merged project cannot be merged")
		}
		into, err := s.get(ctx, tx, a, in.IntoID)
		if err != nil || into.ID == dup.ID {
			return errs.E(errs.Invalid, "请选择本人数据范围内的另一个项目", "choose another project in your scope").Field("into_id", "项目无效", "invalid project")
		}
		if stageIndex(into.Stage) < stageIndex("signed") {
			// The duplicate's supplied land would sit on a project before signing.
			if codes, err := suppliedParcels(ctx, tx, dup.ID); err != nil || codes != "" {
				if err != nil {
					return err
				}
				return unprocessable("重复项目已供地（地块 "+codes+"），而保留的项目尚未签约：请先释放地块或推进保留项目",
					"the duplicate holds supplied land ("+codes+") but the project kept has not signed: release the land first")
			}
		}
		for _, table := range []string{"tracking_records", "project_requests", "project_attachments", "project_approvals", "parcels"} {
			if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET project_id = ? WHERE project_id = ?`, into.ID, dup.ID); err != nil {
				return errs.Wrap(err, "merge "+table)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET status = 'terminated', status_reason = ?, merged_into_id = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, "重复登记，已合并至 "+into.Code, into.ID, s.now(), dup.ID, in.Version)
		if err := db.OneRow(res, err, dup); err != nil {
			return err
		}
		if err := s.afterChange(ctx, tx, a, dup, &out, "project.merge"); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("project.merged_in", "project", into.ID, nil, map[string]any{"merged_from": dup.ID, "code": dup.Code}))
	})
	return out, err
}
