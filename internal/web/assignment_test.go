package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestAssignedWork: a department assigned a request or an approval step on
// a 端州区 project sees it, with the project facts it needs, and settles
// it — while the project itself still answers 404; a deadline in the past
// is refused; a hand-over shows for the receiving county.
func TestAssignedWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, dept := h.as("dz_staff"), h.as("dept_staff")
		p := h.freshProject("dz_staff", "441202")
		com := h.unitID("DEPT-COM")
		base := fmt.Sprintf("/api/v1/projects/%d", p.ID)
		st, b := dz.do("POST", base+"/requests", map[string]any{"title": "协调用电增容", "owner_unit_id": com, "deadline": "2020-01-01"})
		wantStatus(t, "a deadline in the past", st, b, 400, "deadline")
		soon := civil.Of(time.Now()).AddDays(10).String()
		st, b = dz.do("POST", base+"/requests", map[string]any{"title": "协调用电增容", "owner_unit_id": com, "deadline": soon})
		wantStatus(t, "request", st, b, 201, "")
		var req struct{ ID, Version int64 }
		mustJSON(t, b, &req)
		st, b = dz.do("POST", base+"/approvals", map[string]any{"kind": "project_approval", "status": "in_progress", "submitted_on": "2025-01-15", "unit_id": com})
		wantStatus(t, "approval", st, b, 201, `"unit_name":"`)
		var ap struct{ ID, Version int64 }
		mustJSON(t, b, &ap)

		var got struct {
			Items []struct {
				Kind, Title string
				ID          int64
				Project     struct {
					Code, Name string
					InScope    bool `json:"in_scope"`
				}
			}
		}
		dept.get("/api/v1/assignments", &got)
		if len(got.Items) != 2 || got.Items[0].Project.Name != p.Name || got.Items[0].Project.InScope {
			t.Fatalf("the department's assignments: %+v", got.Items)
		}
		if st, _ := dept.do("GET", base, nil); st != 404 {
			t.Fatalf("the assigned department gained the project: %d", st)
		}
		st, b = dept.do("POST", fmt.Sprintf("/api/v1/requests/%d/resolve", req.ID), map[string]any{"resolution": "已协调供电局增容", "version": req.Version})
		wantStatus(t, "the department resolves its request", st, b, 200, `"status":"resolved"`)
		st, b = dept.do("PUT", fmt.Sprintf("/api/v1/approvals/%d", ap.ID), map[string]any{"kind": "project_approval", "status": "approved", "submitted_on": "2025-01-15",
			"approved_on": "2025-01-20", "document_no": "肇商备〔2025〕8号", "unit_id": com, "version": ap.Version})
		wantStatus(t, "the department approves its step", st, b, 200, `"status":"approved"`)
		dept.get("/api/v1/assignments", &got)
		if len(got.Items) != 0 {
			t.Fatalf("settled work still listed: %+v", got.Items)
		}
		// Another department is not assigned: nothing listed, nothing to settle.
		st, b = h.as("wg_nev").do("POST", fmt.Sprintf("/api/v1/requests/%d/resolve", req.ID), map[string]any{"resolution": "x", "version": req.Version + 1})
		wantStatus(t, "an unassigned unit", st, b, 404, "")
		// A hand-over to 高要区 shows for its staff.
		st, b = dz.do("GET", base, nil)
		var cur struct{ Version int }
		mustJSON(t, b, &cur)
		st, b = dz.do("POST", base+"/handover", map[string]any{"to_unit_id": h.unitID("441204"), "version": cur.Version})
		wantStatus(t, "hand over", st, b, 200, "")
		var hv struct {
			Items []struct{ Kind string }
		}
		h.as("gy_staff").get("/api/v1/assignments?kind=handover", &hv)
		if len(hv.Items) != 1 || hv.Items[0].Kind != "handover" {
			t.Fatalf("hand-over not listed: %+v", hv)
		}
		if st, b := dept.do("GET", "/api/v1/assignments?kind=x", nil); st != 400 || !strings.Contains(string(b), "kind") {
			t.Fatalf("bad kind: %d %s", st, b)
		}
	})
}
