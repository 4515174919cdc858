package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

// screeningOf creates a screening through HTTP and returns its id and version.
func screeningOf(t *testing.T, c *client, projectID int64, on string, inputs any) (int64, int, []byte) {
	t.Helper()
	st, b := c.do("POST", fmt.Sprintf("/api/v1/projects/%d/evaluations", projectID), map[string]any{"evaluated_on": on, "inputs": inputs})
	wantStatus(t, "create screening", st, b, 201, "")
	var e evalBody
	mustJSON(t, b, &e)
	return e.ID, e.Version, b
}

// evalStep posts a workflow step and returns the new version.
func evalStep(t *testing.T, c *client, id int64, step string, version, want int, msg string) int {
	t.Helper()
	body := map[string]any{"version": version, "comment": "意见",
		"confirmations": map[string]any{"fair_competition": map[string]string{"answer": "ok"}, "negative_list_confirmed": map[string]string{"answer": "ok"}}}
	st, b := c.do("POST", fmt.Sprintf("/api/v1/evaluations/%d/%s", id, step), body)
	wantStatus(t, step, st, b, want, msg)
	if st != 200 {
		return version
	}
	var e evalBody
	mustJSON(t, b, &e)
	return e.Version
}

// TestScreeningDay: a screening is dated between the project's lead date
// and today, on create, on revision and (should the lead date move) at
// submission; a screening with no baseline in force fails, naming who
// must set one, and cannot be approved.
func TestScreeningDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz := h.as("dz_staff")
		p := h.freshProject("dz_staff", "441202") // lead 2025-01-10
		base := fmt.Sprintf("/api/v1/projects/%d/evaluations", p.ID)
		for _, c := range []struct{ on, msg string }{{"2019-06-01", "不能早于项目线索日期（2025-01-10）"}, {"2099-01-01", "不能晚于今天"}} {
			st, b := dz.do("POST", base, map[string]any{"evaluated_on": c.on, "inputs": goodInputs})
			wantStatus(t, "screening dated "+c.on, st, b, 400, c.msg)
		}
		id, v, _ := screeningOf(t, dz, p.ID, "2025-01-15", goodInputs)
		st, b := dz.do("PUT", fmt.Sprintf("/api/v1/evaluations/%d", id), map[string]any{"evaluated_on": "2025-01-01", "inputs": goodInputs, "version": v})
		wantStatus(t, "revised to before the lead date", st, b, 400, "线索日期")

		// A project led in 2019, before the first baseline (2020-01-01): no baseline applies.
		loc := h.unitID("441202")
		old, err := h.app.Project.Create(context.Background(), h.actorOf("dz_staff"), project.Input{Name: "水泥粉磨站项目", InvestorName: "某建材有限公司",
			Channel: "team", ContractInvestment: 1000_00, LocalityUnitID: &loc, LeadOn: civil.MustParse("2019-03-01")})
		if err != nil {
			t.Fatal(err)
		}
		id, v, b = screeningOf(t, dz, old.ID, "2019-06-01", goodInputs)
		if !strings.Contains(string(b), `"verdict":"fail"`) || !strings.Contains(string(b), "没有适用的投资效益底线规则") || !strings.Contains(string(b), "维护投资效益底线与负面清单") {
			t.Fatalf("no baseline must fail and name who sets one: %s", b)
		}
		v = evalStep(t, dz, id, "submit", v, 200, "")
		v = evalStep(t, h.as("zsb_staff"), id, "review", v, 200, `"verdict":"fail"`)
		evalStep(t, h.as("zsb_leader"), id, "approve", v, 422, "不通过")
	})
}

