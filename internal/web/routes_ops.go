package web

import (
	"github.com/zhaoqing/attract/internal/province"
	"github.com/zhaoqing/attract/internal/webhook"
)

// opsRoutes: outgoing webhooks, kept by the system administrator
// (setting:write) like the other system settings, and the report to the
// province (docs/operations.md).
func (s *Server) opsRoutes() []Route {
	h := webhook.Handlers{S: s.Webhook}
	pr := province.Handlers{Projects: s.Project}
	return []Route{
		{"GET", "/api/v1/reports/province", "project:read", "project", "Signed projects for the province's return (?from, ?to signing dates; ?format=xlsx|csv), scoped", nil, pr.Report},
		{"GET", "/api/v1/webhooks", "setting:write", "system", "List webhook subscriptions (secrets never shown)", nil, h.List},
		{"POST", "/api/v1/webhooks", "setting:write", "system", "Add a webhook subscription", webhook.Input{}, h.Create},
		{"GET", "/api/v1/webhooks/events", "setting:write", "system", "The events and formats a subscription can choose", nil, h.EventList},
		{"GET", "/api/v1/webhooks/deliveries", "setting:write", "system", "The delivery log, newest first (?subscription_id, ?status, paged)", nil, h.Deliveries},
		{"PUT", "/api/v1/webhooks/{id}", "setting:write", "system", "Change a webhook subscription (empty secret keeps it)", webhook.Input{}, h.Update},
		{"DELETE", "/api/v1/webhooks/{id}", "setting:write", "system", "Delete a webhook subscription with its delivery log", nil, h.Delete},
		{"POST", "/api/v1/webhooks/{id}/test", "setting:write", "system", "Send a test message now and answer its delivery", nil, h.SendTest},
	}
}
