package campaign

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/project"
)

// Handlers are the campaigns' HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

func (h Handlers) List(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f := Filter{Q: strings.TrimSpace(r.URL.Query().Get("q")), Kind: r.URL.Query().Get("kind"), Limit: page.Size, Offset: page.Offset()}
	if s := r.URL.Query().Get("year"); s != "" {
		if f.Year, err = strconv.Atoi(s); err != nil || f.Year < 2000 || f.Year > 2100 {
			return errs.E(errs.Invalid, "年份无效", "invalid year").Field("year", "应为 2000–2100", "must be 2000–2100")
		}
	}
	items, total, err := h.S.List(r.Context(), actor(r), f)
	return httpx.SendList(w, items, total, err)
}

func (h Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		c, err := h.S.Get(r.Context(), actor(r), id)
		return httpx.Send(w, c, err)
	})
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in Input) (Campaign, error) { return h.S.Create(r.Context(), actor(r), in) })
}

func (h Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Input) (Campaign, error) { return h.S.Update(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Projects(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Projects(r.Context(), actor(r), id)
		return httpx.SendAll(w, items, err)
	})
}

// Report: ?by=channel|campaign|source_region|office&from=&to= (lead dates).
func (h Handlers) Report(w http.ResponseWriter, r *http.Request) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	rep, err := h.S.Report(r.Context(), actor(r), rq)
	return httpx.Send(w, rep, err)
}

func reportQuery(r *http.Request) (ReportQuery, error) {
	rq := ReportQuery{By: r.URL.Query().Get("by")}
	if rq.By == "" {
		rq.By = "channel"
	}
	var err error
	if rq.From, err = httpx.QueryDate(r, "from"); err != nil {
		return rq, err
	}
	rq.To, err = httpx.QueryDate(r, "to")
	return rq, err
}

func (h Handlers) Link(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in LinkInput) (project.Project, error) { return h.S.Link(r.Context(), actor(r), id, in) })
	})
}
