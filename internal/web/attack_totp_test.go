package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// pendingOf signs in and returns what the session still waits for.
func (c *client) signIn(username, pw string) string {
	c.h.t.Helper()
	st, body := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": pw})
	if st != 200 {
		c.h.t.Fatalf("login %s: %d %s", username, st, body)
	}
	var info struct {
		CSRFToken string `json:"csrf_token"`
		User      struct{ Pending string }
	}
	mustJSON(c.h.t, body, &info)
	c.csrf = info.CSRFToken
	return info.User.Pending
}

// secondFactor posts a code (or recovery code) and keeps the new session's CSRF token.
func (c *client) secondFactor(body map[string]string) (int, []byte) {
	st, b := c.do("POST", "/api/v1/auth/totp", body)
	if st == 200 {
		var info struct {
			CSRFToken string `json:"csrf_token"`
		}
		_ = json.Unmarshal(b, &info)
		c.csrf = info.CSRFToken
	}
	return st, b
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The administrators cannot work without a second factor; a password alone
// opens nothing (not even a token); a code works once, a recovery code once;
// guessing codes locks like guessing passwords.
func TestSecondFactor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarnessWith(t, d, func(c *app.Config) { c.Auth.AdminTOTPOptional = false })
		sec := h.anon()
		if p := sec.signIn("secadmin", demoPW); p != "enrol" {
			t.Fatalf("an administrator without TOTP: pending %q, want enrol", p)
		}
		for _, r := range [][2]string{{"GET", "/api/v1/users"}, {"POST", "/api/v1/me/tokens"}, {"GET", "/api/v1/settings/security"}, {"PUT", "/api/v1/me/password"}} {
			if st, b := sec.do(r[0], r[1], map[string]string{"name": "x"}); st != 403 {
				t.Errorf("%s %s before enrolment: %d %s", r[0], r[1], st, b)
			}
		}
		st, b := sec.do("POST", "/api/v1/me/totp", nil)
		if st != 200 {
			t.Fatalf("start: %d %s", st, b)
		}
		var e struct {
			Secret string
			URL    string `json:"otpauth_url"`
			QR     string `json:"qr_png"`
		}
		mustJSON(t, b, &e)
		if !strings.HasPrefix(e.QR, "data:image/png;base64,iVBOR") || !strings.Contains(e.URL, "secret="+e.Secret) {
			t.Errorf("enrolment: %+v", e)
		}
		var sealed string
		_ = d.Reader().QueryRowContext(context.Background(), `SELECT totp_secret FROM users WHERE username = 'secadmin'`).Scan(&sealed)
		if strings.Contains(sealed, e.Secret) || !strings.HasPrefix(sealed, "enc1:") {
			t.Errorf("the secret is stored as %q", sealed)
		}
		if st, _ := sec.do("POST", "/api/v1/me/totp/confirm", map[string]string{"code": "000000"}); st != 400 {
			t.Errorf("confirm with a wrong code: %d", st)
		}
		now := time.Now()
		first := code(t, e.Secret, now)
		st, b = sec.do("POST", "/api/v1/me/totp/confirm", map[string]string{"code": first})
		if st != 200 {
			t.Fatalf("confirm: %d %s", st, b)
		}
		var rc struct {
			Codes []string `json:"recovery_codes"`
		}
		mustJSON(t, b, &rc)
		if len(rc.Codes) != 10 {
			t.Fatalf("recovery codes: %v", rc.Codes)
		}
		if st, _ := sec.do("GET", "/api/v1/users", nil); st != 200 {
			t.Errorf("after enrolment: %d", st)
		}

		// Password alone: the session waits for the code and opens nothing.
		c2 := h.anon()
		if p := c2.signIn("secadmin", demoPW); p != "totp" {
			t.Fatalf("enrolled: pending %q, want totp", p)
		}
		for _, r := range [][2]string{{"GET", "/api/v1/users"}, {"POST", "/api/v1/me/tokens"}, {"POST", "/api/v1/me/totp/disable"}} {
			if st, _ := c2.do(r[0], r[1], map[string]string{"name": "x"}); st != 403 {
				t.Errorf("%s %s with the password alone: %d", r[0], r[1], st)
			}
		}
		if st, _ := c2.secondFactor(map[string]string{"code": first}); st != 400 {
			t.Errorf("the enrolment's code used again: %d, want 400", st)
		}
		if st, b := c2.secondFactor(map[string]string{"code": code(t, e.Secret, now.Add(30*time.Second))}); st != 200 {
			t.Fatalf("the next code: %d %s", st, b)
		}
		if st, _ := c2.do("GET", "/api/v1/users", nil); st != 200 {
			t.Errorf("after the code: %d", st)
		}
		if st, _ := c2.do("POST", "/api/v1/me/totp/disable", map[string]string{"code": code(t, e.Secret, now)}); st != 403 {
			t.Errorf("an administrator turning TOTP off: %d, want 403", st)
		}

		// A recovery code works once.
		for i, want := range []int{200, 400} {
			c := h.anon()
			c.signIn("secadmin", demoPW)
			if st, b := c.secondFactor(map[string]string{"recovery_code": strings.ToUpper(rc.Codes[0])}); st != want {
				t.Errorf("recovery code, use %d: %d want %d: %s", i+1, st, want, b)
			}
		}

		// The security administrator requires it of everyone; the system administrator cannot.
		var pol map[string]any
		c2.get("/api/v1/settings/security", &pol)
		if pol["password_max_age_days"] != float64(90) || pol["totp_for_all"] != false {
			t.Errorf("default policy: %v", pol)
		}
		pol["totp_for_all"] = true
		if st, b := c2.do("PUT", "/api/v1/settings/security", pol); st != 200 {
			t.Fatalf("policy: %d %s", st, b)
		}
		sys := h.anon()
		sys.signIn("sysadmin", demoPW) // pending enrol: cannot even reach the route
		if st, _ := sys.do("PUT", "/api/v1/settings/security", pol); st != 403 {
			t.Errorf("sysadmin changing the policy: %d", st)
		}
		if p := h.anon().signIn("zsb_staff", demoPW); p != "enrol" {
			t.Errorf("business user under totp_for_all: pending %q", p)
		}
		if n := auditCount(h, "setting.update", "secadmin"); n != 1 {
			t.Errorf("policy change audited %d times", n)
		}

		// Guessing: wrong codes count with the wrong recovery code and the
		// reused code above; the fifth failure locks and ends the waiting session.
		g := h.anon()
		g.signIn("secadmin", demoPW)
		var got []int
		for range 3 {
			st, _ := g.secondFactor(map[string]string{"code": "123456"})
			got = append(got, st)
		}
		if fmt.Sprint(got) != "[400 400 429]" {
			t.Errorf("wrong codes 3 to 5: %v, want [400 400 429]", got)
		}
		if st, _ := g.do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Errorf("the waiting session after the lock: %d, want 401", st)
		}
	})
}

