package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// ssoRedirect is the callback the platform sends the browser to; the
// tests read the code and state from it and call the server themselves.
const ssoRedirect = "http://attract.test/api/v1/auth/sso/callback"

// ssoHarness is a server whose single sign-on goes to an in-process
// OpenID Connect provider (binding by username allowed).
func ssoHarness(t *testing.T, d *db.DB) (*harness, *mockoidc.MockOIDC) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	h := newHarnessWith(t, d, func(c *app.Config) {
		c.Auth.SSO = auth.SSOConfig{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
			RedirectURL: ssoRedirect, BindByUsername: true}
	})
	return h, m
}

// ssoFlow runs start → platform → callback for a fresh browser with the
// platform's user u; authz and back may change the authorize request and
// the callback's query. It answers the browser and where the callback sent it.
func ssoFlow(h *harness, m *mockoidc.MockOIDC, u mockoidc.User, authz, back func(url.Values)) (*client, string) {
	h.t.Helper()
	c := h.anon()
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	start := location(h, c, h.srv.URL+"/api/v1/auth/sso/start")
	if !strings.HasPrefix(start, m.AuthorizationEndpoint()+"?") {
		h.t.Fatalf("start sent the browser to %q", start)
	}
	au, _ := url.Parse(start)
	q := au.Query()
	for _, p := range []string{"state", "nonce", "code_challenge"} {
		if q.Get(p) == "" {
			h.t.Fatalf("authorize request without %s: %s", p, start)
		}
	}
	if q.Get("code_challenge_method") != "S256" {
		h.t.Fatalf("PKCE method %q", q.Get("code_challenge_method"))
	}
	if authz != nil {
		authz(q)
	}
	au.RawQuery = q.Encode()
	m.QueueUser(u)
	cb, _ := url.Parse(location(h, c, au.String()))
	if !strings.HasPrefix(cb.String(), ssoRedirect+"?") {
		h.t.Fatalf("platform sent the browser to %q", cb)
	}
	bq := cb.Query()
	if back != nil {
		back(bq)
	}
	return c, location(h, c, h.srv.URL+"/api/v1/auth/sso/callback?"+bq.Encode())
}

