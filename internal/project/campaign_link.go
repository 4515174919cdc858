package project

import (
	"context"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"

	"github.com/zhaoqing/attract/internal/org"
)

// LinkCampaign records the campaign a project came from, or
// clears it with nil, without touching the project's other facts.
func (s *Service) LinkCampaign(ctx context.Context, a *org.Actor, id int64, campaignID *int64, version int) (Project, error) {
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := s.forChange(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		if ok, err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		} else if !ok {
			return errs.E(errs.Invalid, "招商活动不存在", "no such campaign").Field("campaign_id", "不存在", "does not exist")
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET campaign_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			campaignID, s.now(), id, version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, a, before, &out, "project.campaign")
	})
	return out, err
}

// LinkReferrer records the advisor and partner who referred a project
// without touching its other facts.
func (s *Service) LinkReferrer(ctx context.Context, a *org.Actor, id int64, advisorID, partnerID *int64, version int) (Project, error) {
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := s.forChange(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		if err := checkReferences(ctx, tx, Input{ReferrerAdvisorID: advisorID, ReferrerPartnerID: partnerID}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET referrer_advisor_id = ?, referrer_partner_id = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, advisorID, partnerID, s.now(), id, version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, a, before, &out, "project.referrer")
	})
	return out, err
}

// campaignExists: no campaign named, or one that exists.
func campaignExists(ctx context.Context, q db.Querier, id *int64) (bool, error) {
	if id == nil {
		return true, nil
	}
	return db.Exists(ctx, q, `SELECT COUNT(*) FROM campaigns WHERE id = ?`, *id)
}
