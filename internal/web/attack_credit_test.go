package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

// putBody is the PUT body of a project as stored, with changes.
func putBody(p project.Project, change map[string]any) map[string]any {
	var intro []map[string]any
	for _, i := range p.Introducers {
		intro = append(intro, map[string]any{"unit_id": i.UnitID, "share": i.Share})
	}
	b := map[string]any{"name": p.Name, "investor_name": p.InvestorName, "channel": p.Channel, "contract_investment": p.ContractInvestment,
		"locality_unit_id": p.LocalityUnitID, "lead_on": p.LeadOn, "introducers": intro, "version": p.Version}
	for k, v := range change {
		b[k] = v
	}
	return b
}

// A unit that may edit a project still cannot move its credit or its
// landing locality: shares only by the owner unit or the commission office
// (each unit concerned finds the change under its own id in the audit log),
// the locality only through a hand-over; a county cannot register a project
// straight into another county.
func TestCreditAndLocalityAttacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		dz, gy, wg, hk := h.unitID("441202"), h.unitID("441204"), h.unitID("WG-NEV"), h.unitID("AWAY-HK")
		p, err := h.app.Project.Create(ctx, h.actorOf("wg_nev"), project.Input{Name: "信用份额测试项目", InvestorName: "份额测试投资有限公司",
			Channel: "team", ContractInvestment: 1546600, LocalityUnitID: &dz, LeadOn: p0(),
			Introducers: []project.IntroducerInput{{UnitID: wg, Share: 50_00}, {UnitID: hk, Share: 50_00}}})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/projects/%d", p.ID)
		// 端州区 (the landing locality, in scope) rewrites the credit to itself.
		st, b := h.as("dz_staff").do("PUT", path, putBody(p, map[string]any{"introducers": []map[string]any{{"unit_id": dz, "share": 100}}}))
		if st != 403 || !strings.Contains(string(b), "introducers") {
			t.Errorf("locality rewrites the credit: %d %s", st, b)
		}
		// Anyone moves the landing locality without a hand-over.
		for _, u := range []string{"dz_staff", "wg_nev", "zsb_staff"} {
			st, b := h.as(u).do("PUT", path, putBody(p, map[string]any{"locality_unit_id": gy}))
			if st != 422 || !strings.Contains(string(b), "locality_unit_id") {
				t.Errorf("%s moves the locality: %d %s", u, st, b)
			}
		}
		// The owner may change the shares; both units concerned are told.
		st, b = h.as("wg_nev").do("PUT", path, putBody(p, map[string]any{"introducers": []map[string]any{{"unit_id": wg, "share": 70}, {"unit_id": hk, "share": 30}}}))
		if st != 200 {
			t.Fatalf("owner changes the shares: %d %s", st, b)
		}
		for _, u := range []int64{wg, hk} {
			var n int
			_ = h.app.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'project.credit_changed' AND object_type = 'unit' AND object_id = ?`,
				fmt.Sprint(u)).Scan(&n)
			if n != 1 {
				t.Errorf("unit %d told %d times", u, n)
			}
		}
		var after project.Project
		mustJSON(t, b, &after)
		// The commission office may too.
		if st, b := h.as("zsb_staff").do("PUT", path, putBody(after, map[string]any{"introducers": []map[string]any{{"unit_id": wg, "share": 100}}})); st != 200 {
			t.Errorf("commission office changes the shares: %d %s", st, b)
		}
		// A county registers into another county.
		body := map[string]any{"name": "跨县登记项目", "investor_name": "跨县投资有限公司", "channel": "team", "locality_unit_id": gy, "lead_on": "2025-01-10"}
		if st, b := h.as("dz_staff").do("POST", "/api/v1/projects", body); st != 422 || !strings.Contains(string(b), "locality_unit_id") {
			t.Errorf("county registers into another: %d %s", st, b)
		}
		body["locality_unit_id"] = dz
		if st, b := h.as("dz_staff").do("POST", "/api/v1/projects", body); st != 201 {
			t.Errorf("county registers in its own area: %d %s", st, b)
		}
	})
}

// The enterprise import's upsert applies PUT's ownership rule, and audits
// every changed enterprise with its values before and after.
func TestEnterpriseImportOwnership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		dz := h.unitID("441202")
		e, err := h.app.Enterprise.Create(ctx, h.actorOf("dz_staff"), enterprise.Input{CreditCode: freshCode(), Name: "端州对接的导入企业有限公司", OwnerUnitID: &dz})
		if err != nil {
			t.Fatal(err)
		}
		file := "统一社会信用代码,企业名称\n" + e.CreditCode + ",被改名的企业有限公司\n"
		res, err := h.app.Enterprise.Import(ctx, h.actorOf("wg_nev"), strings.NewReader(file), "e.csv", false, nil)
		if err != nil || res.Updated != 0 || res.Failed != 1 || res.Errors[0].Column != "统一社会信用代码" {
			t.Fatalf("another unit's import: %+v %v", res, err)
		}
		if got, _ := h.app.Enterprise.Get(ctx, e.ID); got.Name != e.Name {
			t.Fatalf("the import renamed it to %q", got.Name)
		}
		res, err = h.app.Enterprise.Import(ctx, h.actorOf("dz_staff"), strings.NewReader(file), "e.csv", false, nil)
		if err != nil || res.Updated != 1 {
			t.Fatalf("the owner's import: %+v %v", res, err)
		}
		var before, after string
		if err := h.app.DB.Reader().QueryRowContext(ctx, `SELECT before_json, after_json FROM audit_log WHERE action = 'enterprise.import_update' AND object_id = ?`,
			fmt.Sprint(e.ID)).Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		var b, a struct{ Name string }
		_ = json.Unmarshal([]byte(before), &b)
		_ = json.Unmarshal([]byte(after), &a)
		if b.Name != "端州对接的导入企业有限公司" || a.Name != "被改名的企业有限公司" {
			t.Errorf("audit before %q after %q", b.Name, a.Name)
		}
	})
}

func p0() civil.Date { return civil.MustParse("2025-01-10") }
