// Package web is the HTTP edge: the route table, middleware, the OpenAPI
// document and the embedded single-page app. Capabilities own their handlers;
// this package only wires them.
package web

import (
	"context"
	"sync"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/enterprise"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/valid"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/webhook"
)

// Server holds the services the routes call.
type Server struct {
	DB      *db.DB
	Org     *org.Service
	Auth    *auth.Service
	Dict    *dictionary.Service
	Project *project.Service
	Assess  *assess.Service

	Evaluation *evaluation.Service
	Enterprise *enterprise.Service
	Chain      *chain.Service

	// Campaigns, notices and feedback, the promotion network.
	Campaign *campaign.Service
	Notice   *notice.Service
	Network  *network.Service

	Webhook *webhook.Service // outgoing webhooks

	TrustedProxies []string

	// Operations: what /readyz waits for, and the scheduled backups
	// /metrics reports (nil when none are scheduled).
	Ready   *Readiness
	Backups interface {
		LastTaken(ctx context.Context) (time.Time, error)
	}

	metricsOnce sync.Once
	metricsReg  *metrics
}

func (s *Server) metrics() *metrics {
	s.metricsOnce.Do(func() { s.metricsReg = newMetrics(s) })
	return s.metricsReg
}

// Public marks a route that needs no sign-in.
const Public = "public"

// SignedIn marks a route any signed-in user may call.
const SignedIn = ""

// Route is one line of the route table.
type Route struct {
	Method  string
	Path    string
	Perm    string // permission needed; SignedIn or Public
	Tag     string
	Summary string
	Body    any // request type, for the OpenAPI document
	Handler httpx.Handler
}

// Handler builds the whole HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	m := s.metrics()
	for _, rt := range s.Routes() {
		var h http.Handler = rt.Handler
		if rt.Method == http.MethodPost {
			h = s.idempotent(h)
		}
		if downloads(rt.Path) {
			h = stamp(h)
		}
		mux.Handle(rt.Method+" "+rt.Path, m.instrument(rt.Path, s.accessLog(rt, guard(rt, h))))
	}
	mux.Handle("/api/", m.instrument("/api/ (no such route)", httpx.Handler(func(w http.ResponseWriter, r *http.Request) error {
		return errs.E(errs.NotFound, "接口不存在", "no such route")
	})))
	mux.Handle("/", m.instrument("/ (web app)", spa()))
	ah := auth.Handlers{S: s.Auth, TrustedProxies: s.TrustedProxies}
	return requestIDs(recoverer(securityHeaders(s.Auth.Cfg.SecureCookie, logRequests(cleanQuery(ah.Authenticate(mux))))))
}

// requestIDs gives every request an id, in its context (error bodies and
// log lines carry it) and in the response's X-Request-Id header.
func requestIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, id := httpx.WithRequestID(r)
		w.Header().Set(httpx.RequestIDHeader, id)
		next.ServeHTTP(w, r)
	})
}

// cleanQuery refuses, before any handler parses it, a query string holding
// text no column stores (NUL, control characters, broken UTF-8): on
// PostgreSQL such a parameter reached the driver and answered 500.
func cleanQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, vals := range r.URL.Query() {
			for _, v := range vals {
				if !valid.Text(name) || !valid.Text(v) {
					httpx.WriteError(w, r, errs.E(errs.Invalid, "查询参数"+valid.TextMsg.Zh, "a query parameter "+valid.TextMsg.En).
						Field(name, valid.TextMsg.Zh, valid.TextMsg.En))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// What a session that still waits for something may call: the second
// factor's code; a first, reset or expired password's change; the
// enrolment of a second factor the policy requires. Nothing else.
var (
	alwaysOpen          = map[string]bool{"GET /api/v1/auth/me": true, "POST /api/v1/auth/logout": true}
	secondFactorRoutes  = map[string]bool{"POST /api/v1/auth/totp": true}
	passwordChangeRoute = "PUT /api/v1/me/password"
	enrolRoutes         = map[string]bool{"POST /api/v1/me/totp": true, "POST /api/v1/me/totp/confirm": true}
)

// pendingGate refuses route to an actor whose session waits for a second
// factor, a password change or an enrolment, unless route is that step.
func pendingGate(a *org.Actor, route string) error {
	if alwaysOpen[route] {
		return nil
	}
	switch {
	case a.Pending == "totp":
		if !secondFactorRoutes[route] {
			return errs.E(errs.Forbidden, "请先输入动态验证码", "enter your one-time code first")
		}
	case a.MustChangePassword && route == passwordChangeRoute, a.Pending == "enrol" && enrolRoutes[route]:
	case a.MustChangePassword:
		if a.PasswordExpired {
			return errs.E(errs.Forbidden, "密码已过有效期，请先修改密码", "your password has expired; change it first")
		}
		return errs.E(errs.Forbidden, "请先修改初始密码", "change your initial password first")
	case a.Pending == "enrol":
		return errs.E(errs.Forbidden, "您的账户须启用双因素认证，请先完成绑定", "your account needs a second factor; set it up first")
	}
	return nil
}

// guard refuses a route to callers who are not signed in (401) or lack its
// permission (403) before the route's handler h runs.
func guard(rt Route, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Perm != Public {
			a := org.ActorFrom(r.Context())
			if a == nil {
				httpx.WriteError(w, r, errs.E(errs.Unauthenticated, "请先登录", "please sign in"))
				return
			}
			if err := pendingGate(a, rt.Method+" "+rt.Path); err != nil {
				httpx.WriteError(w, r, err)
				return
			}
			if rt.Perm != SignedIn && !a.Can(rt.Perm) {
				httpx.WriteError(w, r, errs.E(errs.Forbidden, "没有执行此操作的权限", "you do not have permission for this"))
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// securityHeaders: no inline script, no framing, no sniffing. Styles may be
// inline because Element Plus sets element styles at run time.
// Served over TLS (--secure-cookie), browsers are told to use nothing else
// for a year (HSTS).
func securityHeaders(tls bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// logRequests writes one line per request at info level (the probes and
// the web app's static files at debug, so they do not drown the rest).
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			level = slog.LevelDebug
		}
		if sw.status >= 500 {
			level = slog.LevelWarn
		}
		slog.Log(r.Context(), level, "http", "request_id", httpx.RequestID(r.Context()), "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "ms", time.Since(start).Milliseconds(), "client", r.RemoteAddr)
	})
}

func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				slog.Error("panic", "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()), "value", v, "stack", string(debug.Stack()))
				httpx.WriteError(w, r, errs.E(errs.Internal, "服务器内部错误", "internal server error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// healthz answers 200 when the database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.DB.Ping(r.Context()); err != nil {
		return errs.Wrap(err, "ping")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}
