package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// newAccount is a user created by the system administrator and given the
// locality role by the security administrator: must change the password.
func newAccount(h *harness, name, pw string) int64 {
	h.t.Helper()
	st, b := h.as("sysadmin").do("POST", "/api/v1/users", map[string]any{"username": name, "display_name": "新同事",
		"unit_id": h.unitID("441202"), "password": pw})
	if st != 201 {
		h.t.Fatalf("create %s: %d %s", name, st, b)
	}
	var u struct {
		ID      int64
		Version int
	}
	mustJSON(h.t, b, &u)
	if st, b := h.as("secadmin").do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", u.ID), map[string]any{"role_ids": []int64{roleID(h, "locality")}, "version": u.Version}); st != 200 {
		h.t.Fatalf("grant %s: %d %s", name, st, b)
	}
	return u.ID
}

// The first password lets the user do nothing but change it.
func TestMustChangePasswordEnforced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		newAccount(h, "fresh_one", "First-pass-2026")
		c := h.anon()
		c.login("fresh_one", "First-pass-2026")
		if st, b := c.do("GET", "/api/v1/projects", nil); st != 403 || !strings.Contains(string(b), "修改初始密码") {
			t.Errorf("before the change: %d %s", st, b)
		}
		if st, b := c.do("POST", "/api/v1/me/tokens", map[string]any{"name": "x"}); st != 403 {
			t.Errorf("a token minted before the change: %d %s", st, b)
		}
		st, b := c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": "First-pass-2026", "new_password": "Second-pass-2026"})
		if st != 200 {
			t.Fatalf("change: %d %s", st, b)
		}
		var s struct {
			CSRFToken string `json:"csrf_token"`
		}
		mustJSON(t, b, &s)
		c.csrf = s.CSRFToken
		if st, b := c.do("GET", "/api/v1/projects", nil); st != 200 {
			t.Errorf("after the change: %d %s", st, b)
		}
	})
}

// Passwords: three classes of four, not a common one, not one of the last five.
func TestPasswordPolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.anon()
		c.login("wg_eqp", demoPW)
		for _, pw := range []string{"abcd1234", "short1A", "alllowercaseandlong", "P@ssw0rd", "Abc@1234"} {
			if st, b := c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": demoPW, "new_password": pw}); st != 400 {
				t.Errorf("%q accepted: %d %s", pw, st, b)
			}
		}
		cur := demoPW
		for i := 1; i <= 4; i++ {
			next := fmt.Sprintf("Rotate-%d-pass", i)
			st, b := c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": cur, "new_password": next})
			if st != 200 {
				t.Fatalf("rotation %d: %d %s", i, st, b)
			}
			var s struct {
				CSRFToken string `json:"csrf_token"`
			}
			mustJSON(t, b, &s)
			c.csrf, cur = s.CSRFToken, next
		}
		// demoPW is the fifth most recent: still refused; so is Rotate-1.
		for _, old := range []string{demoPW, "Rotate-1-pass"} {
			if st, b := c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": cur, "new_password": old}); st != 400 || !strings.Contains(string(b), "5") {
				t.Errorf("reuse of %s: %d %s", old, st, b)
			}
		}
	})
}

// Tokens expire by default, may carry a subset of the owner's rights, and
// die with a password change, a reset and a disabling.
func TestTokenAttacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		mint := func(c *client, body map[string]any) (string, string) {
			st, b := c.do("POST", "/api/v1/me/tokens", body)
			if st != 201 {
				t.Fatalf("token: %d %s", st, b)
			}
			var tk struct {
				Token string
				Item  struct {
					ExpiresOn string `json:"expires_on"`
				}
			}
			mustJSON(t, b, &tk)
			return tk.Token, tk.Item.ExpiresOn
		}
		bearer := func(tok string) *client { c := h.anon(); c.token = tok; return c }
		dz := h.as("dz_staff")
		tok, exp := mint(dz, map[string]any{"name": "默认"})
		if want := civil.Of(h.app.Auth.Now()).AddDays(90).String(); exp != want {
			t.Errorf("default expiry %s, want %s", exp, want)
		}
		if st, b := dz.do("POST", "/api/v1/me/tokens", map[string]any{"name": "永久", "expires_on": "2099-01-01"}); st != 400 {
			t.Errorf("a token for decades: %d %s", st, b)
		}
		if st, b := dz.do("POST", "/api/v1/me/tokens", map[string]any{"name": "越权", "permissions": []string{"audit:read"}}); st != 400 {
			t.Errorf("a token with a right its owner lacks: %d %s", st, b)
		}
		ro, _ := mint(dz, map[string]any{"name": "只读", "permissions": []string{"project:read"}})
		if st, _ := bearer(ro).do("GET", "/api/v1/projects", nil); st != 200 {
			t.Errorf("read-only token reads: %d", st)
		}
		if st, _ := bearer(ro).do("POST", "/api/v1/projects", map[string]any{"name": "x"}); st != 403 {
			t.Errorf("read-only token writes: %d", st)
		}
		// Password change ends the tokens.
		st, _ := dz.do("PUT", "/api/v1/me/password", map[string]string{"old_password": demoPW, "new_password": "Changed-pass-2026"})
		if st != 200 {
			t.Fatalf("change: %d", st)
		}
		for _, tk := range []string{tok, ro} {
			if st, _ := bearer(tk).do("GET", "/api/v1/projects", nil); st != 401 {
				t.Errorf("token after password change: %d", st)
			}
		}
		// A reset and a disabling end them too.
		gy := h.as("gy_staff")
		t1, _ := mint(gy, map[string]any{"name": "a"})
		if st, b := h.as("sysadmin").do("POST", fmt.Sprintf("/api/v1/users/%d/password", h.userID("gy_staff")), map[string]any{"new_password": "Reset-pass-2026"}); st != 204 {
			t.Fatalf("reset: %d %s", st, b)
		}
		if st, _ := bearer(t1).do("GET", "/api/v1/projects", nil); st != 401 {
			t.Errorf("token after reset: %d", st)
		}
		sh := h.as("sh_staff")
		t2, _ := mint(sh, map[string]any{"name": "b"})
		var u struct{ Version int }
		h.as("sysadmin").get(fmt.Sprintf("/api/v1/users/%d", h.userID("sh_staff")), &u)
		if st, b := h.as("sysadmin").do("POST", fmt.Sprintf("/api/v1/users/%d/disable", h.userID("sh_staff")), map[string]any{"version": u.Version}); st != 200 {
			t.Fatalf("disable: %d %s", st, b)
		}
		if st, _ := bearer(t2).do("GET", "/api/v1/projects", nil); st != 401 {
			t.Errorf("token after disabling: %d", st)
		}
	})
}

