package web_test

import (
	"fmt"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestOfficersChecked: the leader in charge holds the leader role, the
// introducing unit's officer works in an introducing unit, the locality's
// officer in the landing locality — on registration and on edit.
func TestOfficersChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("zsb_staff")
		dz, wg := h.unitID("441202"), h.unitID("WG-NEV")
		body := func(leader, intro, local string) map[string]any {
			b := map[string]any{"name": "挂点测试项目", "investor_name": "挂点测试有限公司", "channel": "team", "locality_unit_id": dz,
				"introducers": []map[string]any{{"unit_id": wg, "share": 100}}}
			for field, user := range map[string]string{"leader_user_id": leader, "intro_officer_user_id": intro, "locality_officer_user_id": local} {
				if user != "" {
					b[field] = h.userID(user)
				}
			}
			return b
		}
		for _, c2 := range []struct {
			leader, intro, local, field string
		}{
			{"zsb_staff", "", "", "leader_user_id"},          // commission staff is no city leader
			{"", "dz_staff", "", "intro_officer_user_id"},    // 端州区 did not introduce it
			{"", "", "gy_staff", "locality_officer_user_id"}, // 高要区 is not where it lands
		} {
			st, b := c.do("POST", "/api/v1/projects", body(c2.leader, c2.intro, c2.local))
			wantStatus(t, "officer "+c2.field, st, b, 400, `"`+c2.field+`"`)
		}
		st, b := c.do("POST", "/api/v1/projects", body("leader", "wg_nev", "dz_staff"))
		wantStatus(t, "officers in place", st, b, 201, "")
		p := decodeProject(t, b)
		// Editing: the locality moves to 高要区 while its officer stays in 端州区.
		edit := body("leader", "wg_nev", "dz_staff")
		edit["locality_unit_id"], edit["version"] = h.unitID("441204"), p.Version
		st, b = c.do("PUT", fmt.Sprintf("/api/v1/projects/%d", p.ID), edit)
		wantStatus(t, "edit the locality away from its officer", st, b, 400, "locality_officer_user_id")
	})
}
