package chain

import (
	"net/http"
	"strconv"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/project"
)

// Handlers are the chains' HTTP face.
type Handlers struct {
	S        *Service
	Projects *project.Service
}

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

func (h Handlers) List(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.List(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		c, err := h.S.Get(r.Context(), id)
		return httpx.Send(w, c, err)
	})
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in ChainInput) (Chain, error) { return h.S.CreateChain(r.Context(), actor(r), in) })
}

func (h Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in ChainInput) (Chain, error) { return h.S.UpdateChain(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) AddNode(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in NodeInput) (Node, error) { return h.S.AddNode(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) UpdateNode(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in NodeInput) (Node, error) { return h.S.UpdateNode(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) DeleteNode(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		if err := h.S.DeleteNode(r.Context(), actor(r), id); err != nil {
			return err
		}
		return httpx.NoContent(w)
	})
}

func (h Handlers) Map(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		m, err := h.S.Map(r.Context(), actor(r), id)
		return httpx.Send(w, m, err)
	})
}

func (h Handlers) Recommend(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		limit := 20
		if s := r.URL.Query().Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 100 {
				return errs.E(errs.Invalid, "条数应为 1–100", "limit must be 1–100").Field("limit", "应为 1–100", "must be 1–100")
			}
			limit = n
		}
		rec, err := h.S.Recommend(r.Context(), actor(r), id, limit)
		return httpx.Send(w, rec, err)
	})
}

func (h Handlers) ProjectLinks(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.ProjectLinks(r.Context(), actor(r), id, h.Projects)
		return httpx.SendAll(w, items, err)
	})
}

func (h Handlers) SetProjectLinks(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in LinksInput) (httpx.List[Node], error) {
			items, err := h.S.SetProjectLinks(r.Context(), actor(r), id, in, h.Projects)
			return httpx.List[Node]{Items: items, Total: len(items)}, err
		})
	})
}
