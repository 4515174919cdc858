package demo

import (
	"context"

	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// screen gives a demo project the approved screening it needs before it
// signs: plausible inputs that meet the default baselines, reviewed and
// approved, dated the day before signing.
func screen(ctx context.Context, es *evaluation.Service, a *org.Actor, p project.Project, on civil.Date) error {
	reviewer := &org.Actor{Username: "zsb_staff", DisplayName: "黄志强", UserID: userByName(ctx, es, "zsb_staff"), Scope: org.ScopeAll}
	approver := &org.Actor{Username: "zsb_leader", DisplayName: "林振华", UserID: userByName(ctx, es, "zsb_leader"), Scope: org.ScopeAll}
	land := p.LandAreaMu
	if limit := p.FixedAssetInvestment * 100 / 300_00; limit > 0 && land > limit {
		land = limit // keep the investment intensity above the default 250 万元/亩
	}
	if land <= 0 {
		land = 10_00
	}
	in := evaluation.Inputs{LandAreaMu: land, FixedAssetInvestment: p.FixedAssetInvestment, TotalInvestment: p.ContractInvestment,
		ExpectedOutput: max(p.ExpectedOutput, land*400), ExpectedTax: max(p.ExpectedTax, land*20), Jobs: p.ExpectedJobs,
		EnergyTCE: money.Cents(int64(p.ExpectedOutput) / 10), BuildingCoverage: 42_00, AdminFacilityShare: 5_00, FloorAreaRatio: 1_20}
	e, err := es.Create(ctx, a, p.ID, evaluation.Input{EvaluatedOn: on, Inputs: in})
	if err != nil {
		return err
	}
	steps := []func(context.Context, *org.Actor, int64, evaluation.Step) (evaluation.Evaluation, error){es.Submit, es.Review, es.Approve}
	by := []*org.Actor{a, reviewer, approver}
	for i, step := range steps {
		st := evaluation.Step{Version: e.Version, Comment: []string{"提交论证", "经审核，符合投资效益底线", "同意"}[i]}
		if i == 1 {
			st.Confirmations = map[string]evaluation.Confirmation{"fair_competition": {Answer: "ok"}, "negative_list_confirmed": {Answer: "ok"}}
		}
		if e, err = step(ctx, by[i], e.ID, st); err != nil {
			return err
		}
	}
	return nil
}

func userByName(ctx context.Context, es *evaluation.Service, name string) int64 {
	var id int64
	_ = es.DB.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE username = ?`, name).Scan(&id)
	return id
}