// TestScreeningDuties: submitter, reviewer and approver are three people;
// the office's staff do not approve; the project's officer never reviews.
func TestScreeningDuties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, zsb, lead := h.as("dz_staff"), h.as("zsb_staff"), h.as("zsb_leader")
		conf := goodInputs

		// zsb_staff prepares and submits, then tries to review it.
		p := h.freshProject("dz_staff", "441202")
		id, v, _ := screeningOf(t, zsb, p.ID, "2025-01-15", conf)
		v = evalStep(t, zsb, id, "submit", v, 200, "")
		evalStep(t, zsb, id, "review", v, 403, "填报或提交人不能审核")
		// The director reviews it and then tries to approve it too.
		v = evalStep(t, lead, id, "review", v, 200, "")
		evalStep(t, lead, id, "approve", v, 403, "审核人与审定人不能为同一人")
		evalStep(t, zsb, id, "approve", v, 403, "") // staff hold no approve permission

		// The director prepares one, staff review it, the director tries to approve.
		p = h.freshProject("dz_staff", "441202")
		id, v, _ = screeningOf(t, lead, p.ID, "2025-01-15", conf)
		v = evalStep(t, lead, id, "submit", v, 200, "")
		v = evalStep(t, zsb, id, "review", v, 200, "")
		evalStep(t, lead, id, "approve", v, 403, "不能审定本人提交")

		// The project's service officer does not review it.
		p = h.freshProject("dz_staff", "441202")
		h.exec(t, `UPDATE projects SET intro_officer_user_id = ? WHERE id = ?`, h.userID("zsb_staff"), p.ID)
		id, v, _ = screeningOf(t, dz, p.ID, "2025-01-15", conf)
		v = evalStep(t, dz, id, "submit", v, 200, "")
		evalStep(t, zsb, id, "review", v, 403, "跟踪服务专员")

		// Three people: it passes.
		p = h.freshProject("dz_staff", "441202")
		id, v, _ = screeningOf(t, dz, p.ID, "2025-01-15", conf)
		v = evalStep(t, dz, id, "submit", v, 200, "")
		v = evalStep(t, zsb, id, "review", v, 200, "")
		evalStep(t, lead, id, "approve", v, 200, `"status":"approved"`)
	})
}

// TestApprovalCoversFigures: an approval covers the figures screened; a
// change of investment, land, industry, investor or locality afterwards
// (through the form or the table) makes the gate ask for a new screening,
// and a screening approved by editing the table, recording no figures, is
// no approval.
func TestApprovalCoversFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz := h.as("dz_staff")
		p := h.freshProject("dz_staff", "441202")
		h.exec(t, `UPDATE projects SET stage = 'negotiating', negotiating_on = '2025-01-20' WHERE id = ?`, p.ID)
		agreement := attach(t, dz, p.ID, "agreement")
		sign := func(want int, msg string) {
			t.Helper()
			var cur struct{ Version int }
			dz.get(fmt.Sprintf("/api/v1/projects/%d", p.ID), &cur)
			st, b := dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID), map[string]any{"action": "signed", "on": "2025-02-01",
				"attachment_id": agreement, "version": cur.Version})
			wantStatus(t, "sign", st, b, want, msg)
		}
		h.approvedScreening(p.ID)
		for _, c := range []struct{ set, undo, word string }{
			{"land_area_mu = 26400", "land_area_mu = 0", "用地面积"},
			{"contract_investment = 100", "contract_investment = 5000000", "投资额"},
			{"industry_code = '3011'", "industry_code = ''", "行业"},
			{"investor_name = '另一家公司'", "investor_name = '" + p.InvestorName + "'", "投资方"},
			{fmt.Sprintf("locality_unit_id = %d", h.unitID("441204")), fmt.Sprintf("locality_unit_id = %d", h.unitID("441202")), "落户地"},
		} {
			h.exec(t, `UPDATE projects SET `+c.set+` WHERE id = ?`, p.ID)
			sign(422, c.word)
			h.exec(t, `UPDATE projects SET `+c.undo+` WHERE id = ?`, p.ID)
		}
		// Through the form: the investment changes after approval.
		var cur struct{ Version int }
		dz.get(fmt.Sprintf("/api/v1/projects/%d", p.ID), &cur)
		st, b := dz.do("PUT", fmt.Sprintf("/api/v1/projects/%d", p.ID), map[string]any{"name": p.Name, "investor_name": p.InvestorName, "channel": "team",
			"contract_investment": 60000, "locality_unit_id": h.unitID("441202"), "lead_on": "2025-01-10",
			"introducers": []map[string]any{{"unit_id": h.unitID("441202"), "share": 100}}, "version": cur.Version})
		wantStatus(t, "edit", st, b, 200, "")
		sign(422, "须重新论证评估")
		// An approval written into the table records no figures: refused.
		h.exec(t, `UPDATE evaluations SET screened_json = '' WHERE project_id = ?`, p.ID)
		sign(422, "重新论证评估")
		h.approvedScreening(p.ID)
		sign(200, "")
	})
}

