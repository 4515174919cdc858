package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// approvedScreening gives a project an approved screening through the
// service, by three people: the project's registering user submits it
// (the test system when that is the office itself), zsb_staff reviews and
// zsb_leader approves; dated the project's lead day.
func (h *harness) approvedScreening(projectID int64) {
	h.t.Helper()
	ctx := context.Background()
	es := h.app.Evaluation
	p, err := h.app.Project.GetIn(ctx, h.app.DB.Reader(), system, projectID)
	if err != nil {
		h.t.Fatal(err)
	}
	writer := system
	var by string
	_ = h.app.DB.Reader().QueryRowContext(ctx, `SELECT u.username FROM projects p JOIN users u ON u.id = p.created_by WHERE p.id = ?`, projectID).Scan(&by)
	if by != "" && by != "zsb_staff" && by != "zsb_leader" {
		writer = h.actorOf(by)
	}
	e, err := es.Create(ctx, writer, projectID, evaluation.Input{EvaluatedOn: p.LeadOn, Inputs: goodInputs})
	if err != nil {
		h.t.Fatal(err)
	}
	conf := map[string]evaluation.Confirmation{"fair_competition": {Answer: "ok"}, "negative_list_confirmed": {Answer: "ok"}}
	if e, err = es.Submit(ctx, writer, e.ID, evaluation.Step{Version: e.Version}); err == nil {
		if e, err = es.Review(ctx, h.actorOf("zsb_staff"), e.ID, evaluation.Step{Version: e.Version, Confirmations: conf}); err == nil {
			_, err = es.Approve(ctx, h.actorOf("zsb_leader"), e.ID, evaluation.Step{Version: e.Version})
		}
	}
	if err != nil {
		h.t.Fatal(err)
	}
}

var goodInputs = evaluation.Inputs{LandAreaMu: 100_00, FixedAssetInvestment: 40_000_00, ExpectedOutput: 60_000_00, ExpectedTax: 3_000_00,
	EnergyTCE: 1_000_00, BuildingCoverage: 40_00, AdminFacilityShare: 5_00, FloorAreaRatio: 1_50}

type evalBody struct {
	ID      int64
	Status  string
	Verdict string
	Version int
}

// TestScreeningWorkflow is the story through HTTP: a project fails
// on investment intensity, is returned, revised, passes, is reviewed by one
// person and approved by another, and only then can be signed.
func TestScreeningWorkflow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, zsb, lead := h.as("dz_staff"), h.as("zsb_staff"), h.as("zsb_leader")
		p := h.freshProject("dz_staff", "441202")
		step := func(c *client, path string, body map[string]any, want int) evalBody {
			t.Helper()
			st, b := c.do("POST", path, body)
			if st != want {
				t.Fatalf("POST %s: %d want %d: %s", path, st, want, b)
			}
			var e evalBody
			_ = json.Unmarshal(b, &e)
			return e
		}
		weak := goodInputs
		weak.FixedAssetInvestment = 20_000_00 // 200 万元/亩 < 250
		st, b := dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/evaluations", p.ID), map[string]any{"evaluated_on": "2025-01-15", "inputs": weak})
		if st != 201 {
			t.Fatalf("create: %d %s", st, b)
		}
		var e evalBody
		mustJSON(t, b, &e)
		if e.Verdict != "fail" || !strings.Contains(string(b), "低于底线") {
			t.Fatalf("weak project must fail on intensity: %s", b)
		}
		base := fmt.Sprintf("/api/v1/evaluations/%d", e.ID)
		e = step(dz, base+"/submit", map[string]any{"version": e.Version}, 200)
		step(lead, base+"/approve", map[string]any{"version": e.Version}, 422) // not reviewed yet
		e = step(zsb, base+"/return", map[string]any{"version": e.Version, "comment": "投资强度不足，请核实固定资产投资"}, 200)
		if e.Status != "returned" {
			t.Fatalf("returned: %+v", e)
		}
		st, b = dz.do("PUT", base, map[string]any{"inputs": goodInputs, "version": e.Version})
		if st != 200 {
			t.Fatalf("revise: %d %s", st, b)
		}
		mustJSON(t, b, &e)
		e = step(dz, base+"/submit", map[string]any{"version": e.Version}, 200)
		if e.Verdict != "conditional" { // the reviewer has yet to confirm fair competition
			t.Fatalf("submitted verdict: %s", e.Verdict)
		}
		e = step(zsb, base+"/review", map[string]any{"version": e.Version, "comment": "符合底线要求",
			"confirmations": map[string]any{"fair_competition": map[string]string{"answer": "ok"}}}, 200)
		if e.Verdict != "pass" || e.Status != "reviewed" {
			t.Fatalf("reviewed: %+v", e)
		}
		step(zsb, base+"/approve", map[string]any{"version": e.Version}, 403) // the office's staff do not approve
		// Signing before approval is refused by the gate.
		h.exec(t, `UPDATE projects SET stage = 'negotiating', negotiating_on = '2025-01-20' WHERE id = ?`, p.ID)
		agreement := attach(t, dz, p.ID, "agreement")
		sign := func(want int) {
			t.Helper()
			var cur struct{ Version int }
			dz.get(fmt.Sprintf("/api/v1/projects/%d", p.ID), &cur)
			if st, b := dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID), map[string]any{"action": "signed", "on": "2025-02-01",
				"attachment_id": agreement, "version": cur.Version}); st != want {
				t.Fatalf("sign: %d want %d: %s", st, want, b)
			}
		}
		sign(422)
		step(lead, base+"/approve", map[string]any{"version": e.Version, "comment": "同意"}, 200)
		sign(200)
		// The trail and the audit.
		var got struct {
			Status  string
			Reviews []struct{ Action string }
		}
		dz.get(base, &got)
		var actions []string
		for _, r := range got.Reviews {
			actions = append(actions, r.Action)
		}
		if got.Status != "approved" || strings.Join(actions, ",") != "submit,return,revise,submit,review,approve" {
			t.Fatalf("trail: %s %v", got.Status, actions)
		}
		// The report names every rule and the reviewers, as a real DOCX.
		st, docx := dz.do("GET", base+"/docx", nil)
		text := docxText(t, docx)
		if st != 200 || !strings.Contains(text, "投资强度") || !strings.Contains(text, "审定") || !strings.Contains(text, "亩均税收") {
			t.Fatalf("docx: %d %.300s", st, text)
		}
		// The summary counts it (in scope) and the other locality's summary does not.
		var sum struct{ Total struct{ Screened, Pass int } }
		dz.get("/api/v1/evaluations/summary", &sum)
		if sum.Total.Screened != 1 || sum.Total.Pass != 1 {
			t.Fatalf("summary: %+v", sum)
		}
		h.as("gy_staff").get("/api/v1/evaluations/summary", &sum)
		if sum.Total.Screened != 0 {
			t.Fatalf("gy summary: %+v", sum)
		}
		// Another locality cannot see the screening.
		if st, _ := h.as("gy_staff").do("GET", base, nil); st != 404 {
			t.Fatalf("gy reads the screening: %d", st)
		}
	})
}

