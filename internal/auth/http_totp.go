package auth

import (
	"net/http"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// VerifyTOTP completes a sign-in with the code (or a recovery code) and
// answers like sign-in, with a new cookie.
func (h Handlers) VerifyTOTP(w http.ResponseWriter, r *http.Request) error {
	var req SecondFactor
	if err := httpx.Decode(w, r, &req); err != nil {
		return err
	}
	sess, err := h.S.VerifyTOTP(r.Context(), org.ActorFrom(r.Context()), req, h.client(r))
	if err != nil {
		return err
	}
	return h.answerSession(w, r, sess)
}

func (h Handlers) StartTOTP(w http.ResponseWriter, r *http.Request) error {
	e, err := h.S.StartTOTP(r.Context(), org.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, e)
}

func (h Handlers) ConfirmTOTP(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(req SecondFactor) (RecoveryCodes, error) {
		return h.S.ConfirmTOTP(r.Context(), org.ActorFrom(r.Context()), req)
	})
}

func (h Handlers) DisableTOTP(w http.ResponseWriter, r *http.Request) error {
	var req SecondFactor
	if err := httpx.Decode(w, r, &req); err != nil {
		return err
	}
	if err := h.S.DisableTOTP(r.Context(), org.ActorFrom(r.Context()), req); err != nil {
		return err
	}
	return httpx.NoContent(w)
}

func (h Handlers) ResetTOTP(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		if err := h.S.ResetTOTP(r.Context(), org.ActorFrom(r.Context()), id); err != nil {
			return err
		}
		return httpx.NoContent(w)
	})
}

// EndSessions answers how many sessions it ended.
func (h Handlers) EndSessions(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		n, err := h.S.EndSessions(r.Context(), org.ActorFrom(r.Context()), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, map[string]int64{"ended": n})
	})
}

func (h Handlers) GetPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := h.S.Policy(r.Context())
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, p)
}

func (h Handlers) PutPolicy(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(p Policy) (Policy, error) { return h.S.SetPolicy(r.Context(), org.ActorFrom(r.Context()), p) })
}