// location GETs a URL and answers the redirect's target.
func location(h *harness, c *client, u string) string {
	h.t.Helper()
	resp, err := c.http.Get(u)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		h.t.Fatalf("GET %s: %d, want 302", u, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func platformUser(sub, username string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: sub, PreferredUsername: username}
}

// lastSignin is the newest sign-in audit row of a username: action,
// reason and method.
func lastSignin(h *harness, username string) (action, after string) {
	h.t.Helper()
	_ = h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT action, after_json FROM audit_log
		WHERE action IN ('auth.login', 'auth.login_failed') AND username = ? ORDER BY id DESC LIMIT 1`, username).Scan(&action, &after)
	return action, after
}

func TestSingleSignOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, m := ssoHarness(t, d)
		ctx := context.Background()
		st, body := h.anon().do("GET", "/api/v1/auth/sso", nil)
		if st != 200 || string(body) != `{"enabled":true,"label":""}`+"\n" {
			t.Fatalf("sso info: %d %s", st, body)
		}

		// A first sign-in binds the platform's subject to the user its
		// username claim names, and opens a complete session marked sso.
		c, to := ssoFlow(h, m, platformUser("sub-zsb", "zsb_staff"), nil, nil)
		if to != "/" {
			t.Fatalf("signed in, sent to %q", to)
		}
		st, body = c.do("GET", "/api/v1/auth/me", nil)
		if st != 200 || !strings.Contains(string(body), `"username":"zsb_staff"`) || !strings.Contains(string(body), `"pending":""`) {
			t.Fatalf("me after sso: %d %s", st, body)
		}
		var subject, method string
		_ = d.Reader().QueryRowContext(ctx, `SELECT u.sso_subject, s.method FROM users u JOIN sessions s ON s.user_id = u.id
			WHERE u.username = 'zsb_staff' ORDER BY s.created_at DESC LIMIT 1`).Scan(&subject, &method)
		if subject != "sub-zsb" || method != "sso" {
			t.Fatalf("subject %q method %q, want sub-zsb sso", subject, method)
		}
		if a, after := lastSignin(h, "zsb_staff"); a != "auth.login" || !strings.Contains(after, `"method":"sso"`) || !strings.Contains(after, `"reason":""`) {
			t.Fatalf("audit %s %s", a, after)
		}
		if n := auditCount(h, "auth.sso_bound", "zsb_staff"); n != 1 {
			t.Fatalf("%d sso_bound rows, want 1", n)
		}
		// A password sign-in is marked password.
		h.as("wg_nev")
		_ = d.Reader().QueryRowContext(ctx, `SELECT s.method FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'wg_nev'`).Scan(&method)
		if method != "password" {
			t.Fatalf("password session method %q", method)
		}

		// Bound, the subject decides: a changed username claim still signs
		// in as the bound user, without binding again.
		c, to = ssoFlow(h, m, platformUser("sub-zsb", "someone_else"), nil, nil)
		if st, body := c.do("GET", "/api/v1/auth/me", nil); to != "/" || st != 200 || !strings.Contains(string(body), `"username":"zsb_staff"`) {
			t.Fatalf("bound subject: %q %d %s", to, st, body)
		}
		if n := auditCount(h, "auth.sso_bound", "zsb_staff"); n != 1 {
			t.Fatalf("%d sso_bound rows after the second sign-in, want 1", n)
		}

		refused := func(name, want string, c *client, to string) {
			t.Helper()
			if to != "/login?sso_error="+want {
				t.Fatalf("%s: sent to %q, want sso_error=%s", name, to, want)
			}
			if st, _ := c.do("GET", "/api/v1/auth/me", nil); st != 401 {
				t.Fatalf("%s: signed in (%d)", name, st)
			}
		}
		// Wrong state: the callback is not the one this browser started.
		c, to = ssoFlow(h, m, platformUser("sub-dz", "dz_staff"), nil, func(q url.Values) { q.Set("state", "forged") })
		refused("wrong state", "state", c, to)
		if a, after := lastSignin(h, ""); a != "auth.login_failed" || !strings.Contains(after, `"reason":"sso_state"`) {
			t.Fatalf("state audit %s %s", a, after)
		}
		// Wrong nonce: the ID token was issued for another request.
		c, to = ssoFlow(h, m, platformUser("sub-dz", "dz_staff"), func(q url.Values) { q.Set("nonce", "other") }, nil)
		refused("wrong nonce", "token", c, to)
		// Expired: the platform issued the token over an hour ago.
		m.FastForward(-time.Hour)
		c, to = ssoFlow(h, m, platformUser("sub-dz", "dz_staff"), nil, nil)
		m.FastForward(time.Hour)
		refused("expired token", "token", c, to)
		// The platform reports an error (the user cancelled).
		c, to = ssoFlow(h, m, platformUser("sub-dz", "dz_staff"), nil, func(q url.Values) { q.Del("code"); q.Set("error", "access_denied") })
		refused("provider error", "provider", c, to)
		var none int
		_ = d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = 'dz_staff' AND sso_subject IS NOT NULL`).Scan(&none)
		if none != 0 {
			t.Fatal("a refused sign-in bound the subject")
		}

		// Unknown on attract.
		c, to = ssoFlow(h, m, platformUser("sub-x", "nobody"), nil, nil)
		refused("unknown user", "unknown_user", c, to)
		if a, after := lastSignin(h, "nobody"); a != "auth.login_failed" || !strings.Contains(after, `"reason":"sso_unknown_user"`) {
			t.Fatalf("unknown audit %s %s", a, after)
		}
		// Another subject claiming a bound username does not take it over.
		c, to = ssoFlow(h, m, platformUser("sub-intruder", "zsb_staff"), nil, nil)
		refused("other subject", "unknown_user", c, to)
		// Disabled.
		u := freshUser(h)
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'disabled' WHERE id = ?`, u.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		c, to = ssoFlow(h, m, platformUser("sub-off", u.Username), nil, nil)
		refused("disabled", "disabled", c, to)
		if a, after := lastSignin(h, u.Username); a != "auth.login_failed" || !strings.Contains(after, `"reason":"sso_disabled"`) {
			t.Fatalf("disabled audit %s %s", a, after)
		}
		// The three administrators keep the password and the second factor.
		for _, admin := range []string{"sysadmin", "secadmin", "auditadmin"} {
			c, to = ssoFlow(h, m, platformUser("sub-"+admin, admin), nil, nil)
			refused(admin, "administrator", c, to)
			if a, after := lastSignin(h, admin); a != "auth.login_failed" || !strings.Contains(after, `"reason":"sso_administrator"`) {
				t.Fatalf("%s audit %s %s", admin, a, after)
			}
		}
		_ = d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE sso_subject IS NOT NULL`).Scan(&none)
		if none != 1 {
			t.Fatalf("%d users bound, want 1 (zsb_staff)", none)
		}

		// A user with a second factor still gives it: the session waits
		// for the code, as after a password.
		u2 := freshUser(h)
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled = ? WHERE id = ?`, true, u2.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		c, to = ssoFlow(h, m, platformUser("sub-totp", u2.Username), nil, nil)
		if st, body := c.do("GET", "/api/v1/auth/me", nil); to != "/" || st != 200 || !strings.Contains(string(body), `"pending":"totp"`) {
			t.Fatalf("sso with a second factor: %q %d %s", to, st, body)
		}
		if st, _ := c.do("GET", "/api/v1/projects", nil); st != 403 {
			t.Fatalf("pending sso session reached projects: %d", st)
		}
		if _, after := lastSignin(h, u2.Username); !strings.Contains(after, `"reason":"sso_ok_totp_pending"`) {
			t.Fatalf("pending audit %s", after)
		}

		// Binding not allowed: only a bound subject signs in.
		h.app.Auth.Cfg.SSO.BindByUsername = false
		c, to = ssoFlow(h, m, platformUser("sub-dz", "dz_staff"), nil, nil)
		refused("binding off", "unknown_user", c, to)
		c, to = ssoFlow(h, m, platformUser("sub-zsb", "zsb_staff"), nil, nil)
		if to != "/" {
			t.Fatalf("bound user with binding off: %q", to)
		}
	})
}

// Whatever the callback is sent, it answers a redirect to the login page
// (never 5xx, never elsewhere); without single sign-on the routes are 404.
func TestSingleSignOnBadCallbacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, _ := ssoHarness(t, d)
		c := h.anon()
		c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		// A started sign-in's cookie, for the cases that carry one.
		location(h, c, h.srv.URL+"/api/v1/auth/sso/start")
		for _, q := range []string{"", "?code=", "?state=", "?code=abc&state=def", "?error=access_denied", "?code=%zz&state=%",
			"?code=" + strings.Repeat("a", 5000) + "&state=x", "?state=a&state=b&code=c&code=d", "?code=\x00&state=\n"} {
			resp, err := c.http.Get(h.srv.URL + "/api/v1/auth/sso/callback" + q)
			if err != nil {
				// A request the client itself refuses to send (control characters).
				continue
			}
			resp.Body.Close()
			if to := resp.Header.Get("Location"); resp.StatusCode != 302 || !strings.HasPrefix(to, "/login?sso_error=") {
				t.Fatalf("callback%q: %d to %q", q, resp.StatusCode, to)
			}
		}
		// A state cookie sealed by another server's secret is not this one's.
		c.http.Jar.SetCookies(mustURL(h.srv.URL+"/api/v1/auth/sso"), []*http.Cookie{{Name: "attract_sso", Value: "AAAA", Path: "/api/v1/auth/sso"}})
		if to := location(h, c, h.srv.URL+"/api/v1/auth/sso/callback?code=x&state=y"); to != "/login?sso_error=state" {
			t.Fatalf("forged cookie: %q", to)
		}

	})
}

// Without single sign-on configured the login page shows no button and
// the routes are 404 (the authorization matrix runs without it too).
func TestSingleSignOnOff(t *testing.T) {
	off := newHarness(t, dbtest.SQLite(t))
	for _, p := range []string{"/api/v1/auth/sso/start", "/api/v1/auth/sso/callback?code=x&state=y"} {
		if st, _ := off.anon().do("GET", p, nil); st != 404 {
			t.Fatalf("%s without sso: %d", p, st)
		}
	}
	if st, body := off.anon().do("GET", "/api/v1/auth/sso", nil); st != 200 || string(body) != `{"enabled":false,"label":""}`+"\n" {
		t.Fatalf("sso info off: %d %s", st, body)
	}
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }
