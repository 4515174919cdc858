package web_test

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/project"
)

var (
	evalWriters = []string{"zsb_staff", "wg_nev", "dz_staff", "dept_staff"}
	commission  = []string{"zsb_staff"}
	director    = []string{"zsb_leader"} // approves screenings (the office's staff do not)
)

// dzScreening: a 端州区 project's screening, brought to a state, for routes
// on one screening.
func dzScreening(state, suffix string, body func(e evaluation.Evaluation) any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		ctx := context.Background()
		p := h.freshProject("dz_staff", "441202")
		es := h.app.Evaluation
		e, err := es.Create(ctx, h.actorOf("dz_staff"), p.ID, evaluation.Input{EvaluatedOn: civil.MustParse("2025-01-15"), Inputs: goodInputs})
		if err == nil && (state == "submitted" || state == "reviewed") {
			e, err = es.Submit(ctx, h.actorOf("dz_staff"), e.ID, evaluation.Step{Version: e.Version})
		}
		if err == nil && state == "reviewed" {
			e, err = es.Review(ctx, h.actorOf("zsb_staff"), e.ID, evaluation.Step{Version: e.Version,
				Confirmations: map[string]evaluation.Confirmation{"fair_competition": {Answer: "ok"}}})
		}
		if err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/evaluations/%d%s", e.ID, suffix), body(e)
	}
}

func version(e evaluation.Evaluation) any {
	return map[string]any{"version": e.Version, "comment": "意见"}
}

func init() {
	rows := map[string]access{
		"GET /api/v1/projects/{id}/evaluations": {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/evaluations", nil)},
		"POST /api/v1/projects/{id}/evaluations": {allowed: evalWriters, hidden: outsideDZ, status: 201, prep: dzProject("/evaluations", func(*harness, project.Project) any {
			return map[string]any{"evaluated_on": "2025-01-15", "inputs": goodInputs}
		})},
		"GET /api/v1/evaluations/{id}":      {allowed: projectReaders, hidden: outsideDZ, prep: dzScreening("draft", "", func(evaluation.Evaluation) any { return nil })},
		"GET /api/v1/evaluations/{id}/docx": {allowed: projectReaders, hidden: outsideDZ, prep: dzScreening("reviewed", "/docx", func(evaluation.Evaluation) any { return nil })},
		"PUT /api/v1/evaluations/{id}": {allowed: evalWriters, hidden: outsideDZ, prep: dzScreening("draft", "", func(e evaluation.Evaluation) any {
			return map[string]any{"inputs": goodInputs, "version": e.Version}
		})},
		"POST /api/v1/evaluations/{id}/submit":  {allowed: evalWriters, hidden: outsideDZ, prep: dzScreening("draft", "/submit", version)},
		"POST /api/v1/evaluations/{id}/review":  {allowed: commission, prep: dzScreening("submitted", "/review", version)},
		"POST /api/v1/evaluations/{id}/approve": {allowed: director, prep: dzScreening("reviewed", "/approve", version)},
		"POST /api/v1/evaluations/{id}/return":  {allowed: commission, prep: dzScreening("submitted", "/return", version)},
		"GET /api/v1/evaluations/summary":       {allowed: projectReaders, prep: path("/api/v1/evaluations/summary")},
		"GET /api/v1/baselines":                 {allowed: projectReaders, prep: path("/api/v1/baselines")},
		"POST /api/v1/baselines": {allowed: commission, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/baselines", map[string]any{"name": "测试底线", "effective_from": "2025-01-01",
				"rules": []map[string]any{{"indicator": "tax_per_mu", "op": "min", "value": 20}}}
		}},
		"GET /api/v1/settings/screening-gate": {allowed: everyone, prep: path("/api/v1/settings/screening-gate")},
		"PUT /api/v1/settings/screening-gate": {allowed: []string{"sysadmin"}, prep: func(h *harness, _ string) (string, any) {
			g, err := h.app.Evaluation.Gate(context.Background())
			if err != nil {
				h.t.Fatal(err)
			}
			return "/api/v1/settings/screening-gate", map[string]any{"mode": "require", "version": g.Version}
		}},
		"GET /api/v1/negative-list": {allowed: projectReaders, prep: path("/api/v1/negative-list")},
		"PUT /api/v1/negative-list/{id}": {allowed: commission, prep: func(h *harness, _ string) (string, any) {
			items, err := h.app.Evaluation.NegativeList(context.Background())
			if err != nil || len(items) == 0 {
				h.t.Fatal(err)
			}
			it := items[0]
			it.Verification = "checked_official_text"
			return fmt.Sprintf("/api/v1/negative-list/%d", it.ID), it
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}
