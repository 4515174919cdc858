package org

import (
	"net/http"
	"strconv"

	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Handlers are the HTTP face of the organisation: decode, call, encode.
type Handlers struct{ S *Service }

func actor(r *http.Request) *Actor { return ActorFrom(r.Context()) }

// ListUnits: the tree now, or as it stood on ?as_of=.
func (h Handlers) ListUnits(w http.ResponseWriter, r *http.Request) error {
	asOf, err := httpx.QueryDate(r, "as_of")
	if err != nil {
		return err
	}
	closed := r.URL.Query().Get("include_closed") == "1"
	if !asOf.IsZero() {
		items, err := h.S.UnitsAsOf(r.Context(), asOf, closed)
		return httpx.SendAll(w, items, err)
	}
	items, err := h.S.Units(r.Context(), closed)
	return httpx.SendAll(w, items, err)
}

func (h Handlers) GetUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.S.Unit(r.Context(), id)
	return httpx.Send(w, u, err)
}

func (h Handlers) UnitHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	items, err := h.S.UnitHistory(r.Context(), id)
	return httpx.SendAll(w, items, err)
}

func (h Handlers) CreateUnit(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(req CreateUnit) (Unit, error) { return h.S.CreateUnit(r.Context(), actor(r), req) })
}

func (h Handlers) RenameUnit(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req RenameUnit) (Unit, error) { return h.S.RenameUnit(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) MoveUnit(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req MoveUnit) (Unit, error) { return h.S.MoveUnit(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) CloseUnit(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req CloseUnit) (Unit, error) { return h.S.CloseUnit(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) ListUsers(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f := UserFilter{Q: r.URL.Query().Get("q"), Status: r.URL.Query().Get("status"), Page: page}
	if s := r.URL.Query().Get("unit_id"); s != "" {
		if f.UnitID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return errs.E(errs.Invalid, "单位编号应为整数", "unit_id must be an integer").Field("unit_id", "应为整数", "must be an integer")
		}
	}
	if f.Status != "" && f.Status != "active" && f.Status != "disabled" {
		return errs.E(errs.Invalid, "状态应为 active 或 disabled", "status is active or disabled").Field("status", "取值无效", "invalid")
	}
	items, total, err := h.S.Users(r.Context(), actor(r), f)
	return httpx.SendList(w, items, total, err)
}

func (h Handlers) GetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.S.User(r.Context(), actor(r), id)
	return httpx.Send(w, u, err)
}

func (h Handlers) CreateUser(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(req CreateUser) (User, error) { return h.S.CreateUser(r.Context(), actor(r), req) })
}

func (h Handlers) UpdateUser(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req UpdateUser) (User, error) { return h.S.UpdateUser(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) SetUserRoles(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req SetRoles) (User, error) { return h.S.SetRoles(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) DisableUser(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req VersionOnly) (User, error) { return h.S.DisableUser(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) EnableUser(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req VersionOnly) (User, error) { return h.S.EnableUser(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) UnlockUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.S.UnlockUser(r.Context(), actor(r), id)
	return httpx.Send(w, u, err)
}

func (h Handlers) ResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var req ResetPassword
	if err := httpx.Decode(w, r, &req); err != nil {
		return err
	}
	if err := h.S.ResetPassword(r.Context(), actor(r), id, req); err != nil {
		return err
	}
	return httpx.NoContent(w)
}

func (h Handlers) ListRoles(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Roles(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) GetRole(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	role, err := h.S.Role(r.Context(), id)
	return httpx.Send(w, role, err)
}

func (h Handlers) CreateRole(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(req RoleInput) (Role, error) { return h.S.CreateRole(r.Context(), actor(r), req) })
}

func (h Handlers) UpdateRole(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(req RoleInput) (Role, error) { return h.S.UpdateRole(r.Context(), actor(r), id, req) })
	})
}

func (h Handlers) ListPermissions(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, 200, httpx.List[Permission]{Items: Permissions, Total: len(Permissions)})
}

// PersonalData answers a user's phone and e-mail in full (pii:read; audited).
func (h Handlers) PersonalData(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.S.PersonalData(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, c)
}
