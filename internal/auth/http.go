package auth

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// CookieName is the session cookie.
const CookieName = "attract_session"

// CSRFHeader must carry the session's CSRF token on every state change made
// with the cookie.
const CSRFHeader = "X-CSRF-Token"

// Handlers are sign-in and own-account routes.
type Handlers struct {
	S              *Service
	TrustedProxies []string
}

// Me is the signed-in user as the UI needs it.
type Me struct {
	ID                 int64    `json:"id"`
	Username           string   `json:"username"`
	DisplayName        string   `json:"display_name"`
	UnitID             int64    `json:"unit_id"`
	UnitName           string   `json:"unit_name"`
	Roles              []string `json:"roles"`
	Permissions        []string `json:"permissions"`
	Scope              string   `json:"scope"`
	MustChangePassword bool     `json:"must_change_password"`
	PasswordExpired    bool     `json:"password_expired"`
	// Pending: "totp" (enter the code), "enrol" (set up the second factor
	// first) or "" (signed in).
	Pending      string `json:"pending"`
	TOTPEnabled  bool   `json:"totp_enabled"`
	TOTPRequired bool   `json:"totp_required"`
}

// SessionInfo answers sign-in and /auth/me.
type SessionInfo struct {
	CSRFToken string `json:"csrf_token"`
	User      Me     `json:"user"`
}

func (h Handlers) client(r *http.Request) Client {
	return Client{Addr: httpx.ClientAddr(r, h.TrustedProxies), UserAgent: r.UserAgent()}
}

func (h Handlers) setCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", HttpOnly: true,
		Secure: h.S.Cfg.SecureCookie, SameSite: http.SameSiteLaxMode})
}

func (h Handlers) info(r *http.Request, a *org.Actor, csrf string) (SessionInfo, error) {
	var must bool
	if err := h.S.DB.Reader().QueryRowContext(r.Context(), `SELECT must_change_password FROM users WHERE id = ?`, a.UserID).Scan(&must); err != nil {
		return SessionInfo{}, errs.Wrap(err, "me")
	}
	perms := make([]string, 0, len(a.Perms))
	for p := range a.Perms {
		perms = append(perms, p)
	}
	sort.Strings(perms)
	p, err := h.S.Policy(r.Context())
	if err != nil {
		return SessionInfo{}, err
	}
	return SessionInfo{CSRFToken: csrf, User: Me{ID: a.UserID, Username: a.Username, DisplayName: a.DisplayName,
		UnitID: a.UnitID, UnitName: a.UnitName, Roles: a.Roles, Permissions: perms, Scope: string(a.Scope),
		MustChangePassword: must || a.PasswordExpired, PasswordExpired: a.PasswordExpired,
		Pending: a.Pending, TOTPEnabled: a.TOTPEnabled, TOTPRequired: h.S.requiresTOTP(a, p)}}, nil
}

// sameOrigin refuses a sign-in posted from another site (login CSRF): the
// body must be JSON, which a plain HTML form or a "simple" cross-site
// request cannot send, and an Origin, when the browser sends one, must be
// this server's own.
func sameOrigin(r *http.Request) error {
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if !strings.EqualFold(strings.TrimSpace(ct), "application/json") {
		return errs.E(errs.Invalid, "登录请求须为 application/json", "sign-in requests must be application/json")
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		// X-Forwarded-Host: a proxy that rewrites Host (a browser cannot
		// send the header cross-site without a preflight, which is refused).
		if err != nil || !strings.EqualFold(u.Host, r.Host) && !strings.EqualFold(u.Host, r.Header.Get("X-Forwarded-Host")) {
			return errs.E(errs.Forbidden, "拒绝来自其他网站的登录请求", "sign-in from another site refused")
		}
	}
	return nil
}

func (h Handlers) Login(w http.ResponseWriter, r *http.Request) error {
	if err := sameOrigin(r); err != nil {
		return err
	}
	var c Credentials
	if err := httpx.Decode(w, r, &c); err != nil {
		return err
	}
	if strings.TrimSpace(c.Username) == "" || c.Password == "" || len(c.Username) > 64 || len(c.Password) > 128 {
		return errs.E(errs.Invalid, "请输入用户名和密码", "enter a username and password")
	}
	sess, err := h.S.Login(r.Context(), c, h.client(r))
	if err != nil {
		return err
	}
	return h.answerSession(w, r, sess)
}

