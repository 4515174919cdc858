package notice

import (
	"net/http"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Handlers are the notices' and feedback reports' HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

// List: ?box=inbox|sent, ?unread=1.
func (h Handlers) List(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f := Filter{Box: r.URL.Query().Get("box"), Unread: r.URL.Query().Get("unread") == "1", Limit: page.Size, Offset: page.Offset()}
	items, total, err := h.S.List(r.Context(), actor(r), f)
	return httpx.SendList(w, items, total, err)
}

func (h Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		n, err := h.S.Get(r.Context(), actor(r), id)
		return httpx.Send(w, n, err)
	})
}

func (h Handlers) Send(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in Input) (Notice, error) { return h.S.Send(r.Context(), actor(r), in) })
}

func (h Handlers) Read(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		n, err := h.S.MarkRead(r.Context(), actor(r), id)
		return httpx.Send(w, n, err)
	})
}

func (h Handlers) Receipts(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Receipts(r.Context(), actor(r), id)
		return httpx.SendAll(w, items, err)
	})
}

// Reports: ?period=YYYY-MM.
func (h Handlers) Reports(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	period := r.URL.Query().Get("period")
	if period != "" {
		if _, err := ParsePeriod(period); err != nil {
			return err
		}
	}
	items, total, err := h.S.Reports(r.Context(), actor(r), period, page.Size, page.Offset())
	return httpx.SendList(w, items, total, err)
}

func (h Handlers) Submit(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in ReportInput) (Report, error) { return h.S.Submit(r.Context(), actor(r), in) })
}

func (h Handlers) Revise(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in ReportInput) (Report, error) { return h.S.Revise(r.Context(), actor(r), id, in) })
	})
}

// Status: ?period=YYYY-MM (required).
func (h Handlers) Status(w http.ResponseWriter, r *http.Request) error {
	st, err := h.S.PeriodStatus(r.Context(), actor(r), r.URL.Query().Get("period"))
	return httpx.Send(w, st, err)
}

func (h Handlers) GetSchedule(w http.ResponseWriter, r *http.Request) error {
	cfg, err := h.S.Schedule(r.Context())
	return httpx.Send(w, cfg, err)
}

func (h Handlers) PutSchedule(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in Schedule) (Schedule, error) { return h.S.SetSchedule(r.Context(), actor(r), in) })
}
