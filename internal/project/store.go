package project

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

const projectCols = `p.id, p.code, p.name, p.investor_name, p.investor_uscc, p.industry_code, p.chain_role,
	p.contract_investment, p.fixed_asset_investment, p.foreign_capital, p.funds_in_place, p.is_foreign,
	p.source_region, p.channel, p.referrer, p.tags, p.land_area_mu, p.expected_output, p.expected_tax, p.expected_jobs,
	p.stage, p.status, p.status_reason, p.lead_on, p.expected_sign_on, p.negotiating_on, p.signed_on, p.registered_on, p.construction_on, p.production_on,
	p.owner_unit_id, ou.name, p.locality_unit_id, COALESCE(lu.name, ''),
	p.handover_status, p.handover_to_unit_id, COALESCE(hu.name, ''), p.handover_sent_on, p.handover_deadline, p.handover_decided_on, p.handover_reason,
	p.leader_user_id, COALESCE(ld.display_name, ''), p.intro_officer_user_id, COALESCE(io.display_name, ''),
	p.locality_officer_user_id, COALESCE(lo.display_name, ''), p.is_key, p.last_tracking_on, COALESCE(cb.display_name, ''),
	p.campaign_id, COALESCE(cg.name, ''), p.referrer_advisor_id, COALESCE(ra.name, ''), p.referrer_partner_id, COALESCE(rp.name, ''),
	p.verify_status, p.verified_by, COALESCE(vb.display_name, ''), p.verified_at, p.verify_note, p.verify_attachment_id, p.merged_into_id,
	p.version, p.created_at, p.updated_at`

const projectFrom = ` FROM projects p
	JOIN units ou ON ou.id = p.owner_unit_id
	LEFT JOIN units lu ON lu.id = p.locality_unit_id
	LEFT JOIN units hu ON hu.id = p.handover_to_unit_id
	LEFT JOIN users ld ON ld.id = p.leader_user_id
	LEFT JOIN users io ON io.id = p.intro_officer_user_id
	LEFT JOIN users lo ON lo.id = p.locality_officer_user_id
	LEFT JOIN users cb ON cb.id = p.created_by
	LEFT JOIN campaigns cg ON cg.id = p.campaign_id
	LEFT JOIN advisors ra ON ra.id = p.referrer_advisor_id
	LEFT JOIN partners rp ON rp.id = p.referrer_partner_id
	LEFT JOIN users vb ON vb.id = p.verified_by`

func scanProject(sc interface{ Scan(...any) error }) (Project, error) {
	var p Project
	var tags string
	h, v := &p.Handover, &p.Verify
	err := sc.Scan(&p.ID, &p.Code, &p.Name, &p.InvestorName, &p.InvestorUSCC, &p.IndustryCode, &p.ChainRole,
		&p.ContractInvestment, &p.FixedAssetInvestment, &p.ForeignCapital, &p.FundsInPlace, &p.IsForeign,
		&p.SourceRegion, &p.Channel, &p.Referrer, &tags, &p.LandAreaMu, &p.ExpectedOutput, &p.ExpectedTax, &p.ExpectedJobs,
		&p.Stage, &p.Status, &p.StatusReason, &p.LeadOn, &p.ExpectedSignOn, &p.NegotiatingOn, &p.SignedOn, &p.RegisteredOn, &p.ConstructionOn, &p.ProductionOn,
		&p.OwnerUnitID, &p.OwnerUnitName, &p.LocalityUnitID, &p.LocalityUnitName,
		&h.Status, &h.ToUnitID, &h.ToUnitName, &h.SentOn, &h.Deadline, &h.DecidedOn, &h.Reason,
		&p.LeaderUserID, &p.LeaderName, &p.IntroOfficerID, &p.IntroOfficerName,
		&p.LocalityOfficerID, &p.LocalityOfficerName, &p.IsKey, &p.LastTrackingOn, &p.CreatedByName,
		&p.CampaignID, &p.CampaignName, &p.ReferrerAdvisorID, &p.ReferrerAdvisorName, &p.ReferrerPartnerID, &p.ReferrerPartnerName,
		&v.Status, &v.ByUserID, &v.ByName, &v.At, &v.Note, &v.AttachmentID, &p.MergedIntoID,
		&p.Version, &p.CreatedAt, &p.UpdatedAt)
	p.Tags = splitTags(tags)
	if c, ok := industry.Lookup(p.IndustryCode); ok {
		p.IndustryName = c.Name
	}
	p.Introducers = []Introducer{}
	return p, err
}

func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// get loads one project in the actor's scope (404 outside it).
func (s *Service) get(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Project, error) {
	cond, args := scopeSQL(a)
	p, err := scanProject(q.QueryRowContext(ctx, `SELECT `+projectCols+projectFrom+` WHERE p.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.NotFoundf("项目", "project")
	}
	if err != nil {
		return p, errs.Wrap(err, "get project")
	}
	list := []Project{p}
	if err := fillIntroducers(ctx, q, list); err != nil {
		return p, err
	}
	return list[0], nil
}

func fillIntroducers(ctx context.Context, q db.Querier, ps []Project) error {
	if len(ps) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph := make([]string, len(ps))
	args := make([]any, len(ps))
	for i, p := range ps {
		idx[p.ID], ph[i], args[i] = i, "?", p.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT pi.project_id, pi.unit_id, u.name, pi.share_bp FROM project_introducers pi
		JOIN units u ON u.id = pi.unit_id WHERE pi.project_id IN (`+strings.Join(ph, ",")+`) ORDER BY pi.share_bp DESC, pi.unit_id`, args...)
	if err != nil {
		return errs.Wrap(err, "introducers")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var in Introducer
		if err := rows.Scan(&pid, &in.UnitID, &in.UnitName, &in.Share); err != nil {
			return errs.Wrap(err, "scan introducer")
		}
		ps[idx[pid]].Introducers = append(ps[idx[pid]].Introducers, in)
	}
	return errs.Wrap(rows.Err(), "introducers")
}
