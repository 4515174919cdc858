package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

// The whole suite runs with personal data sealed, as the server does.
func init() {
	if err := pii.UseKey([]byte("test-pii-key-0123456789abcdefgh!")); err != nil {
		panic(err)
	}
	readers := []string{"zsb_leader"} // the director is granted pii:read by default
	rows := map[string]access{
		"GET /api/v1/users/{id}/personal": {allowed: readers, prep: userPath("/personal", func(org.User) any { return nil })},
		"GET /api/v1/advisors/{id}/contact": {allowed: readers, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/advisors/%d/contact", h.freshAdvisor("13912345678").ID), nil
		}},
		"GET /api/v1/partners/{id}/contact": {allowed: readers, prep: func(h *harness, _ string) (string, any) {
			x, err := h.app.Network.CreatePartner(context.Background(), system, network.PartnerInput{Name: "临时机构", Kind: "consultancy", Contact: "0758-2288888"})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/partners/%d/contact", x.ID), nil
		}},
		"GET /api/v1/staff/{id}/contact": {allowed: readers, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/staff/%d/contact", h.freshStaff().ID), nil
		}},
	}
	sec := []string{"secadmin"}
	for k, v := range map[string]access{
		// A complete session has no code to give (409); the enrolment's
		// routes answer 400 to a wrong code (the start route runs first).
		"POST /api/v1/auth/totp":               {allowed: everyone, status: 409, prep: body("/api/v1/auth/totp", map[string]string{"code": "123456"})},
		"POST /api/v1/me/totp":                 {allowed: everyone, prep: path("/api/v1/me/totp")},
		"POST /api/v1/me/totp/confirm":         {allowed: everyone, status: 400, prep: body("/api/v1/me/totp/confirm", map[string]string{"code": "12"})},
		"POST /api/v1/me/totp/disable":         {allowed: everyone, status: 400, prep: body("/api/v1/me/totp/disable", map[string]string{"code": "12"})},
		"POST /api/v1/users/{id}/totp/reset":   {allowed: sec, status: 204, prep: userPath("/totp/reset", func(org.User) any { return nil })},
		"POST /api/v1/users/{id}/sessions/end": {allowed: sec, prep: userPath("/sessions/end", func(org.User) any { return nil })},
		"GET /api/v1/settings/security":        {allowed: sec, prep: path("/api/v1/settings/security")},
		"PUT /api/v1/settings/security": {allowed: sec, prep: func(h *harness, _ string) (string, any) {
			p, err := h.app.Auth.Policy(context.Background())
			if err != nil {
				h.t.Fatal(err)
			}
			return "/api/v1/settings/security", p
		}},
	} {
		rows[k] = v
	}
	for k, v := range rows {
		matrix[k] = v
	}
}

func body(p string, b any) func(*harness, string) (string, any) {
	return func(*harness, string) (string, any) { return p, b }
}

func (h *harness) freshAdvisor(contact string) network.Advisor {
	h.t.Helper()
	x, err := h.app.Network.CreateAdvisor(context.Background(), system, network.AdvisorInput{Name: fmt.Sprintf("顾问%d", next()), Kind: "expert",
		AppointedOn: civil.MustParse("2025-01-01"), TermEndsOn: civil.MustParse("2026-12-31"), Contact: contact})
	if err != nil {
		h.t.Fatal(err)
	}
	return x
}

func rawColumn(h *harness, q string, args ...any) string {
	h.t.Helper()
	var s string
	if err := h.app.DB.Reader().QueryRowContext(context.Background(), q, args...).Scan(&s); err != nil {
		h.t.Fatal(err)
	}
	return s
}

