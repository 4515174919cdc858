package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// 三员 escape attempts, each refused: the system administrator granting
// rights (at creation or after), disabling, resetting or editing the other
// administrators; the security administrator building a role that mixes
// duties, giving one user two duties through two roles, or widening a role
// so that its holders would hold two duties.
func TestSeparationOfDutiesAttacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sys, sec := h.as("sysadmin"), h.as("secadmin")
		// 1. A user created with the commission role by the system administrator.
		st, b := sys.do("POST", "/api/v1/users", map[string]any{"username": "stand_in", "display_name": "替身", "unit_id": h.unitID("441200"),
			"password": "Stand-in-2026x", "role_ids": []int64{roleID(h, "commission")}})
		if st != 403 {
			t.Errorf("sysadmin creates a user with a business role: %d %s", st, b)
		}
		u := freshUser(h)
		if st, b := sys.do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", u.ID), map[string]any{"role_ids": []int64{roleID(h, "commission")}, "version": u.Version}); st != 403 {
			t.Errorf("sysadmin grants a business role: %d %s", st, b)
		}
		// 2. The system administrator against the other two.
		for _, who := range []string{"auditadmin", "secadmin"} {
			id := h.userID(who)
			var cur struct{ Version int }
			sec.get(fmt.Sprintf("/api/v1/users/%d", id), &cur)
			for _, act := range []struct{ method, suffix string }{{"POST", "/disable"}, {"POST", "/password"}, {"PUT", ""}} {
				body := map[string]any{"version": cur.Version}
				if act.suffix == "/password" {
					body = map[string]any{"new_password": "Taken-over-2026"}
				}
				if act.suffix == "" {
					body = map[string]any{"display_name": "x", "unit_id": h.unitID("441200"), "phone": "", "email": "", "version": cur.Version}
				}
				if st, b := sys.do(act.method, fmt.Sprintf("/api/v1/users/%d%s", id, act.suffix), body); st != 403 {
					t.Errorf("sysadmin %s %s%s: %d %s", act.method, who, act.suffix, st, b)
				}
			}
		}
		// 3. One role holding audit, grant and business permissions.
		mixed := map[string]any{"code": "all_in_one", "name_zh": "全能", "name_en": "All in one", "scope": "all",
			"permissions": []string{"audit:read", "role:write", "project:write"}}
		if st, b := sec.do("POST", "/api/v1/roles", mixed); st != 400 || !strings.Contains(string(b), "permissions") {
			t.Errorf("mixed role: %d %s", st, b)
		}
		// 4. Two single-duty roles given to one business user.
		if st, b := sec.do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", u.ID), map[string]any{"role_ids": []int64{roleID(h, "commission"), roleID(h, "auditadmin")}, "version": u.Version}); st != 400 {
			t.Errorf("business + audit roles on one user: %d %s", st, b)
		}
		// 5. A business role widened with a grant permission while held.
		st, b = sec.do("POST", "/api/v1/roles", map[string]any{"code": "park_staff", "name_zh": "园区", "name_en": "Park", "scope": "unit", "permissions": []string{"project:read"}})
		if st != 201 {
			t.Fatalf("business role: %d %s", st, b)
		}
		var role struct {
			ID      int64
			Version int
		}
		mustJSON(t, b, &role)
		if st, b := sec.do("PUT", fmt.Sprintf("/api/v1/roles/%d", role.ID), map[string]any{"name_zh": "园区", "name_en": "Park", "scope": "unit",
			"permissions": []string{"project:read", "user:assign"}, "version": role.Version}); st != 400 {
			t.Errorf("role widened to two duties: %d %s", st, b)
		}
		// The demo's built-in system administrator holds no grant right.
		var me struct {
			User struct{ Permissions []string }
		}
		sys.get("/api/v1/auth/me", &me)
		for _, p := range me.User.Permissions {
			if p == "user:assign" || p == "role:write" || p == "audit:read" {
				t.Errorf("sysadmin holds %s", p)
			}
		}
		// What remains allowed: the security administrator grants one duty.
		if st, b := sec.do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", u.ID), map[string]any{"role_ids": []int64{roleID(h, "locality")}, "version": u.Version}); st != 200 {
			t.Errorf("secadmin grants a business role: %d %s", st, b)
		}
	})
}
