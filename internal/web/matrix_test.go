package web_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// actors of the matrix: "" is an anonymous caller; the rest are demo users,
// one per built-in role.
var actors = []string{"", "sysadmin", "secadmin", "auditadmin", "zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff", "zsb_leader"}

var everyone = actors[1 : len(actors)-1] // the director is let through where the office's staff are (allows)

// allows: the director (zsb_leader) holds every permission of the office's
// staff and approves screenings too, so a row lets the director through
// where it lets zsb_staff through, or names zsb_leader itself.
func (row access) allows(user string) bool {
	if user == "zsb_leader" && slices.Contains(row.allowed, "zsb_staff") {
		return true
	}
	return slices.Contains(row.allowed, user)
}

// access is one route's row of the authorization matrix.
type access struct {
	allowed []string // signed-in users the route lets through; the others get 403, anonymous 401
	public  bool     // anonymous callers are let through too
	hidden  []string // let-through users for whom the object lies outside their data scope: 404
	status  int      // what a let-through caller gets (200 when 0)
	fresh   bool     // use a new session (the route ends or changes it)
	// prep builds the request for one caller, on a fresh object when the
	// route changes one, so cases do not depend on each other.
	prep func(h *harness, user string) (path string, body any)
}

func path(p string) func(*harness, string) (string, any) {
	return func(*harness, string) (string, any) { return p, nil }
}

// warmed loads the mirror and the index first (serve does it at start).
func warmed(p string) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		if err := h.app.Warm(context.Background()); err != nil {
			h.t.Fatal(err)
		}
		return p, nil
	}
}

var uniq int

func next() int { uniq++; return uniq }

