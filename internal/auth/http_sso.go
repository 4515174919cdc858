package auth

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// ssoCookie carries the sealed state from start to callback only.
const (
	ssoCookie     = "attract_sso"
	ssoCookiePath = "/api/v1/auth/sso"
)

// SSOInfo tells the login page whether to show the single sign-on button.
type SSOInfo struct {
	Enabled bool `json:"enabled"`
	// Label is the button's text set by the operator; empty: the UI's own
	// (统一身份认证登录).
	Label string `json:"label"`
}

func (h Handlers) SSOInfo(w http.ResponseWriter, r *http.Request) error {
	c := h.S.Cfg.SSO
	return httpx.JSON(w, 200, SSOInfo{Enabled: c.Enabled(), Label: c.Label})
}

var errSSOOff = errs.E(errs.NotFound, "未启用统一身份认证登录", "single sign-on is not configured")

// SSOStart sends the browser to the identity platform.
func (h Handlers) SSOStart(w http.ResponseWriter, r *http.Request) error {
	if !h.S.Cfg.SSO.Enabled() {
		return errSSOOff
	}
	to, state, err := h.S.SSOStart()
	if err != nil {
		return h.ssoBack(w, r, err)
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: state, Path: ssoCookiePath, MaxAge: int(ssoStateTTL.Seconds()),
		HttpOnly: true, Secure: h.S.Cfg.SecureCookie, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

// SSOCallback is where the platform sends the browser back: signed in, it
// goes to the home page (the router takes a pending second factor to the
// login page); refused, to the login page with the reason. Both targets are
// fixed paths of this server: nothing in the request chooses where.
func (h Handlers) SSOCallback(w http.ResponseWriter, r *http.Request) error {
	if !h.S.Cfg.SSO.Enabled() {
		return errSSOOff
	}
	var state string
	if c, err := r.Cookie(ssoCookie); err == nil {
		state = c.Value
	}
	// The state is used once, whatever the outcome.
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: ssoCookiePath, MaxAge: -1, HttpOnly: true,
		Secure: h.S.Cfg.SecureCookie, SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	sess, err := h.S.SSOFinish(r.Context(), state, SSOCallback{Code: q.Get("code"), State: q.Get("state"), Error: q.Get("error")}, h.client(r))
	if err != nil {
		return h.ssoBack(w, r, err)
	}
	h.setCookie(w, sess.Token)
	http.Redirect(w, r, "/", http.StatusFound)
	return nil
}

// ssoBack answers a refusal with the login page and its reason; any other
// failure (the database) is an error like on any route.
func (h Handlers) ssoBack(w http.ResponseWriter, r *http.Request, err error) error {
	var ref SSORefused
	if !errors.As(err, &ref) {
		return err
	}
	http.Redirect(w, r, "/login?sso_error="+url.QueryEscape(ref.Reason), http.StatusFound)
	return nil
}
