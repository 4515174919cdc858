package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.anon()
		bad := map[string]string{"username": "dz_staff", "password": "wrong-pass-1"}
		for i := 1; i <= 5; i++ {
			if st, b := c.do("POST", "/api/v1/auth/login", bad); st != 401 {
				t.Fatalf("failure %d: %d %s", i, st, b)
			}
		}
		// Locked now, even with the right password.
		good := map[string]string{"username": "dz_staff", "password": demoPW}
		if st, b := c.do("POST", "/api/v1/auth/login", good); st != 429 || !strings.Contains(string(b), "锁定") {
			t.Fatalf("after 5 failures: %d %s", st, b)
		}
		// The security administrator unlocks; sign-in works again.
		if st, b := h.as("secadmin").do("POST", fmt.Sprintf("/api/v1/users/%d/unlock", h.userID("dz_staff")), nil); st != 200 {
			t.Fatalf("unlock: %d %s", st, b)
		}
		if st, b := c.do("POST", "/api/v1/auth/login", good); st != 200 {
			t.Fatalf("after unlock: %d %s", st, b)
		}
		// Every attempt is in the sign-in log, failures with their reason.
		var log struct {
			Items []struct{ Username, Result, Reason string } `json:"items"`
			Total int                                         `json:"total"`
		}
		h.as("auditadmin").get("/api/v1/signins?username=dz_staff&result=failure", &log)
		if log.Total != 6 || log.Items[0].Reason != "locked" || log.Items[1].Reason != "bad_password_locked" {
			t.Fatalf("sign-in log: %+v", log)
		}
	})
}

func TestLockoutWindowExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		now := time.Now()
		h.app.Auth.Now = func() time.Time { return now }
		c := h.anon()
		bad := map[string]string{"username": "gy_staff", "password": "wrong-pass-1"}
		for i := 0; i < 4; i++ {
			c.do("POST", "/api/v1/auth/login", bad)
		}
		now = now.Add(16 * time.Minute) // outside the 15-minute window: the count starts again
		for i := 0; i < 4; i++ {
			c.do("POST", "/api/v1/auth/login", bad)
		}
		if st, b := c.do("POST", "/api/v1/auth/login", map[string]string{"username": "gy_staff", "password": demoPW}); st != 200 {
			t.Fatalf("4+4 failures in two windows must not lock: %d %s", st, b)
		}
	})
}

func TestSessionsEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		// Logout revokes the session.
		c := h.anon()
		c.login("wg_nev", demoPW)
		if st, _ := c.do("POST", "/api/v1/auth/logout", nil); st != 204 {
			t.Fatal("logout")
		}
		if st, _ := c.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Fatalf("after logout: %d", st)
		}
		// Idle timeout.
		now := time.Now()
		h.app.Auth.Now = func() time.Time { return now }
		c.login("wg_nev", demoPW)
		now = now.Add(31 * time.Minute)
		if st, _ := c.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Fatalf("after 31 idle minutes: %d", st)
		}
		// Absolute timeout, even when used all along.
		now = time.Now()
		c.login("wg_nev", demoPW)
		for i := 0; i < 26; i++ {
			now = now.Add(29 * time.Minute)
			if st, _ := c.do("GET", "/api/v1/auth/me", nil); st != 200 && i < 24 {
				t.Fatalf("active session ended early at step %d", i)
			}
		}
		if st, _ := c.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Fatalf("after 12h30m: %d", st)
		}
		h.app.Auth.Now = time.Now
		// Disabling a user ends their sessions.
		victim := h.anon()
		victim.login("sh_staff", demoPW)
		id := h.userID("sh_staff")
		var u struct{ Version int }
		h.as("sysadmin").get(fmt.Sprintf("/api/v1/users/%d", id), &u)
		if st, b := h.as("sysadmin").do("POST", fmt.Sprintf("/api/v1/users/%d/disable", id), map[string]int{"version": u.Version}); st != 200 {
			t.Fatalf("disable: %d %s", st, b)
		}
		if st, _ := victim.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Fatalf("disabled user's session still works: %d", st)
		}
		if st, _ := h.anon().do("POST", "/api/v1/auth/login", map[string]string{"username": "sh_staff", "password": demoPW}); st != 401 {
			t.Fatalf("disabled user signs in: %d", st)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		a, b := h.anon(), h.anon()
		a.login("dept_staff", demoPW)
		b.login("dept_staff", demoPW)
		st, body := a.do("PUT", "/api/v1/me/password", map[string]string{"old_password": demoPW, "new_password": "Changed-2026"})
		if st != 200 {
			t.Fatalf("change: %d %s", st, body)
		}
		var r struct {
			CSRF string `json:"csrf_token"`
		}
		mustJSON(t, body, &r)
		a.csrf = r.CSRF
		if st, _ := a.do("GET", "/api/v1/me/tokens", nil); st != 200 {
			t.Fatalf("the changing session continues: %d", st)
		}
		if st, _ := b.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Fatalf("the other session must end: %d", st)
		}
		if st, _ := h.anon().do("POST", "/api/v1/auth/login", map[string]string{"username": "dept_staff", "password": "Changed-2026"}); st != 200 {
			t.Fatal("new password does not work")
		}
	})
}

func TestCSRFAndBearerTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.anon()
		c.login("zsb_staff", demoPW)
		csrf := c.csrf
		c.csrf = ""
		if st, _ := c.do("POST", "/api/v1/me/tokens", map[string]string{"name": "x"}); st != 403 {
			t.Fatalf("state change without CSRF: %d", st)
		}
		c.csrf = "forged"
		if st, _ := c.do("POST", "/api/v1/me/tokens", map[string]string{"name": "x"}); st != 403 {
			t.Fatalf("state change with a wrong CSRF token: %d", st)
		}
		c.csrf = csrf
		st, body := c.do("POST", "/api/v1/me/tokens", map[string]string{"name": "统计对接"})
		if st != 201 {
			t.Fatalf("create token: %d %s", st, body)
		}
		var tok struct {
			Token string
			Item  struct{ ID int64 }
		}
		mustJSON(t, body, &tok)
		bearer := h.anon()
		bearer.token = tok.Token
		var me struct {
			User struct{ Username, Scope string }
		}
		bearer.get("/api/v1/auth/me", &me)
		if me.User.Username != "zsb_staff" || me.User.Scope != "all" {
			t.Fatalf("token acts as its owner: %+v", me)
		}
		// Bearer callers need no CSRF header.
		if st, _ := bearer.do("POST", "/api/v1/me/tokens", map[string]string{"name": "second"}); st != 201 {
			t.Fatalf("bearer write: %d", st)
		}
		// Another user cannot revoke it (404), the owner can, then it stops working.
		if st, _ := h.as("sysadmin").do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", tok.Item.ID), nil); st != 404 {
			t.Fatalf("revoke someone else's token: %d", st)
		}
		if st, _ := c.do("DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", tok.Item.ID), nil); st != 204 {
			t.Fatalf("revoke: %d", st)
		}
		if st, _ := bearer.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Fatalf("revoked token still works: %d", st)
		}
	})
}

// TestSeparationOfDuties: the 三员 rules.
func TestSeparationOfDuties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sys, sec := h.as("sysadmin"), h.as("secadmin")
		ctx := context.Background()
		roles := map[string]int64{}
		for _, code := range []string{"sysadmin", "auditadmin", "commission"} {
			roles[code] = roleID(h, code)
		}
		version := func(user string) int {
			var u struct{ Version int }
			sys.get(fmt.Sprintf("/api/v1/users/%d", h.userID(user)), &u)
			return u.Version
		}
		cases := []struct {
			name   string
			c      *client
			method string
			path   string
			body   any
			want   int
		}{
			{"sysadmin cannot read the audit log", sys, "GET", "/api/v1/audit", nil, 403},
			{"sysadmin cannot change own roles", sys, "PUT", fmt.Sprintf("/api/v1/users/%d/roles", h.userID("sysadmin")),
				map[string]any{"role_ids": []int64{roles["sysadmin"], roles["auditadmin"]}, "version": version("sysadmin")}, 403},
			{"sysadmin cannot grant the audit role to a stand-in", sys, "PUT", fmt.Sprintf("/api/v1/users/%d/roles", h.userID("wg_eqp")),
				map[string]any{"role_ids": []int64{roles["auditadmin"]}, "version": version("wg_eqp")}, 403},
			{"sysadmin cannot reset the audit administrator's password", sys, "POST", fmt.Sprintf("/api/v1/users/%d/password", h.userID("auditadmin")),
				map[string]any{"new_password": "Takeover-2026"}, 403},
			{"sysadmin cannot edit roles", sys, "PUT", fmt.Sprintf("/api/v1/roles/%d", roles["sysadmin"]),
				map[string]any{"name_zh": "x", "name_en": "x", "scope": "all", "permissions": []string{"audit:read"}, "version": 1}, 403},
			{"secadmin cannot edit a role it holds", sec, "PUT", fmt.Sprintf("/api/v1/roles/%d", roleID(h, "secadmin")),
				map[string]any{"name_zh": "x", "name_en": "x", "scope": "all", "permissions": []string{"audit:read"}, "version": 1}, 403},
			{"auditadmin cannot write anything", h.as("auditadmin"), "POST", "/api/v1/units",
				map[string]any{"code": "X1", "name": "x", "kind": "park", "parent_id": 1, "effective_on": "2024-01-01"}, 403},
			{"leader is read-only", h.as("leader"), "POST", "/api/v1/dictionary",
				map[string]any{"type": "channel", "code": "x", "label_zh": "x", "label_en": "x"}, 403},
			{"sysadmin cannot grant even an ordinary role (granting is the security administrator's)", sys, "PUT", fmt.Sprintf("/api/v1/users/%d/roles", h.userID("wg_eqp")),
				map[string]any{"role_ids": []int64{roles["commission"]}, "version": version("wg_eqp")}, 403},
			{"secadmin grants an ordinary role", sec, "PUT", fmt.Sprintf("/api/v1/users/%d/roles", h.userID("wg_eqp")),
				map[string]any{"role_ids": []int64{roles["commission"]}, "version": version("wg_eqp")}, 200},
			{"secadmin grants the audit role", sec, "PUT", fmt.Sprintf("/api/v1/users/%d/roles", h.userID("sh_staff")),
				map[string]any{"role_ids": []int64{roles["auditadmin"]}, "version": version("sh_staff")}, 200},
		}
		for _, tc := range cases {
			if st, b := tc.c.do(tc.method, tc.path, tc.body); st != tc.want {
				t.Errorf("%s: got %d want %d: %s", tc.name, st, tc.want, b)
			}
		}
		_ = ctx
	})
}