// freshUnit creates a unit under the root for a case to change.
func freshUnit(h *harness) org.Unit {
	root := h.unitID("441200")
	u, err := h.app.Org.CreateUnit(context.Background(), system, org.CreateUnit{Code: fmt.Sprintf("T-%d", next()),
		Name: "测试单位", Kind: org.KindDepartment, ParentID: &root, EffectiveOn: civil.MustParse("2022-01-01")})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// freshUser creates a user in 高要区 with no roles for a case to change.
func freshUser(h *harness) org.User {
	u, err := h.app.Org.CreateUser(context.Background(), system, org.CreateUser{Username: fmt.Sprintf("tmp%d", next()),
		DisplayName: "临时用户", UnitID: h.unitID("441204"), Password: "Temp-pass-2026"})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

func roleID(h *harness, code string) int64 {
	var id int64
	if err := h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT id FROM roles WHERE code = ?`, code).Scan(&id); err != nil {
		h.t.Fatal(err)
	}
	return id
}

func userPath(suffix string, body func(u org.User) any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		u := freshUser(h)
		return fmt.Sprintf("/api/v1/users/%d%s", u.ID, suffix), body(u)
	}
}

func unitPath(suffix string, body func(h *harness, u org.Unit) any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		u := freshUnit(h)
		return fmt.Sprintf("/api/v1/units/%d%s", u.ID, suffix), body(h, u)
	}
}

// matrix has one row per route of the route table; TestAuthorizationMatrix
// fails for a route without a row.
var matrix = map[string]access{
	"GET /healthz":             {public: true, allowed: everyone, prep: path("/healthz")},
	"GET /api/v1/openapi.json": {public: true, allowed: everyone, prep: path("/api/v1/openapi.json")},
	"GET /livez":               {public: true, allowed: everyone, prep: path("/livez")},
	"GET /readyz":              {public: true, allowed: everyone, prep: warmed("/readyz")},
	"GET /metrics":             {public: true, allowed: everyone, prep: path("/metrics")},
	"GET /api/v1/auth/sso":     {public: true, allowed: everyone, prep: path("/api/v1/auth/sso")},
	// Single sign-on is off in the matrix's server: 404 for everyone (its
	// own tests run it against a provider).
	"GET /api/v1/auth/sso/start":    {public: true, allowed: everyone, status: 404, prep: path("/api/v1/auth/sso/start")},
	"GET /api/v1/auth/sso/callback": {public: true, allowed: everyone, status: 404, prep: path("/api/v1/auth/sso/callback?code=x&state=y")},
	"POST /api/v1/auth/login": {public: true, allowed: everyone, fresh: true, prep: func(*harness, string) (string, any) {
		return "/api/v1/auth/login", map[string]string{"username": "gy_staff", "password": demoPW}
	}},
	"POST /api/v1/auth/logout": {allowed: everyone, status: 204, fresh: true, prep: path("/api/v1/auth/logout")},
	"GET /api/v1/auth/me":      {allowed: everyone, prep: path("/api/v1/auth/me")},
	// A wrong old password: the route is reached (400), nothing changes.
	"PUT /api/v1/me/password": {allowed: everyone, status: 400, prep: func(*harness, string) (string, any) {
		return "/api/v1/me/password", map[string]string{"old_password": "not-it-123", "new_password": "Another-2026"}
	}},
	"GET /api/v1/me/tokens": {allowed: everyone, prep: path("/api/v1/me/tokens")},
	"POST /api/v1/me/tokens": {allowed: everyone, status: 201, prep: func(*harness, string) (string, any) {
		return "/api/v1/me/tokens", map[string]string{"name": "对接系统"}
	}},
	"DELETE /api/v1/me/tokens/{id}": {allowed: everyone, status: 204, prep: func(h *harness, user string) (string, any) {
		if user == "" {
			return "/api/v1/me/tokens/1", nil
		}
		a, err := h.app.Org.LoadActor(context.Background(), h.userID(user))
		if err != nil {
			h.t.Fatal(err)
		}
		tok, err := h.app.Auth.CreateToken(context.Background(), a, auth.CreateToken{Name: "x"})
		if err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/me/tokens/%d", tok.Item.ID), nil
	}},

	"GET /api/v1/units": {allowed: everyone, prep: path("/api/v1/units")},
	"POST /api/v1/units": {allowed: []string{"sysadmin"}, status: 201, prep: func(h *harness, _ string) (string, any) {
		return "/api/v1/units", map[string]any{"code": fmt.Sprintf("N-%d", next()), "name": "新单位", "kind": "department",
			"parent_id": h.unitID("441200"), "effective_on": "2024-05-01"}
	}},
	"GET /api/v1/units/{id}": {allowed: everyone, prep: func(h *harness, _ string) (string, any) {
		return fmt.Sprintf("/api/v1/units/%d", h.unitID("441204")), nil
	}},
	"PUT /api/v1/units/{id}": {allowed: []string{"sysadmin"}, prep: unitPath("", func(_ *harness, u org.Unit) any {
		return map[string]any{"code": u.Code, "name": "改名后的单位", "effective_on": "2024-05-01", "version": u.Version}
	})},
	"POST /api/v1/units/{id}/move": {allowed: []string{"sysadmin"}, prep: unitPath("/move", func(h *harness, u org.Unit) any {
		return map[string]any{"parent_id": h.unitID("WG-EQP"), "effective_on": "2024-05-01", "version": u.Version}
	})},
	"POST /api/v1/units/{id}/close": {allowed: []string{"sysadmin"}, prep: unitPath("/close", func(_ *harness, u org.Unit) any {
		return map[string]any{"effective_on": "2024-05-01", "reason": "撤并", "version": u.Version}
	})},
	"GET /api/v1/units/{id}/history": {allowed: everyone, prep: func(h *harness, _ string) (string, any) {
		return fmt.Sprintf("/api/v1/units/%d/history", h.unitID("WG-NEV")), nil
	}},

	"GET /api/v1/users": {allowed: without(everyone, "auditadmin"), prep: path("/api/v1/users")},
	"POST /api/v1/users": {allowed: []string{"sysadmin"}, status: 201, prep: func(h *harness, _ string) (string, any) {
		return "/api/v1/users", map[string]any{"username": fmt.Sprintf("new%d", next()), "display_name": "新用户",
			"unit_id": h.unitID("441202"), "password": "New-user-2026"}
	}},
	// Own account: in every scope, even "self".
	"GET /api/v1/users/{id}": {allowed: without(everyone, "auditadmin"), prep: func(h *harness, user string) (string, any) {
		if user == "" {
			return "/api/v1/users/1", nil
		}
		return fmt.Sprintf("/api/v1/users/%d", h.userID(user)), nil
	}},
	"PUT /api/v1/users/{id}": {allowed: []string{"sysadmin"}, prep: userPath("", func(u org.User) any {
		return map[string]any{"display_name": "改名", "unit_id": u.UnitID, "phone": "0758-2222222", "email": "", "version": u.Version}
	})},
	"PUT /api/v1/users/{id}/roles": {allowed: []string{"secadmin"}, prep: func(h *harness, _ string) (string, any) {
		u := freshUser(h)
		return fmt.Sprintf("/api/v1/users/%d/roles", u.ID), map[string]any{"role_ids": []int64{roleID(h, "locality")}, "version": u.Version}
	}},
	"POST /api/v1/users/{id}/disable": {allowed: []string{"sysadmin"}, prep: userPath("/disable", func(u org.User) any {
		return map[string]any{"version": u.Version}
	})},
	"POST /api/v1/users/{id}/enable": {allowed: []string{"sysadmin"}, prep: userPath("/enable", func(u org.User) any {
		return map[string]any{"version": u.Version}
	})},
	"POST /api/v1/users/{id}/unlock": {allowed: []string{"secadmin"}, prep: userPath("/unlock", func(org.User) any { return nil })},
	"POST /api/v1/users/{id}/password": {allowed: []string{"sysadmin"}, status: 204, prep: userPath("/password", func(org.User) any {
		return map[string]any{"new_password": "Reset-pass-2026"}
	})},

	"GET /api/v1/roles": {allowed: []string{"sysadmin", "secadmin"}, prep: path("/api/v1/roles")},
	"POST /api/v1/roles": {allowed: []string{"secadmin"}, status: 201, prep: func(*harness, string) (string, any) {
		return "/api/v1/roles", map[string]any{"code": fmt.Sprintf("r%d", next()), "name_zh": "园区招商员", "name_en": "Park staff",
			"scope": "unit", "permissions": []string{"unit:read"}}
	}},
	"GET /api/v1/roles/{id}": {allowed: []string{"sysadmin", "secadmin"}, prep: func(h *harness, _ string) (string, any) {
		return fmt.Sprintf("/api/v1/roles/%d", roleID(h, "leader")), nil
	}},
	"PUT /api/v1/roles/{id}": {allowed: []string{"secadmin"}, prep: func(h *harness, _ string) (string, any) {
		r, err := h.app.Org.CreateRole(context.Background(), system, org.RoleInput{Code: fmt.Sprintf("r%d", next()),
			NameZh: "临时", NameEn: "Temp", Scope: org.ScopeUnit, Permissions: []string{"unit:read"}})
		if err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/roles/%d", r.ID), map[string]any{"name_zh": "临时2", "name_en": "Temp2", "scope": "self",
			"permissions": []string{"unit:read", "dict:read"}, "version": r.Version}
	}},
	"GET /api/v1/permissions": {allowed: []string{"sysadmin", "secadmin"}, prep: path("/api/v1/permissions")},

	"GET /api/v1/dictionary/types": {allowed: everyone, prep: path("/api/v1/dictionary/types")},
	"GET /api/v1/dictionary":       {allowed: everyone, prep: path("/api/v1/dictionary?type=channel")},
	"POST /api/v1/dictionary": {allowed: []string{"sysadmin"}, status: 201, prep: func(*harness, string) (string, any) {
		return "/api/v1/dictionary", map[string]any{"type": "source_region", "code": fmt.Sprintf("r%d", next()), "label_zh": "中东", "label_en": "Middle East"}
	}},
	"PUT /api/v1/dictionary/{id}": {allowed: []string{"sysadmin"}, prep: func(h *harness, _ string) (string, any) {
		it, err := h.app.Dict.Create(context.Background(), system, dictionary.Input{Type: "project_tag", Code: fmt.Sprintf("t%d", next()), LabelZh: "标签", LabelEn: "Tag"})
		if err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/dictionary/%d", it.ID), map[string]any{"label_zh": "新标签", "label_en": "New tag", "sort": 5, "enabled": false, "version": it.Version}
	}},

	"GET /api/v1/audit":        {allowed: []string{"auditadmin"}, prep: path("/api/v1/audit")},
	"GET /api/v1/audit/export": {allowed: []string{"auditadmin"}, prep: path("/api/v1/audit/export")},
	"GET /api/v1/audit/verify": {allowed: []string{"auditadmin"}, prep: path("/api/v1/audit/verify")},
	"GET /api/v1/signins":      {allowed: []string{"secadmin", "auditadmin"}, prep: path("/api/v1/signins")},
}

func without(list []string, drop ...string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(drop, s) {
			out = append(out, s)
		}
	}
	return out
}

func TestAuthorizationMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		for _, rt := range h.app.Server().Routes() {
			key := rt.Method + " " + rt.Path
			row, ok := matrix[key]
			if !ok {
				t.Errorf("route %s has no row in the authorization matrix", key)
				continue
			}
			for _, user := range actors {
				want := row.status
				if want == 0 {
					want = 200
				}
				switch {
				case user == "" && !row.public:
					want = 401
				case user != "" && !row.allows(user):
					want = 403
				case slices.Contains(row.hidden, user) || (user == "zsb_leader" && slices.Contains(row.hidden, "zsb_staff")):
					want = 404
				}
				c := h.anon()
				if user != "" {
					c = h.as(user)
					if row.fresh {
						c = h.anon()
						c.login(user, demoPW)
					}
				}
				p, body := row.prep(h, user)
				if st, b := c.do(rt.Method, p, body); st != want {
					t.Errorf("%s as %q: got %d want %d: %s", key, user, st, want, b)
				}
			}
		}
	})
}

// TestScopeRows checks the exact rows each scope sees, and that a record
// outside the caller's scope answers 404.
func TestScopeRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		park, err := h.app.Org.CreateUser(context.Background(), system, org.CreateUser{Username: "jl_staff",
			DisplayName: "金利园区招商员", UnitID: h.unitID("PARK-GY"), Password: "Park-pass-2026"})
		if err != nil {
			t.Fatal(err)
		}
		all := []string{"admin", "auditadmin", "dept_staff", "dz_staff", "gx_staff", "gy_staff", "jl_staff", "leader",
			"secadmin", "sh_staff", "sysadmin", "wg_eqp", "wg_nev", "zsb_leader", "zsb_staff"}
		want := map[string][]string{
			"sysadmin": all, "secadmin": all, "zsb_staff": all, "leader": all,
			"dz_staff":   {"dz_staff"},
			"gy_staff":   {"gy_staff", "jl_staff"}, // 高要区 and the park below it
			"wg_nev":     {"wg_nev"},
			"dept_staff": {"dept_staff"},
		}
		for user, names := range want {
			var list struct {
				Items []org.User `json:"items"`
				Total int        `json:"total"`
			}
			h.as(user).get("/api/v1/users?page_size=200", &list)
			var got []string
			for _, u := range list.Items {
				got = append(got, u.Username)
			}
			sort.Strings(got)
			if !slices.Equal(got, names) || list.Total != len(names) {
				t.Errorf("%s sees %v (total %d), want %v", user, got, list.Total, names)
			}
		}
		other := fmt.Sprintf("/api/v1/users/%d", park.ID)
		for user, st := range map[string]int{"dz_staff": 404, "wg_nev": 404, "dept_staff": 404, "gy_staff": 200, "zsb_staff": 200} {
			if got, b := h.as(user).do("GET", other, nil); got != st {
				t.Errorf("%s GET another unit's user: %d want %d: %s", user, got, st, b)
			}
		}
	})
}
