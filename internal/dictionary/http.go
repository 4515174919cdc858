package dictionary

import (
	"net/http"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Handlers are the dictionary's HTTP face.
type Handlers struct{ S *Service }

func (h Handlers) ListTypes(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, 200, httpx.List[Type]{Items: Types, Total: len(Types)})
}

func (h Handlers) List(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.List(r.Context(), r.URL.Query().Get("type"))
	return httpx.SendAll(w, items, err)
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := httpx.Decode(w, r, &in); err != nil {
		return err
	}
	it, err := h.S.Create(r.Context(), org.ActorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 201, it)
}

func (h Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in Input
	if err := httpx.Decode(w, r, &in); err != nil {
		return err
	}
	it, err := h.S.Update(r.Context(), org.ActorFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, it)
}
