package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// keptJar keeps the first cookies it is given, whatever later answers say
// (a sign-out clears the cookie in a browser; a stolen cookie stays).
type keptJar struct{ cookies []*http.Cookie }

func (j *keptJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	if j.cookies == nil {
		j.cookies = cs
	}
}
func (j *keptJar) Cookies(*url.URL) []*http.Cookie { return j.cookies }

// TestSessionEndSeenByBothServers: two servers over one database, each
// having answered a session (so each holds it in memory): a sign-out on
// one, an administrator ending the sessions, a user disabled — the very
// next request with the old cookie is refused on both servers.
func TestSessionEndSeenByBothServers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		cfg := app.Config{AdminPassword: adminPW, DemoPassword: demoPW, Auth: auth.Defaults()}
		cfg.Auth.AdminTOTPOptional = true
		other := app.New(d, cfg)
		t.Cleanup(other.Enterprise.Wait)
		srv2 := httptest.NewServer(other.Server().Handler())
		t.Cleanup(srv2.Close)
		h2 := &harness{t: t, app: other, srv: srv2, clients: map[string]*client{}}

		signIn := func(username string) (*client, *client) {
			c := &client{h: h, http: &http.Client{Jar: &keptJar{}}}
			c.login(username, demoPW)
			c2 := &client{h: h2, http: c.http, csrf: c.csrf}
			return c, c2
		}
		both := func(what string, c, c2 *client, want int) {
			t.Helper()
			for i, cl := range []*client{c, c2, c, c2} { // twice: the second answer may come from memory
				if st, b := cl.do("GET", "/api/v1/projects?limit=5", nil); st != want {
					t.Fatalf("%s, server %d: %d want %d (%s)", what, i%2+1, st, want, b)
				}
			}
		}

		c, c2 := signIn("gy_staff")
		both("signed in", c, c2, 200)
		if st, b := c2.do("POST", "/api/v1/auth/logout", nil); st != 204 {
			t.Fatalf("logout on server 2: %d %s", st, b)
		}
		both("signed out on server 2", c, c2, 401)

		c, c2 = signIn("gy_staff")
		both("signed in again", c, c2, 200)
		sec := h.as("secadmin")
		if st, b := sec.do("POST", fmt.Sprintf("/api/v1/users/%d/sessions/end", h.userID("gy_staff")), nil); st != 200 {
			t.Fatalf("end sessions: %d %s", st, b)
		}
		both("sessions ended by the administrator on server 1", c, c2, 401)

		c, c2 = signIn("dz_staff")
		both("dz_staff signed in", c, c2, 200)
		if _, err := d.W.Exec(`UPDATE users SET status = 'disabled' WHERE username = 'dz_staff'`); err != nil {
			t.Fatal(err)
		}
		both("disabled by SQL", c, c2, 401)
	})
}
