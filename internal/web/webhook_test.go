package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/webhook"
)

// hookSink is a receiver that takes every delivery (the matrix's test sends).
var hookSink = sync.OnceValue(func() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
})

func freshWebhook(h *harness) webhook.Subscription {
	h.t.Helper()
	sub, err := h.app.Webhook.Create(context.Background(), system, webhook.Input{Name: fmt.Sprintf("订阅%d", next()), URL: hookSink().URL,
		Format: webhook.Generic, Secret: "k", Events: []string{webhook.StageChanged}})
	if err != nil {
		h.t.Fatal(err)
	}
	return sub
}

func webhookPath(suffix string, body func(s webhook.Subscription) any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		s := freshWebhook(h)
		var b any
		if body != nil {
			b = body(s)
		}
		return fmt.Sprintf("/api/v1/webhooks/%d%s", s.ID, suffix), b
	}
}

func init() {
	sys := []string{"sysadmin"}
	rows := map[string]access{
		"GET /api/v1/webhooks":            {allowed: sys, prep: path("/api/v1/webhooks")},
		"GET /api/v1/webhooks/events":     {allowed: sys, prep: path("/api/v1/webhooks/events")},
		"GET /api/v1/webhooks/deliveries": {allowed: sys, prep: path("/api/v1/webhooks/deliveries?status=pending")},
		"POST /api/v1/webhooks": {allowed: sys, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/webhooks", map[string]any{"name": "企业微信群", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
				"format": "wecom", "events": []string{"project.signed"}}
		}},
		"PUT /api/v1/webhooks/{id}": {allowed: sys, prep: webhookPath("", func(s webhook.Subscription) any {
			return map[string]any{"name": "改名", "url": s.URL, "format": s.Format, "events": s.Events, "version": s.Version}
		})},
		"DELETE /api/v1/webhooks/{id}":    {allowed: sys, status: 204, prep: webhookPath("", nil)},
		"POST /api/v1/webhooks/{id}/test": {allowed: sys, prep: webhookPath("/test", nil)},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}

// TestWebhooksThroughTheAPI: the administrator subscribes a receiver to
// every event; a stage change, a signing-free hand-over and a month's close
// made through the API each queue their delivery; the secret is never
// answered, an empty one on a change keeps it; every write is audited; bad
// input is a 400 naming the field.
func TestWebhooksThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sys := h.as("sysadmin")
		all := []string{"project.signed", "project.stage_changed", "warning.raised", "handover.waiting", "period.closed"}
		st, b := sys.do("POST", "/api/v1/webhooks", map[string]any{"name": "市政务平台", "url": hookSink().URL + "/in", "format": "generic",
			"secret": "top-secret-1", "events": all})
		if st != 201 || strings.Contains(string(b), "top-secret-1") || !strings.Contains(string(b), `"has_secret":true`) {
			t.Fatalf("create: %d %s", st, b)
		}
		var sub webhook.Subscription
		mustJSON(t, b, &sub)
		if st, b := sys.do("POST", "/api/v1/webhooks", map[string]any{"name": "x", "url": "javascript:alert(1)", "format": "generic", "secret": "k", "events": all}); st != 400 ||
			!strings.Contains(string(b), `"url"`) {
			t.Fatalf("a bad URL: %d %s", st, b)
		}
		if st, b := sys.do("GET", "/api/v1/webhooks/deliveries?status=lost", nil); st != 400 {
			t.Fatalf("a bad status filter: %d %s", st, b)
		}

		p := h.freshProject("dz_staff", "441202")
		st, b = h.as("dz_staff").do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID), map[string]any{"action": "negotiating", "version": p.Version})
		if st != 200 {
			t.Fatalf("transition: %d %s", st, b)
		}
		wg := h.freshProject("wg_nev", "441202")
		if st, b := h.as("wg_nev").do("POST", fmt.Sprintf("/api/v1/projects/%d/handover", wg.ID), map[string]any{"to_unit_id": h.unitID("441202"), "version": wg.Version}); st != 200 {
			t.Fatalf("handover: %d %s", st, b)
		}
		period := nextToClose(h)
		if st, b := h.as("zsb_staff").do("POST", "/api/v1/periods/"+period+"/close", nil); st != 200 {
			t.Fatalf("close: %d %s", st, b)
		}
		var log struct {
			Items []webhook.Delivery `json:"items"`
			Total int                `json:"total"`
		}
		sys.get(fmt.Sprintf("/api/v1/webhooks/deliveries?subscription_id=%d", sub.ID), &log)
		var got []string
		for _, dl := range log.Items {
			got = append(got, dl.Event+":"+dl.Status)
		}
		if want := "period.closed:pending handover.waiting:pending project.stage_changed:pending"; strings.Join(got, " ") != want || log.Total != 3 {
			t.Fatalf("deliveries %v, want %s", got, want)
		}
		if n, err := h.app.Webhook.DeliverDue(context.Background()); n != 3 || err != nil {
			t.Fatalf("delivered %d (%v)", n, err)
		}

		st, b = sys.do("PUT", fmt.Sprintf("/api/v1/webhooks/%d", sub.ID), map[string]any{"name": "市政务平台（新）", "url": sub.URL, "format": "generic",
			"events": []string{"period.closed"}, "active": false, "version": sub.Version})
		if st != 200 || !strings.Contains(string(b), `"has_secret":true`) || !strings.Contains(string(b), `"active":false`) {
			t.Fatalf("update: %d %s", st, b)
		}
		if st, _ := sys.do("PUT", fmt.Sprintf("/api/v1/webhooks/%d", sub.ID), map[string]any{"name": "y", "url": sub.URL, "format": "generic",
			"events": []string{"period.closed"}, "version": sub.Version}); st != 409 {
			t.Fatalf("a stale version: %d", st)
		}
		st, b = sys.do("POST", fmt.Sprintf("/api/v1/webhooks/%d/test", sub.ID), nil)
		if st != 200 || !strings.Contains(string(b), `"status":"delivered"`) || !strings.Contains(string(b), `"last_status":204`) {
			t.Fatalf("send test: %d %s", st, b)
		}
		if st, _ := sys.do("DELETE", fmt.Sprintf("/api/v1/webhooks/%d", sub.ID), nil); st != 204 {
			t.Fatalf("delete: %d", st)
		}
		var actions []string
		rows, err := d.Reader().QueryContext(context.Background(), `SELECT action FROM audit_log WHERE object_type = 'webhook' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			_ = rows.Scan(&a)
			actions = append(actions, a)
		}
		if strings.Join(actions, " ") != "webhook.create webhook.update webhook.test webhook.delete" {
			t.Fatalf("audited %v", actions)
		}
		var secrets int
		_ = d.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE after LIKE '%top-secret-1%' OR before LIKE '%top-secret-1%'`).Scan(&secrets)
		if secrets != 0 {
			t.Fatal("the secret is in the audit log")
		}
	})
}
