package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

// TestParcelSupply: land goes by progress, never residential land (R12),
// and one parcel to one project.
func TestParcelSupply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("dz_staff")
		p := h.freshProject("dz_staff", "441202")
		act := func(l project.Parcel, body map[string]any, want int, why string) project.Parcel {
			t.Helper()
			body["version"] = l.Version
			st, b := c.do("POST", fmt.Sprintf("/api/v1/parcels/%d/actions", l.ID), body)
			if st != want {
				t.Fatalf("%s: got %d want %d: %s", why, st, want, b)
			}
			if st == 200 {
				mustJSON(t, b, &l)
			}
			return l
		}
		home := h.freshParcel("441202", "residential")
		st, b := c.do("POST", fmt.Sprintf("/api/v1/parcels/%d/actions", home.ID), map[string]any{"action": "reserve", "project_id": p.ID, "version": home.Version})
		if st != 422 || !strings.Contains(string(b), "商品住宅") {
			t.Fatalf("residential land: %d %s", st, b)
		}
		l := h.freshParcel("441202", "industrial")
		l = act(l, map[string]any{"action": "supply", "project_id": p.ID}, 422, "supply to an unsigned project")
		l = act(l, map[string]any{"action": "reserve", "project_id": p.ID}, 200, "reserve")
		other := h.freshProject("dz_staff", "441202")
		act(l, map[string]any{"action": "reserve", "project_id": other.ID}, 422, "reserved for another project")
		// Sign the project (directly: the stage rules are tested elsewhere).
		h.exec(t, `UPDATE projects SET stage = 'signed', signed_on = '2025-03-01' WHERE id = ?`, p.ID)
		l = act(l, map[string]any{"action": "supply", "project_id": p.ID, "supplied_on": "2025-02-01"}, 400, "supplied before signing")
		l = act(l, map[string]any{"action": "supply", "project_id": p.ID, "supplied_on": "2025-04-01"}, 200, "supply")
		if l.Status != "supplied" || l.SuppliedOn.String() != "2025-04-01" {
			t.Fatalf("after supply: %+v", l)
		}
		act(l, map[string]any{"action": "release"}, 400, "release a supplied parcel without a reason")
		// The project's parcels; another locality sees none of 端州's.
		var list struct{ Total int }
		c.get(fmt.Sprintf("/api/v1/parcels?project_id=%d", p.ID), &list)
		if list.Total != 1 {
			t.Fatalf("project parcels: %d", list.Total)
		}
		h.as("gy_staff").get("/api/v1/parcels", &list)
		if list.Total != 0 {
			t.Fatalf("gy sees %d parcels", list.Total)
		}
		// A locality cannot register a parcel in another locality.
		st, _ = c.do("POST", "/api/v1/parcels", map[string]any{"park_unit_id": h.unitID("441204"), "code": "GY-1", "area_mu": 10, "land_use": "industrial"})
		if st != 400 {
			t.Fatalf("parcel outside scope: %d", st)
		}
	})
}

func TestApprovalSteps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("dz_staff")
		p := h.freshProject("dz_staff", "441202")
		base := fmt.Sprintf("/api/v1/projects/%d/approvals", p.ID)
		for name, tc := range map[string]struct {
			body map[string]any
			want int
		}{
			"unknown kind":              {map[string]any{"kind": "bribe", "status": "pending"}, 400},
			"approved without a date":   {map[string]any{"kind": "eia", "status": "approved"}, 400},
			"approved before submitted": {map[string]any{"kind": "eia", "status": "approved", "submitted_on": "2025-03-01", "approved_on": "2025-02-01"}, 400},
			"ok":                        {map[string]any{"kind": "energy_review", "status": "approved", "submitted_on": "2025-02-01", "approved_on": "2025-03-01", "document_no": "肇发改能审〔2025〕3号"}, 201},
		} {
			if st, b := c.do("POST", base, tc.body); st != tc.want {
				t.Errorf("%s: %d %s", name, st, b)
			}
		}
		var list struct{ Items []project.Approval }
		c.get(base, &list)
		if len(list.Items) != 1 || list.Items[0].DocumentNo != "肇发改能审〔2025〕3号" {
			t.Fatalf("approvals: %+v", list.Items)
		}
	})
}

