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
		act(l, map[string]any{"action": "release"}, 422, "release a supplied parcel")
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
