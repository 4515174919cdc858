package campaign

import (
	"context"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

func itoa(n int) string { return strconv.Itoa(n) }

// Stages reached: a project counts in every stage up to its current one
// (stepping back forgets a stage, as the project's dates do).
const (
	reachedNegotiating = `p.stage IN ('negotiating', 'signed', 'registered', 'construction', 'production')`
	reachedSigned      = `p.stage IN ('signed', 'registered', 'construction', 'production')`
	reachedLanded      = `p.stage IN ('registered', 'construction', 'production')`
)

// stageSums are the select list of a funnel over projects aliased p.
var stageSums = `COUNT(*), ` + amountSum("1=1") + `,
	` + countSum(reachedNegotiating) + `, ` + amountSum(reachedNegotiating) + `,
	` + countSum(reachedSigned) + `, ` + amountSum(reachedSigned) + `,
	` + countSum(reachedLanded) + `, ` + amountSum(reachedLanded)

// Sums are cast back to BIGINT: PostgreSQL sums BIGINTs as NUMERIC.
func countSum(cond string) string {
	return `CAST(COALESCE(SUM(CASE WHEN ` + cond + ` THEN 1 ELSE 0 END), 0) AS BIGINT)`
}

func amountSum(cond string) string {
	return `CAST(COALESCE(SUM(CASE WHEN ` + cond + ` THEN p.contract_investment ELSE 0 END), 0) AS BIGINT)`
}

func scanFunnel(dst []any, f *Funnel) []any {
	return append(dst, &f.Leads.Count, &f.Leads.Amount, &f.Negotiating.Count, &f.Negotiating.Amount,
		&f.Signed.Count, &f.Signed.Amount, &f.Landed.Count, &f.Landed.Amount)
}

// funnels counts the campaigns' projects in the actor's scope (merged
// duplicates left out).
func funnels(ctx context.Context, q db.Querier, a *org.Actor, ids []int64) (map[int64]Funnel, error) {
	out := map[int64]Funnel{}
	if len(ids) == 0 {
		return out, nil
	}
	ph, args := make([]string, len(ids)), make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = "?", id
	}
	cond, sargs := project.ScopeSQL(a)
	rows, err := q.QueryContext(ctx, `SELECT p.campaign_id, `+stageSums+` FROM projects p
		WHERE p.campaign_id IN (`+strings.Join(ph, ",")+`) AND `+project.NotMergedSQL+` AND `+cond+` GROUP BY p.campaign_id`, append(args, sargs...)...)
	if err != nil {
		return nil, errs.Wrap(err, "campaign results")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f Funnel
		if err := rows.Scan(scanFunnel([]any{&id}, &f)...); err != nil {
			return nil, errs.Wrap(err, "scan campaign results")
		}
		out[id] = f
	}
	return out, errs.Wrap(rows.Err(), "campaign results")
}

// ProjectRow is one project behind a campaign's figures.
type ProjectRow struct {
	ID                 int64       `json:"id"`
	Code               string      `json:"code"`
	Name               string      `json:"name"`
	InvestorName       string      `json:"investor_name"`
	Stage              string      `json:"stage"`
	Status             string      `json:"status"`
	Channel            string      `json:"channel"`
	ContractInvestment money.Cents `json:"contract_investment"`
	LeadOn             civil.Date  `json:"lead_on"`
	SignedOn           civil.Date  `json:"signed_on"`
	LocalityUnitName   string      `json:"locality_unit_name"`
}

// Projects lists the projects of a campaign the caller's scope reaches.
func (s *Service) Projects(ctx context.Context, a *org.Actor, id int64) ([]ProjectRow, error) {
	q := s.DB.Reader()
	if _, err := get(ctx, q, id); err != nil {
		return nil, err
	}
	cond, args := project.ScopeSQL(a)
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.code, p.name, p.investor_name, p.stage, p.status, p.channel, p.contract_investment,
		p.lead_on, p.signed_on, COALESCE(lu.name, '') FROM projects p LEFT JOIN units lu ON lu.id = p.locality_unit_id
		WHERE p.campaign_id = ? AND `+project.NotMergedSQL+` AND `+cond+` ORDER BY p.signed_on DESC, p.lead_on DESC, p.id DESC`,
		append([]any{id}, args...)...)
	if err != nil {
		return nil, errs.Wrap(err, "campaign projects")
	}
	defer rows.Close()
	out := []ProjectRow{}
	for rows.Next() {
		var r ProjectRow
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.InvestorName, &r.Stage, &r.Status, &r.Channel, &r.ContractInvestment,
			&r.LeadOn, &r.SignedOn, &r.LocalityUnitName); err != nil {
			return nil, errs.Wrap(err, "scan campaign project")
		}
		out = append(out, r)
	}
	return out, errs.Wrap(rows.Err(), "campaign projects")
}

// LinkInput attaches an existing project (a lead met there) to a campaign.
type LinkInput struct {
	ProjectID int64 `json:"project_id"`
	Version   int   `json:"version"` // the project's
}

// Link records that a project in the caller's scope came from a campaign;
// the project is changed (and audited) by the project service.
func (s *Service) Link(ctx context.Context, a *org.Actor, id int64, in LinkInput) (project.Project, error) {
	if in.ProjectID <= 0 {
		return project.Project{}, errs.E(errs.Invalid, "请选择项目", "choose a project").Field("project_id", "必填", "required")
	}
	if _, err := get(ctx, s.DB.Reader(), id); err != nil {
		return project.Project{}, err
	}
	return s.ProjectSvc.LinkCampaign(ctx, a, in.ProjectID, &id, in.Version)
}
