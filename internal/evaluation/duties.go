package evaluation

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// Separation of duties: whoever prepared a screening (created, revised or
// submitted it), whoever reviewed it and whoever approves it are three
// different people, and neither the reviewer nor the approver is one of
// the project's service officers. Approving needs evaluation:approve
// (the director's role by default), checked by the route.

// preparers are the users who created, revised or submitted the screening.
func preparers(ctx context.Context, q db.Querier, e Evaluation) (map[int64]bool, error) {
	out := map[int64]bool{}
	var by *int64
	if err := q.QueryRowContext(ctx, `SELECT created_by FROM evaluations WHERE id = ?`, e.ID).Scan(&by); err != nil {
		return nil, errs.Wrap(err, "screening author")
	}
	if by != nil {
		out[*by] = true
	}
	for _, r := range e.Reviews {
		if (r.Action == "submit" || r.Action == "revise") && r.ByID != nil {
			out[*r.ByID] = true
		}
	}
	return out, nil
}

// lastReviewer is who reviewed the screening since it was last submitted.
func lastReviewer(e Evaluation) *int64 {
	for i := len(e.Reviews) - 1; i >= 0; i-- {
		switch r := e.Reviews[i]; r.Action {
		case "review":
			return r.ByID
		case "submit":
			return nil
		}
	}
	return nil
}

// checkDuties refuses a review or an approval by someone who may not give it.
func (s *Service) checkDuties(ctx context.Context, q db.Querier, a *org.Actor, e Evaluation, p project.Project, step string) error {
	if a.UserID == 0 {
		return nil // the system itself (demo data, repairs): no person to separate
	}
	prep, err := preparers(ctx, q, e)
	if err != nil {
		return err
	}
	if prep[a.UserID] {
		if step == "review" {
			return errs.E(errs.Forbidden, "填报或提交人不能审核本人提交的论证评估", "whoever prepared or submitted a screening cannot review it")
		}
		return errs.E(errs.Forbidden, "填报或提交人不能审定本人提交的论证评估", "whoever prepared or submitted a screening cannot approve it")
	}
	for _, officer := range []*int64{p.IntroOfficerID, p.LocalityOfficerID} {
		if officer != nil && *officer == a.UserID {
			return errs.E(errs.Forbidden, "项目的跟踪服务专员不能审核或审定本项目的论证评估", "the project's service officer cannot review or approve its screening")
		}
	}
	if step == "approve" {
		if r := lastReviewer(e); r != nil && *r == a.UserID {
			return errs.E(errs.Forbidden, "审核人与审定人不能为同一人", "the reviewer cannot also approve")
		}
	}
	return nil
}

// screened are the project's figures an approval covers: when any changes
// afterwards, the signing gate asks for a new screening.
type screened struct {
	FixedAssetInvestment money.Cents `json:"fixed_asset_investment"`
	ContractInvestment   money.Cents `json:"contract_investment"`
	LandAreaMu           money.Cents `json:"land_area_mu"`
	IndustryCode         string      `json:"industry_code"`
	InvestorName         string      `json:"investor_name"`
	InvestorUSCC         string      `json:"investor_uscc"`
	LocalityUnitID       int64       `json:"locality_unit_id"`
	Foreign              bool        `json:"foreign"`
	ForeignCapital       money.Cents `json:"foreign_capital"`
}

func screenedOf(p project.Project) screened {
	s := screened{p.FixedAssetInvestment, p.ContractInvestment, p.LandAreaMu, p.IndustryCode, strings.TrimSpace(p.InvestorName), p.InvestorUSCC, 0,
		p.IsForeign, p.ForeignCapital}
	if p.LocalityUnitID != nil {
		s.LocalityUnitID = *p.LocalityUnitID
	}
	return s
}

func (s screened) json() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// changedSince names (in Chinese and English) the figures that differ
// from those approved.
func (s screened) changedSince(approved screened) (zh, en []string) {
	for _, c := range []struct {
		changed bool
		zh, en  string
	}{
		{s.FixedAssetInvestment != approved.FixedAssetInvestment || s.ContractInvestment != approved.ContractInvestment, "投资额", "investment"},
		{s.LandAreaMu != approved.LandAreaMu, "用地面积", "land area"},
		{s.IndustryCode != approved.IndustryCode, "行业", "industry"},
		{s.InvestorName != approved.InvestorName || s.InvestorUSCC != approved.InvestorUSCC, "投资方", "investor"},
		{s.Foreign != approved.Foreign || s.ForeignCapital != approved.ForeignCapital, "外资情况", "foreign capital"},
		{s.LocalityUnitID != approved.LocalityUnitID, "落户地", "landing locality"},
	} {
		if c.changed {
			zh, en = append(zh, c.zh), append(en, c.en)
		}
	}
	return zh, en
}

// checkDay: a screening is dated between the project's lead date and today.
func checkDay(day, leadOn, today civil.Date) error {
	if day.After(today) {
		return errs.E(errs.Invalid, "论证日期不能晚于今天", "the screening date cannot be in the future").Field("evaluated_on", "不能晚于今天", "cannot be in the future")
	}
	if !leadOn.IsZero() && day.Before(leadOn) {
		return errs.E(errs.Invalid, "论证日期不能早于项目线索日期（"+leadOn.String()+"）", "the screening date cannot be before the project's lead date ("+leadOn.String()+")").
			Field("evaluated_on", "不能早于 "+leadOn.String(), "cannot be before "+leadOn.String())
	}
	return nil
}
