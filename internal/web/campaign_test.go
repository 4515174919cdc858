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

type stageBody struct {
	Count  int     `json:"count"`
	Amount float64 `json:"amount"`
}

type funnelBody struct {
	Leads, Negotiating, Signed, Landed stageBody
}

// campaignLead registers a lead met at a campaign.
func (h *harness) campaignLead(username, locality string, campaignID int64) project.Project {
	h.t.Helper()
	loc := h.unitID(locality)
	p, err := h.app.Project.Create(context.Background(), h.actorOf(username), project.Input{
		Name: fmt.Sprintf("活动线索%d号", next()), InvestorName: fmt.Sprintf("活动投资方%d有限公司", next()), Channel: "fair", SourceRegion: "shenzhen",
		ContractInvestment: 50000_00, LocalityUnitID: &loc, LeadOn: civil.MustParse("2025-01-10"), CampaignID: &campaignID})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// TestCampaignResults: a campaign's funnel, projects and the comparison
// report count what each caller's scope reaches, and cost per 亿元 signed
// follows the spend.
func TestCampaignResults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb := h.as("zsb_staff")
		st, b := zsb.do("POST", "/api/v1/campaigns", map[string]any{"name": "深圳专题推介会", "kind": "themed_trip", "starts_on": "2025-01-08",
			"ends_on": "2025-01-09", "place": "深圳", "source_region": "shenzhen", "budget": 150, "spend": 100,
			"unit_ids": []int64{h.unitID("441202"), h.unitID("AWAY-SZ")}})
		if st != 201 {
			t.Fatalf("create: %d %s", st, b)
		}
		var c struct {
			ID      int64
			Version int
			Units   []struct{ Name string }
		}
		mustJSON(t, b, &c)
		if len(c.Units) != 2 {
			t.Fatalf("participating units: %s", b)
		}
		a := h.campaignLead("dz_staff", "441202", c.ID)
		h.campaignLead("dz_staff", "441202", c.ID)
		h.campaignLead("wg_nev", "441204", c.ID)
		h.signProject("dz_staff", a)

		want := map[string][3]int{"zsb_staff": {3, 1, 1}, "dz_staff": {2, 1, 1}, "wg_nev": {1, 0, 0}, "leader": {3, 1, 1}}
		for user, w := range want {
			var got struct{ Results funnelBody }
			h.as(user).get(fmt.Sprintf("/api/v1/campaigns/%d", c.ID), &got)
			r := got.Results
			if r.Leads.Count != w[0] || r.Negotiating.Count != w[1] || r.Signed.Count != w[2] {
				t.Errorf("%s sees funnel %+v, want leads/negotiating/signed %v", user, r, w)
			}
			if w[2] == 1 && r.Signed.Amount != 50000 {
				t.Errorf("%s signed amount %v", user, r.Signed.Amount)
			}
			var rows struct{ Total int }
			h.as(user).get(fmt.Sprintf("/api/v1/campaigns/%d/projects", c.ID), &rows)
			if rows.Total != w[0] {
				t.Errorf("%s sees %d projects, want %d", user, rows.Total, w[0])
			}
		}

		var rep struct {
			Rows []struct {
				Key, Name   string
				Leads       stageBody
				Signed      stageBody
				SigningRate float64  `json:"signing_rate"`
				Spend       *float64 `json:"spend"`
				CostPerYi   *float64 `json:"cost_per_yi"`
			}
		}
		zsb.get("/api/v1/campaigns/report?by=campaign&from=2025-01-01&to=2025-12-31", &rep)
		found := false
		for _, r := range rep.Rows {
			if r.Key == fmt.Sprint(c.ID) {
				found = true
				// 100 万元 spent for 5 亿元 signed: 20 万元 per 亿元.
				if r.Name != "深圳专题推介会" || r.Leads.Count != 3 || r.Signed.Count != 1 || r.SigningRate != 33.33 ||
					r.Spend == nil || *r.Spend != 100 || r.CostPerYi == nil || *r.CostPerYi != 20 {
					t.Errorf("campaign row: %+v", r)
				}
			}
		}
		if !found {
			t.Errorf("no row for the campaign: %+v", rep.Rows)
		}
		h.as("dz_staff").get("/api/v1/campaigns/report?by=channel", &rep)
		if len(rep.Rows) != 1 || rep.Rows[0].Key != "fair" || rep.Rows[0].Leads.Count != 2 || rep.Rows[0].Spend != nil {
			t.Errorf("dz_staff channel report: %+v", rep.Rows)
		}
		h.as("dz_staff").get("/api/v1/campaigns/report?by=source_region", &rep)
		if len(rep.Rows) != 1 || rep.Rows[0].Key != "shenzhen" {
			t.Errorf("dz_staff region report: %+v", rep.Rows)
		}
		if st, b := zsb.do("GET", "/api/v1/campaigns/report?by=colour", nil); st != 400 || !strings.Contains(string(b), `"by"`) {
			t.Errorf("bad grouping: %d %s", st, b)
		}
	})
}

// TestCampaignInput: fields are named, versions are checked, and a
// project cannot point at a campaign that does not exist.
func TestCampaignInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb := h.as("zsb_staff")
		st, b := zsb.do("POST", "/api/v1/campaigns", map[string]any{"name": "", "kind": "", "starts_on": "2025-03-02", "ends_on": "2025-03-01", "budget": -1})
		for _, f := range []string{`"name"`, `"kind"`, `"ends_on"`, `"budget"`} {
			if st != 400 || !strings.Contains(string(b), f) {
				t.Errorf("bad campaign: %d %s lacks %s", st, b, f)
			}
		}
		c := h.freshCampaign("zsb_staff")
		body := campaignInput(c.Version)
		if st, b := zsb.do("PUT", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), body); st != 200 {
			t.Fatalf("update: %d %s", st, b)
		}
		if st, b := zsb.do("PUT", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), body); st != 409 {
			t.Errorf("stale update: %d %s", st, b)
		}
		if st, b := zsb.do("GET", "/api/v1/campaigns/999999", nil); st != 404 {
			t.Errorf("missing campaign: %d %s", st, b)
		}
		if st, b := zsb.do("POST", "/api/v1/projects", map[string]any{"name": "无效活动项目", "investor_name": "某公司", "channel": "fair", "campaign_id": 999999}); st != 400 || !strings.Contains(string(b), "campaign_id") {
			t.Errorf("project with a missing campaign: %d %s", st, b)
		}
		var n int
		if err := h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'campaign.%'`).Scan(&n); err != nil || n < 2 {
			t.Errorf("audited campaign writes: %d %v", n, err)
		}
	})
}