// post sends a sign-in with the given headers straight to a server.
func post(t *testing.T, url, body string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/auth/login", bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func creds(user, pw string) string {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	return string(b)
}

// Sign-in throttling behind a trusted proxy: the rightmost untrusted
// address is the client; an unknown account is answered exactly like a
// real one; a lock earned from one address leaves the owner signing in
// from another; one address guessing across accounts is stopped; a login
// from another site or as text/plain is refused; HSTS over TLS.
func TestSignInAttacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		s := h.app.Server()
		s.TrustedProxies = []string{"127.0.0.1"}
		srv := httptest.NewServer(s.Handler())
		defer srv.Close()
		from := func(addr string) map[string]string {
			// The client forged a leftmost entry; the proxy appended the real one.
			return map[string]string{"X-Forwarded-For": "10.9.9.9, " + addr}
		}
		answers := map[string]string{}
		for _, user := range []string{"dz_staff", "no_such_user"} {
			for i := 0; i < 5; i++ {
				post(t, srv.URL, creds(user, "Wrong-pass-1"), from("203.0.113.7"))
			}
			st, b := post(t, srv.URL, creds(user, "Wrong-pass-1"), from("203.0.113.7"))
			// Every answer carries its own request id; the rest must be equal.
			answers[user] = fmt.Sprint(st, requestID.ReplaceAllString(fmt.Sprint(b), ""))
			if st != 429 {
				t.Errorf("%s after 5 failures: %d %s", user, st, b)
			}
		}
		if answers["dz_staff"] != answers["no_such_user"] {
			t.Errorf("the answer tells accounts apart:\n%s\n%s", answers["dz_staff"], answers["no_such_user"])
		}
		if st, b := post(t, srv.URL, creds("dz_staff", demoPW), from("198.51.100.20")); st != 200 {
			t.Errorf("the owner from another address: %d %s", st, b)
		}
		var log struct {
			Items []struct {
				ClientAddr string `json:"client_addr"`
			} `json:"items"`
		}
		h.as("auditadmin").get("/api/v1/signins?username=dz_staff&result=success", &log)
		if len(log.Items) == 0 || log.Items[0].ClientAddr != "198.51.100.20" {
			t.Errorf("client address logged: %+v", log.Items)
		}
		for i := 0; i < 20; i++ {
			post(t, srv.URL, creds(fmt.Sprintf("guess%d", i), "Wrong-pass-1"), from("192.0.2.66"))
		}
		if st, b := post(t, srv.URL, creds("gy_staff", demoPW), from("192.0.2.66")); st != 429 {
			t.Errorf("an address guessing across accounts: %d %s", st, b)
		}
		if st, b := post(t, srv.URL, creds("gx_staff", demoPW), map[string]string{"Content-Type": "text/plain"}); st != 400 {
			t.Errorf("text/plain sign-in: %d %s", st, b)
		}
		if st, b := post(t, srv.URL, creds("gx_staff", demoPW), map[string]string{"Origin": "https://evil.example"}); st != 403 {
			t.Errorf("foreign-origin sign-in: %d %s", st, b)
		}
		if st, b := post(t, srv.URL, creds("gx_staff", demoPW), map[string]string{"Origin": srv.URL}); st != 200 {
			t.Errorf("same-origin sign-in: %d %s", st, b)
		}
		h.app.Auth.Cfg.SecureCookie = true
		tls := httptest.NewServer(h.app.Server().Handler())
		defer tls.Close()
		resp, err := http.Get(tls.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("no HSTS with secure cookies")
		}
	})
}

// requestID matches the request id in an error body, which differs per answer.
var requestID = regexp.MustCompile(`"request_id":"[^"]*"`)