// answerSession sets a new session's cookie and answers who signed in:
// after the password, and again after the second factor.
func (h Handlers) answerSession(w http.ResponseWriter, r *http.Request, sess Session) error {
	a, err := h.S.Org.LoadActor(r.Context(), sess.UserID)
	if err != nil {
		return err
	}
	a.Pending = sess.Pending
	if err := h.S.applyPasswordAge(r.Context(), a, h.S.now()); err != nil {
		return err
	}
	info, err := h.info(r, a, sess.CSRFToken)
	if err != nil {
		return err
	}
	h.setCookie(w, sess.Token)
	return httpx.JSON(w, 200, info)
}

func (h Handlers) Logout(w http.ResponseWriter, r *http.Request) error {
	a := org.ActorFrom(r.Context())
	if a.SessionID != "" {
		if err := h.S.Logout(r.Context(), a); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return httpx.NoContent(w)
}

func (h Handlers) Me(w http.ResponseWriter, r *http.Request) error {
	info, err := h.info(r, org.ActorFrom(r.Context()), csrfFrom(r.Context()))
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, info)
}

func (h Handlers) ChangePassword(w http.ResponseWriter, r *http.Request) error {
	var req ChangePassword
	if err := httpx.Decode(w, r, &req); err != nil {
		return err
	}
	sess, err := h.S.ChangePassword(r.Context(), org.ActorFrom(r.Context()), req, h.client(r))
	if err != nil {
		return err
	}
	if sess.Token != "" {
		h.setCookie(w, sess.Token)
		return httpx.JSON(w, 200, map[string]string{"csrf_token": sess.CSRFToken})
	}
	return httpx.NoContent(w)
}

func (h Handlers) ListTokens(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Tokens(r.Context(), org.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Token]{Items: items, Total: len(items)})
}

func (h Handlers) CreateToken(w http.ResponseWriter, r *http.Request) error {
	var req CreateToken
	if err := httpx.Decode(w, r, &req); err != nil {
		return err
	}
	t, err := h.S.CreateToken(r.Context(), org.ActorFrom(r.Context()), req)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 201, t)
}

func (h Handlers) RevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.S.RevokeToken(r.Context(), org.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	return httpx.NoContent(w)
}

type csrfKey struct{}

func csrfFrom(ctx context.Context) string { s, _ := ctx.Value(csrfKey{}).(string); return s }

// Authenticate finds the actor of a request (bearer token or session cookie)
// and puts it in the context; it does not refuse anonymous requests (the
// router does, per route). A cookie-authenticated state change without the
// matching CSRF header is refused here.
func (h Handlers) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, csrf, err := h.actorOf(r)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		if a == nil {
			next.ServeHTTP(w, r)
			return
		}
		a.ClientAddr = httpx.ClientAddr(r, h.TrustedProxies)
		if a.SessionID != "" && !safeMethod(r.Method) &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get(CSRFHeader)), []byte(csrf)) != 1 {
			h.S.logRefusal(r.Context(), a, "access.csrf_refused", r.Method+" "+r.URL.Path)
			httpx.WriteError(w, r, errs.E(errs.Forbidden, "请求缺少有效的 CSRF 令牌，请刷新页面", "missing or wrong CSRF token; reload the page"))
			return
		}
		ctx := context.WithValue(org.WithActor(r.Context(), a), csrfKey{}, csrf)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// actorOf returns nil (no error) for a request with no credentials at all,
// and an error for credentials that are wrong or expired.
func (h Handlers) actorOf(r *http.Request) (*org.Actor, string, error) {
	if ah := r.Header.Get("Authorization"); ah != "" {
		tok, ok := strings.CutPrefix(ah, "Bearer ")
		if !ok {
			return nil, "", errs.E(errs.Unauthenticated, "Authorization 头应为 Bearer 令牌", "the Authorization header must be a Bearer token")
		}
		a, err := h.S.TokenActor(r.Context(), strings.TrimSpace(tok))
		return a, "", err
	}
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, "", nil
	}
	a, csrf, err := h.S.SessionActor(r.Context(), c.Value)
	if errs.Is(err, errs.Unauthenticated) {
		// An ended session is the same as none: public routes (sign-in) still work.
		return nil, "", nil
	}
	return a, csrf, err
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
