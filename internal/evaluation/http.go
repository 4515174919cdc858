package evaluation

import (
	"net/http"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Handlers are the screening's HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

func (h Handlers) ForProject(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.ForProject(r.Context(), actor(r), id)
		return httpx.SendAll(w, items, err)
	})
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in Input) (Evaluation, error) { return h.S.Create(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		e, err := h.S.Get(r.Context(), actor(r), id)
		return httpx.Send(w, e, err)
	})
}

func (h Handlers) Revise(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Input) (Evaluation, error) { return h.S.Revise(r.Context(), actor(r), id, in) })
	})
}

// step routes a workflow step to its method.
func (h Handlers) step(fn func(s *Service) func(r *http.Request, id int64, st Step) (Evaluation, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		return httpx.WithID(r, func(id int64) error {
			return httpx.Body(w, r, 200, func(st Step) (Evaluation, error) { return fn(h.S)(r, id, st) })
		})
	}
}

func (h Handlers) Submit() func(http.ResponseWriter, *http.Request) error {
	return h.step(func(s *Service) func(*http.Request, int64, Step) (Evaluation, error) {
		return func(r *http.Request, id int64, st Step) (Evaluation, error) {
			return s.Submit(r.Context(), actor(r), id, st)
		}
	})
}

func (h Handlers) Review() func(http.ResponseWriter, *http.Request) error {
	return h.step(func(s *Service) func(*http.Request, int64, Step) (Evaluation, error) {
		return func(r *http.Request, id int64, st Step) (Evaluation, error) {
			return s.Review(r.Context(), actor(r), id, st)
		}
	})
}

func (h Handlers) Approve() func(http.ResponseWriter, *http.Request) error {
	return h.step(func(s *Service) func(*http.Request, int64, Step) (Evaluation, error) {
		return func(r *http.Request, id int64, st Step) (Evaluation, error) {
			return s.Approve(r.Context(), actor(r), id, st)
		}
	})
}

func (h Handlers) Return() func(http.ResponseWriter, *http.Request) error {
	return h.step(func(s *Service) func(*http.Request, int64, Step) (Evaluation, error) {
		return func(r *http.Request, id int64, st Step) (Evaluation, error) {
			return s.Return(r.Context(), actor(r), id, st)
		}
	})
}

func (h Handlers) Sets(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Sets(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) CreateSet(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in BaselineSet) (BaselineSet, error) { return h.S.CreateSet(r.Context(), actor(r), in) })
}

func (h Handlers) NegativeList(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.NegativeList(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) UpdateNegative(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in NegativeItem) (NegativeItem, error) { return h.S.UpdateNegative(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) GetGate(w http.ResponseWriter, r *http.Request) error {
	g, err := h.S.Gate(r.Context())
	return httpx.Send(w, g, err)
}

func (h Handlers) PutGate(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in GateSetting) (GateSetting, error) { return h.S.SetGate(r.Context(), actor(r), in) })
}