// The session cap ends the least recently used session; an administrator
// ends a user's sessions; a password past its age must be changed first.
func TestSessionsAndPasswordAge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sec := h.as("secadmin")
		var pol map[string]any
		sec.get("/api/v1/settings/security", &pol)
		pol["max_sessions"] = 2
		if st, b := sec.do("PUT", "/api/v1/settings/security", pol); st != 200 {
			t.Fatalf("policy: %d %s", st, b)
		}
		pol["max_sessions"] = -1
		if st, _ := sec.do("PUT", "/api/v1/settings/security", pol); st != 400 {
			t.Errorf("a negative cap: %d", st)
		}
		var cs []*client
		for range 3 {
			c := h.anon()
			c.signIn("dz_staff", demoPW)
			cs = append(cs, c)
		}
		for i, want := range []int{401, 200, 200} {
			if st, _ := cs[i].do("GET", "/api/v1/auth/me", nil); st != want {
				t.Errorf("session %d of 3 under a cap of 2: %d want %d", i+1, st, want)
			}
		}
		st, b := sec.do("POST", fmt.Sprintf("/api/v1/users/%d/sessions/end", h.userID("dz_staff")), nil)
		if st != 200 || !strings.Contains(string(b), `"ended":2`) {
			t.Errorf("end sessions: %d %s", st, b)
		}
		if st, _ := cs[2].do("GET", "/api/v1/auth/me", nil); st != 401 {
			t.Errorf("after the administrator ended it: %d", st)
		}
		if st, _ := h.as("sysadmin").do("POST", fmt.Sprintf("/api/v1/users/%d/sessions/end", h.userID("dz_staff")), nil); st != 403 {
			t.Errorf("sysadmin ending sessions: %d", st)
		}

		// 91 days since the password was set: only the change is open.
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET password_changed_at = ? WHERE username = 'leader'`, time.Now().UTC().Add(-91*24*time.Hour))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		l := h.anon()
		l.signIn("leader", demoPW)
		var me struct {
			User struct {
				MustChangePassword bool `json:"must_change_password"`
				PasswordExpired    bool `json:"password_expired"`
			}
		}
		l.get("/api/v1/auth/me", &me)
		if !me.User.MustChangePassword || !me.User.PasswordExpired {
			t.Errorf("expired password: %+v", me)
		}
		if st, b := l.do("GET", "/api/v1/projects", nil); st != 403 || !strings.Contains(string(b), "expired") && !strings.Contains(string(b), "有效期") {
			t.Errorf("expired password, projects: %d %s", st, b)
		}
		st, b = l.do("PUT", "/api/v1/me/password", map[string]string{"old_password": demoPW, "new_password": "Renewed-pass-2026"})
		if st != 200 {
			t.Fatalf("change: %d %s", st, b)
		}
		var info struct {
			CSRFToken string `json:"csrf_token"`
		}
		mustJSON(t, b, &info)
		l.csrf = info.CSRFToken
		if st, _ := l.do("GET", "/api/v1/projects", nil); st != 200 {
			t.Errorf("after the change: %d", st)
		}
	})
}
