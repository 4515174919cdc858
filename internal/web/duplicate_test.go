package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestDuplicateVariants: the usual ways of writing one investor match; the
// same credit code under another project name matches; an override needs
// its reason, which the audit keeps and the other unit is told of by
// notice; a merged project is never offered again and says where it went.
func TestDuplicateVariants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		gy, dz, zsb := h.as("gy_staff"), h.as("dz_staff"), h.as("zsb_staff")
		const code = "91350900587527783P"
		body := func(name, investor, uscc, locality string) map[string]any {
			loc := h.unitID(locality)
			return map[string]any{"name": name, "investor_name": investor, "investor_uscc": uscc, "channel": "team", "lead_on": "2025-01-10",
				"locality_unit_id": loc, "introducers": []map[string]any{{"unit_id": loc, "share": 100}}}
		}
		st, b := gy.do("POST", "/api/v1/projects", body("华鹏热管理模组生产基地", "深圳市华鹏热管理科技有限公司", code, "441204"))
		wantStatus(t, "register", st, b, 201, "")
		a := decodeProject(t, b)
		for _, inv := range []string{"深圳华鹏热管理科技有限公司", "华鹏热管理科技（深圳）有限公司", "深圳市华鹏热管理科技 有限公司"} {
			var dups struct {
				Items []struct{ Name, Match string }
			}
			st, b = dz.do("POST", "/api/v1/projects/duplicates", map[string]any{"name": "华鹏热管理模组生产基地项目", "investor_name": inv})
			wantStatus(t, "duplicates of "+inv, st, b, 200, "")
			mustJSON(t, b, &dups)
			if len(dups.Items) != 1 || dups.Items[0].Match != "same_investor" {
				t.Fatalf("%s must match the registered project: %s", inv, b)
			}
		}
		// The same credit code under another project name.
		other := body("端州散热器研发中心", "华鹏科技", code, "441202")
		st, b = dz.do("POST", "/api/v1/projects", other)
		wantStatus(t, "same credit code", st, b, 409, "same_credit_code")
		other["confirm_distinct"] = true
		st, b = dz.do("POST", "/api/v1/projects", other)
		wantStatus(t, "override without a reason", st, b, 400, "distinct_reason")
		other["distinct_reason"] = "同一投资方在端州另设研发中心，与高要生产基地为两个项目"
		st, b = dz.do("POST", "/api/v1/projects", other)
		wantStatus(t, "override with a reason", st, b, 201, "")
		dup := decodeProject(t, b)
		var au struct {
			Items []struct {
				After string `json:"after_json"`
			}
			Total int
		}
		h.as("auditadmin").get(fmt.Sprintf("/api/v1/audit?action=project.duplicate_override&object_id=%d", dup.ID), &au)
		if au.Total != 1 {
			t.Fatalf("override audit entries: %d", au.Total)
		}
		st, b = h.as("auditadmin").do("GET", fmt.Sprintf("/api/v1/audit?action=project.duplicate_override&object_id=%d", dup.ID), nil)
		if !strings.Contains(string(b), "另设研发中心") {
			t.Fatalf("the reason is not in the audit: %s", b)
		}
		var inbox struct {
			Items []struct{ Title, Body string }
		}
		gy.get("/api/v1/notices?box=inbox", &inbox)
		if len(inbox.Items) != 1 || !strings.Contains(inbox.Items[0].Title, "疑似重复") || !strings.Contains(inbox.Items[0].Body, "另设研发中心") {
			t.Fatalf("the other unit must be told: %+v", inbox.Items)
		}
		// Merged: never offered again, and it says where it went.
		var cur struct{ Version int }
		zsb.get(fmt.Sprintf("/api/v1/projects/%d", dup.ID), &cur)
		st, b = zsb.do("POST", fmt.Sprintf("/api/v1/projects/%d/merge", dup.ID), map[string]any{"into_id": a.ID, "version": cur.Version})
		wantStatus(t, "merge", st, b, 200, fmt.Sprintf(`"merged_into_id":%d`, a.ID))
		st, b = zsb.do("POST", "/api/v1/projects/duplicates", map[string]any{"name": "端州散热器研发中心", "investor_name": "华鹏科技", "investor_uscc": code})
		wantStatus(t, "duplicates after merge", st, b, 200, "")
		if strings.Contains(string(b), "端州散热器研发中心") {
			t.Fatalf("a merged project is offered: %s", b)
		}
	})
}