// auditMentions counts audit rows whose before/after hold s.
func auditMentions(h *harness, s string) int {
	var n int
	_ = h.app.DB.Reader().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM audit_log WHERE before_json LIKE ? OR after_json LIKE ?`, "%"+s+"%", "%"+s+"%").Scan(&n)
	return n
}

// Phones and e-mails are sealed in the database, masked in every list, form
// and audit entry, and in full only for pii:read, each view audited.
func TestPersonalDataProtected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sys, lead := h.as("sysadmin"), h.as("zsb_leader")
		st, b := sys.do("POST", "/api/v1/users", map[string]any{"username": "pii_user", "display_name": "张三", "unit_id": h.unitID("441202"),
			"phone": "13800001111", "email": "zhang.san@zq.gov.cn", "password": "Temp-pass-2026"})
		if st != 201 {
			t.Fatalf("create: %d %s", st, b)
		}
		var u struct {
			ID           int64
			Phone, Email string
			Version      int
		}
		mustJSON(t, b, &u)
		if u.Phone != "138****1111" || u.Email != "z***@zq.gov.cn" {
			t.Errorf("created user shows %q %q, want masked", u.Phone, u.Email)
		}
		raw := rawColumn(h, `SELECT phone || '|' || email FROM users WHERE id = ?`, u.ID)
		if !strings.HasPrefix(raw, "enc1:") || strings.Contains(raw, "1380000") || strings.Contains(raw, "zhang") {
			t.Errorf("stored %q: want sealed", raw)
		}
		var list struct {
			Items []struct{ Username, Phone string }
		}
		sys.get("/api/v1/users?q=pii_user", &list)
		if len(list.Items) != 1 || list.Items[0].Phone != "138****1111" {
			t.Errorf("list: %+v", list.Items)
		}
		// The form sends the masked phone back with a new e-mail: the phone stays.
		st, b = sys.do("PUT", fmt.Sprintf("/api/v1/users/%d", u.ID), map[string]any{"display_name": "张三", "unit_id": h.unitID("441202"),
			"phone": u.Phone, "email": "san@zq.gov.cn", "version": u.Version})
		if st != 200 {
			t.Fatalf("update: %d %s", st, b)
		}
		for _, who := range []string{"sysadmin", "secadmin", "auditadmin", "zsb_staff", "leader"} {
			if st, _ := h.as(who).do("GET", fmt.Sprintf("/api/v1/users/%d/personal", u.ID), nil); st != 403 {
				t.Errorf("%s full view: %d, want 403", who, st)
			}
		}
		var full struct{ Phone, Email string }
		lead.get(fmt.Sprintf("/api/v1/users/%d/personal", u.ID), &full)
		if full.Phone != "13800001111" || full.Email != "san@zq.gov.cn" {
			t.Errorf("full view: %+v", full)
		}
		if n := auditCount(h, "pii.view", "zsb_leader"); n != 1 {
			t.Errorf("pii.view audited %d times, want 1", n)
		}
		for _, s := range []string{"13800001111", "zhang.san", "san@zq"} {
			if n := auditMentions(h, s); n != 0 {
				t.Errorf("the audit log holds %q in %d rows", s, n)
			}
		}

		// An advisor's contact line: masked for network:read, full for pii:read.
		adv := h.freshAdvisor("王主任 13912345678")
		var advs struct {
			Items []struct {
				ID      int64
				Contact string
			}
		}
		h.as("dz_staff").get("/api/v1/advisors", &advs)
		found := false
		for _, a := range advs.Items {
			if a.ID == adv.ID {
				found = a.Contact == "王主任 139****5678"
			}
		}
		if !found {
			t.Errorf("advisor list: %+v, want 王主任 139****5678", advs)
		}
		if raw := rawColumn(h, `SELECT contact FROM advisors WHERE id = ?`, adv.ID); strings.Contains(raw, "1391234") {
			t.Errorf("advisor contact stored in clear: %q", raw)
		}
		var fc struct{ Contact string }
		lead.get(fmt.Sprintf("/api/v1/advisors/%d/contact", adv.ID), &fc)
		if fc.Contact != "王主任 13912345678" {
			t.Errorf("advisor full contact: %q", fc.Contact)
		}
		if st, _ := h.as("zsb_staff").do("GET", fmt.Sprintf("/api/v1/advisors/%d/contact", adv.ID), nil); st != 403 {
			t.Errorf("zsb_staff full contact: %d", st)
		}
		if st, _ := lead.do("GET", "/api/v1/advisors/999999/contact", nil); st != 404 {
			t.Errorf("unknown advisor: %d", st)
		}

		// Rows written in plaintext (before the key, or by hand) are sealed on start.
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET phone = '13600006666' WHERE id = ?`, u.ID)
			if err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE advisors SET contact = 'li@example.com' WHERE id = ?`, adv.ID)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := h.app.SealPersonalData(ctx); err != nil {
			t.Fatal(err)
		}
		if raw := rawColumn(h, `SELECT phone FROM users WHERE id = ?`, u.ID); !strings.HasPrefix(raw, "enc1:") {
			t.Errorf("not sealed on start: %q", raw)
		}
		lead.get(fmt.Sprintf("/api/v1/users/%d/personal", u.ID), &full)
		lead.get(fmt.Sprintf("/api/v1/advisors/%d/contact", adv.ID), &fc)
		if full.Phone != "13600006666" || fc.Contact != "li@example.com" {
			t.Errorf("after sealing: %+v %q", full, fc.Contact)
		}
		if n := auditCount(h, "pii.seal", "system"); n != 2 {
			t.Errorf("pii.seal audited %d times, want 2 (users, advisors)", n)
		}
	})
}
