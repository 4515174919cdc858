package webhook

import (
	"net/http"
	"strconv"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Handlers are the webhooks' HTTP face (system administrators).
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

// EventList is the catalogue of subscribable events and formats.
func (h Handlers) EventList(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, 200, EventCatalogue{Events: Events, Formats: []string{Generic, WeCom, DingTalk}})
}

// EventCatalogue is what a subscription may listen to and the payload formats.
type EventCatalogue struct {
	Events  []EventInfo `json:"events"`
	Formats []string    `json:"formats"`
}

func (h Handlers) List(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.List(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in Input) (Subscription, error) { return h.S.Create(r.Context(), actor(r), in) })
}

func (h Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Input) (Subscription, error) { return h.S.Update(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Delete(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		if err := h.S.Delete(r.Context(), actor(r), id); err != nil {
			return err
		}
		return httpx.NoContent(w)
	})
}

func (h Handlers) SendTest(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		d, err := h.S.SendTest(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, d)
	})
}

// Deliveries: ?subscription_id=, ?status=pending|delivered|failed, paged.
func (h Handlers) Deliveries(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f := LogFilter{Status: r.URL.Query().Get("status"), Limit: page.Size, Offset: page.Offset()}
	if s := r.URL.Query().Get("subscription_id"); s != "" {
		if f.SubscriptionID, err = strconv.ParseInt(s, 10, 64); err != nil || f.SubscriptionID < 1 {
			return errs.E(errs.Invalid, "subscription_id 应为正整数", "subscription_id must be a positive integer").
				Field("subscription_id", "应为正整数", "must be a positive integer")
		}
	}
	switch f.Status {
	case "", "pending", "delivered", "failed":
	default:
		return errs.E(errs.Invalid, "status 应为 pending、delivered 或 failed", "status must be pending, delivered or failed").
			Field("status", "应为 pending、delivered 或 failed", "must be pending, delivered or failed")
	}
	items, total, err := h.S.Log(r.Context(), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Delivery]{Items: items, Total: total})
}