func attach(t *testing.T, c *client, projectID int64, kind string) int64 {
	t.Helper()
	st, b := c.do("POST", fmt.Sprintf("/api/v1/projects/%d/attachments", projectID), upload{kind: kind, filename: kind + ".pdf", data: pdf})
	if st != 201 {
		t.Fatalf("attach: %d %s", st, b)
	}
	var f struct{ ID int64 }
	mustJSON(t, b, &f)
	return f.ID
}

func (h *harness) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := h.app.DB.W.ExecContext(context.Background(), h.app.DB.Rebind(q), args...); err != nil {
		t.Fatal(err)
	}
	if err := project.TouchAll(context.Background(), h.app.DB); err != nil {
		t.Fatal(err)
	}
}

// TestBaselineVersionsAndChecklist: the rules in force on the screening's
// day, the most specific set, and the system's checklist.
func TestBaselineVersionsAndChecklist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		gx := h.unitID("ZONE-GX")
		mk := func(name, from string, park *int64, prefixes []string, min int64) {
			if _, err := h.app.Evaluation.CreateSet(ctx, h.actorOf("zsb_staff"), evaluation.BaselineSet{Name: name, EffectiveFrom: civil.MustParse(from),
				ParkUnitID: park, IndustryPrefixes: prefixes, Rules: []evaluation.Rule{{Indicator: "investment_intensity", Op: "min", Value: moneyC(min)}}}); err != nil {
				t.Fatal(err)
			}
		}
		mk("高新区2024版", "2024-01-01", &gx, nil, 300)
		mk("高新区2025版", "2025-07-01", &gx, nil, 450)
		mk("新能源汽车（全市）", "2024-01-01", nil, []string{"36"}, 500)
		p := h.freshProject("zsb_staff", "ZONE-GX")
		// Screenings lie after the lead date.
		h.exec(t, `UPDATE projects SET lead_on = '2023-01-01' WHERE id = ?`, p.ID)
		in := goodInputs // 400 万元/亩
		in.ParkUnitID = &gx
		in.ResidentialLand = true
		c := h.as("zsb_staff")
		check := func(day string, wantSet string, wantIntensity string) {
			t.Helper()
			st, b := c.do("POST", fmt.Sprintf("/api/v1/projects/%d/evaluations", p.ID), map[string]any{"evaluated_on": day, "inputs": in})
			if st != 201 {
				t.Fatalf("%s: %d %s", day, st, b)
			}
			var e struct {
				Verdict string
				Results struct {
					Set       struct{ Name string }
					Rules     []struct{ Result string }
					Checklist []struct{ Code, Status string }
				}
			}
			mustJSON(t, b, &e)
			if e.Results.Set.Name != wantSet || e.Results.Rules[0].Result != wantIntensity {
				t.Errorf("%s: set %q rule %v", day, e.Results.Set.Name, e.Results.Rules)
			}
			status := map[string]string{}
			for _, it := range e.Results.Checklist {
				status[it.Code] = it.Status
			}
			if status["no_residential_land"] != "fail" || e.Verdict != "fail" {
				t.Errorf("residential land must fail the screening: %v %s", status, e.Verdict)
			}
		}
		check("2023-06-01", "全市工业项目投资效益底线（默认值，待市政府确认）", "pass") // only the default was in force
		check("2024-06-01", "高新区2024版", "pass")
		check("2025-07-01", "高新区2025版", "fail") // the new version applies from its first day
		// A park set beats an industry set; an industry set applies elsewhere.
		h.exec(t, `UPDATE projects SET industry_code = '3612' WHERE id = ?`, p.ID)
		in.ParkUnitID = nil
		check("2025-08-01", "新能源汽车（全市）", "fail")
	})
}

func moneyC(v int64) money.Cents { return money.Cents(v * 100) }

// docxText unzips a .docx and returns its document XML (checking it parses).
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			raw, _ := io.ReadAll(rc)
			rc.Close()
			if err := xml.Unmarshal(raw, new(struct{})); err != nil {
				t.Fatalf("document.xml does not parse: %v", err)
			}
			return string(raw)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