// TestParcelsFollowProjects: a project with land supplied does not step
// back before signing until the land is released with a reason (nor is a
// duplicate holding land merged into an unsigned project); a parcel
// outside the landing locality needs a recorded reason; land supplied
// beyond the stated need is warned of, and the land-use figures show on
// the parcel and the project.
func TestParcelsFollowProjects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("zsb_staff")
		p := h.freshProject("dz_staff", "441202") // 50,000 万元
		h.exec(t, `UPDATE projects SET stage = 'signed', negotiating_on = '2025-02-01', signed_on = '2025-03-01', land_area_mu = 10000, expected_tax = 150000 WHERE id = ?`, p.ID)
		act := func(l project.Parcel, body map[string]any, want int, msg string) (project.Parcel, []byte) {
			t.Helper()
			body["version"] = l.Version
			st, b := c.do("POST", fmt.Sprintf("/api/v1/parcels/%d/actions", l.ID), body)
			wantStatus(t, fmt.Sprint(body["action"]), st, b, want, msg)
			if st == 200 {
				mustJSON(t, b, &l)
			}
			return l, b
		}
		// A 高新区 parcel for a 端州区 project: only with a reason.
		gx := h.freshParcel("ZONE-GX", "industrial")
		act(gx, map[string]any{"action": "supply", "project_id": p.ID, "supplied_on": "2025-04-01"}, 400, "不在项目落户地")
		gx, _ = act(gx, map[string]any{"action": "supply", "project_id": p.ID, "supplied_on": "2025-04-01", "reason": "端州区无整块工业用地，经市政府协调在高新区供地"}, 200, "")
		if gx.Reason == "" || gx.Land == nil || gx.Land.SuppliedMu != 80_00 || gx.Land.OverNeed {
			t.Fatalf("supplied outside the locality: %+v %+v", gx, gx.Land)
		}
		// 80 + 80 亩 against a need of 100: warned and shown; figures per 亩 supplied.
		dz := h.freshParcel("441202", "industrial")
		_, b := act(dz, map[string]any{"action": "supply", "project_id": p.ID, "supplied_on": "2025-04-02"}, 200, "超过项目用地需求 100.00 亩")
		var out project.Parcel
		mustJSON(t, b, &out)
		// 50,000 万元 ÷ 160 亩 = 312.50 万元/亩; tax 1,500 万元 ÷ 160 = 9.375 → 9.38.
		if l := out.Land; !l.OverNeed || l.SuppliedMu != 160_00 || l.InvestmentPerMu != 312_50 || l.TaxPerMu != 9_38 {
			t.Fatalf("land figures: %+v", l)
		}
		var pj struct {
			Version int
			Land    project.LandUse
		}
		c.get(fmt.Sprintf("/api/v1/projects/%d", p.ID), &pj)
		if !pj.Land.OverNeed || pj.Land.InvestmentPerMu != 312_50 || !strings.Contains(pj.Land.WarningZh, "160.00") {
			t.Fatalf("the project's land figures: %+v", pj.Land)
		}
		// Stepping back before signing: refused while land is supplied.
		st, b := c.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID), map[string]any{"action": "back", "reason": "协议未生效", "version": pj.Version})
		wantStatus(t, "step back with land supplied", st, b, 422, "请先释放地块")
		// A duplicate holding land is not merged into an unsigned project.
		lead := h.freshProject("dz_staff", "441202")
		st, b = c.do("POST", fmt.Sprintf("/api/v1/projects/%d/merge", p.ID), map[string]any{"into_id": lead.ID, "version": pj.Version})
		wantStatus(t, "merge land into a lead", st, b, 422, "已供地")
		for _, l := range []project.Parcel{gx, out} {
			act(l, map[string]any{"action": "release", "reason": "协议解除，土地收回"}, 200, `"status":"available"`)
		}
		c.get(fmt.Sprintf("/api/v1/projects/%d", p.ID), &pj)
		st, b = c.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID), map[string]any{"action": "back", "reason": "协议未生效", "version": pj.Version})
		wantStatus(t, "step back once released", st, b, 200, `"stage":"negotiating"`)
	})
}