// TestFailureDigits: 249.9999 万元/亩 against a 250 minimum is shown as
// 249.9999 (not 250.00) in the JSON the UI and print view read, and in the
// DOCX.
func TestFailureDigits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz := h.as("dz_staff")
		p := h.freshProject("dz_staff", "441202")
		in := goodInputs
		in.LandAreaMu, in.FixedAssetInvestment = 100_00, 24_999_99
		id, v, b := screeningOf(t, dz, p.ID, "2025-01-15", in)
		if !strings.Contains(string(b), `"actual":"249.9999"`) || !strings.Contains(string(b), "投资强度 249.9999万元/亩，低于底线 250.00万元/亩") {
			t.Fatalf("the failing value must show why: %s", b)
		}
		evalStep(t, dz, id, "submit", v, 200, "249.9999")
		st, docx := dz.do("GET", fmt.Sprintf("/api/v1/evaluations/%d/docx", id), nil)
		if text := docxText(t, docx); st != 200 || !strings.Contains(text, "249.9999") || !strings.Contains(text, "低于底线 250.00万元/亩") {
			t.Fatalf("docx: %d %.400s", st, text)
		}
	})
}

// TestNegativeListControls: a foreign-funded project in a prohibited
// class fails its screening and cannot sign even with the gate set to
// warn; the list is matched on the 4-digit class, not the section; a
// restricted class needs the reviewer's recorded condition; a 两高 project
// starts construction only after its energy review is approved.
func TestNegativeListControls(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, zsb, lead := h.as("dz_staff"), h.as("zsb_staff"), h.as("zsb_leader")
		foreign := func(code string) project.Project {
			p := h.freshProject("dz_staff", "441202")
			h.exec(t, `UPDATE projects SET is_foreign = ?, foreign_capital = 100000, industry_code = ? WHERE id = ?`, true, code, p.ID)
			return p
		}
		check := func(b []byte, status string) {
			t.Helper()
			var e struct {
				Results struct {
					Checklist []struct{ Code, Status string }
				}
			}
			mustJSON(t, b, &e)
			for _, c := range e.Results.Checklist {
				if c.Code == "negative_list" && c.Status == status {
					return
				}
			}
			t.Fatalf("negative_list should be %s: %s", status, b)
		}
		// 稀土金属矿采选 (0932), item 5 禁止: the screening fails.
		rare := foreign("0932")
		_, _, b := screeningOf(t, dz, rare.ID, "2025-01-15", goodInputs)
		check(b, "fail")
		if !strings.Contains(string(b), "禁止类") || !strings.Contains(string(b), `"verdict":"fail"`) {
			t.Fatalf("prohibited: %s", b)
		}
		// Coal mining (0610) shares the section B with item 5 but not its class.
		_, _, b = screeningOf(t, dz, foreign("0610").ID, "2025-01-15", goodInputs)
		check(b, "pass")
		// A code short of a class that may fall under an item is flagged.
		_, _, b = screeningOf(t, dz, foreign("093").ID, "2025-01-15", goodInputs)
		check(b, "flag")

		// Walk-around: the gate set to warn. A prohibited class still does not sign.
		var g struct{ Version int }
		h.as("sysadmin").get("/api/v1/settings/screening-gate", &g)
		st, b := h.as("sysadmin").do("PUT", "/api/v1/settings/screening-gate", map[string]any{"mode": "warn", "version": g.Version})
		wantStatus(t, "gate to warn", st, b, 200, "")
		h.exec(t, `UPDATE projects SET stage = 'negotiating', negotiating_on = '2025-01-20' WHERE id = ?`, rare.ID)
		agreement := attach(t, dz, rare.ID, "agreement")
		var cur struct{ Version int }
		dz.get(fmt.Sprintf("/api/v1/projects/%d", rare.ID), &cur)
		st, b = dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", rare.ID), map[string]any{"action": "signed", "on": "2025-02-01",
			"attachment_id": agreement, "version": cur.Version})
		wantStatus(t, "signing a prohibited foreign project", st, b, 422, "负面清单禁止类")
		h.as("sysadmin").get("/api/v1/settings/screening-gate", &g)
		st, b = h.as("sysadmin").do("PUT", "/api/v1/settings/screening-gate", map[string]any{"mode": "require", "version": g.Version})
		wantStatus(t, "gate back to require", st, b, 200, "")

		// 综合医院 (8411), item 22 限制: confirmed only with the condition recorded.
		hosp := foreign("8411")
		id, v, b := screeningOf(t, dz, hosp.ID, "2025-01-15", goodInputs)
		check(b, "flag")
		v = evalStep(t, dz, id, "submit", v, 200, "")
		st, b = zsb.do("POST", fmt.Sprintf("/api/v1/evaluations/%d/review", id), map[string]any{"version": v,
			"confirmations": map[string]any{"fair_competition": map[string]string{"answer": "ok"}, "negative_list_confirmed": map[string]string{"answer": "ok"}}})
		wantStatus(t, "review without the condition", st, b, 200, "记录限制条件")
		var e evalBody
		mustJSON(t, b, &e)
		evalStep(t, lead, id, "approve", e.Version, 422, "审核人尚未确认")
		v = evalStep(t, zsb, id, "return", e.Version, 200, "")
		v = evalStep(t, dz, id, "submit", v, 200, "")
		st, b = zsb.do("POST", fmt.Sprintf("/api/v1/evaluations/%d/review", id), map[string]any{"version": v,
			"confirmations": map[string]any{"fair_competition": map[string]string{"answer": "ok"},
				"negative_list_confirmed": map[string]string{"answer": "ok", "comment": "中外合资，外资股比不超过 70%，已取得省卫健委设置批准"}}})
		wantStatus(t, "review with the condition", st, b, 200, "")
		mustJSON(t, b, &e)
		evalStep(t, lead, id, "approve", e.Version, 200, `"status":"approved"`)

		// Cement (3011) is 两高: construction waits for the approved energy review.
		cement := h.freshProject("dz_staff", "441202")
		h.exec(t, `UPDATE projects SET industry_code = '3011', stage = 'registered', negotiating_on = '2025-01-11', signed_on = '2025-01-12', registered_on = '2025-01-13' WHERE id = ?`, cement.ID)
		build := func(want int, msg string) {
			t.Helper()
			dz.get(fmt.Sprintf("/api/v1/projects/%d", cement.ID), &cur)
			st, b := dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", cement.ID), map[string]any{"action": "construction", "on": "2025-02-01",
				"evidence": "441202202501", "version": cur.Version})
			wantStatus(t, "construction", st, b, want, msg)
		}
		build(422, "节能审查")
		st, b = dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/approvals", cement.ID), map[string]any{"kind": "energy_review", "status": "in_progress", "submitted_on": "2025-01-14"})
		wantStatus(t, "energy review filed", st, b, 201, "")
		build(422, "节能审查")
		var ap struct{ ID, Version int64 }
		mustJSON(t, b, &ap)
		st, b = dz.do("PUT", fmt.Sprintf("/api/v1/approvals/%d", ap.ID), map[string]any{"kind": "energy_review", "status": "approved", "submitted_on": "2025-01-14",
			"approved_on": "2025-01-20", "document_no": "肇发改能审〔2025〕1号", "version": ap.Version})
		wantStatus(t, "energy review approved", st, b, 200, "")
		build(200, "")
	})
}
