package web_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

func auditCount(h *harness, action, user string) int {
	var n int
	_ = h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND username = ?`, action, user).Scan(&n)
	return n
}

// Refused accesses, exports and the auditor's reads are in the audit log;
// the keyed chain verifies through the API and anchors a checkpoint.
func TestAccessesAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		audit.UseKey([]byte("test-audit-key-0123456789abcdef!"), filepath.Join(t.TempDir(), "audit.checkpoint"))
		t.Cleanup(func() { audit.UseKey(nil, "") })
		h := newHarness(t, d)
		dz := h.as("dz_staff")
		other := h.freshProject("wg_nev", "441203") // a project outside 端州区's scope
		if st, _ := dz.do("GET", "/api/v1/audit", nil); st != 403 {
			t.Fatalf("forbidden route: %d", st)
		}
		if st, _ := dz.do("GET", fmt.Sprintf("/api/v1/projects/%d", other.ID), nil); st != 404 {
			t.Fatalf("out-of-scope id: %d", st)
		}
		req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/auth/logout", nil)
		for _, c := range dz.http.Jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
			t.Fatalf("no CSRF header: %v %v", resp, err)
		}
		if st, _ := dz.do("GET", "/api/v1/projects/export", nil); st != 200 {
			t.Fatalf("export: %d", st)
		}
		aud := h.as("auditadmin")
		var v struct {
			OK    bool
			Keyed bool
		}
		aud.get("/api/v1/audit/verify", &v)
		if !v.OK || !v.Keyed {
			t.Errorf("keyed chain: %+v", v)
		}
		for action, want := range map[string]int{"access.denied": 1, "access.not_found": 1, "access.csrf_refused": 1, "data.export": 1} {
			if n := auditCount(h, action, "dz_staff"); n != want {
				t.Errorf("%s logged %d times, want %d", action, n, want)
			}
		}
		if n := auditCount(h, "audit.read", "auditadmin"); n != 1 {
			t.Errorf("the auditor's read logged %d times", n)
		}
	})
}
