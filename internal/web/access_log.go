package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// accessLog audits what an assessor asks to see in the log besides the
// writes (which their own transactions audit): refused accesses (403, and
// 404 on a record route, which is how a record outside the caller's scope
// answers), downloads of data (exports, reports, attachments, error files)
// and the auditors' own reading of the logs. Each entry is its own
// transaction, after the answer; a failure to write it is logged, not shown.
func (s *Server) accessLog(rt Route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		a := org.ActorFrom(r.Context())
		action := accessAction(rt, sw.status, a != nil)
		if action == "" {
			return
		}
		e := audit.Entry{Action: action, ObjectType: "route", ObjectID: rt.Method + " " + rt.Path,
			After: map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery, "status": sw.status}}
		if a != nil {
			e.Who = a.Who()
		}
		if err := s.DB.InTx(context.WithoutCancel(r.Context()), func(tx *db.Tx) error { return audit.Append(r.Context(), tx, e) }); err != nil {
			slog.Error("access log", "err", err)
		}
	})
}

// accessAction is the audit action for an answer, "" when it is not logged.
func accessAction(rt Route, status int, signedIn bool) string {
	switch {
	case status == http.StatusForbidden:
		return "access.denied"
	case status == http.StatusNotFound && signedIn && strings.Contains(rt.Path, "{"):
		return "access.not_found"
	case status != http.StatusOK || rt.Method != http.MethodGet:
		return ""
	case rt.Tag == "audit":
		return "audit.read"
	case downloads(rt.Path):
		return "data.export"
	}
	return ""
}

// downloads are the routes whose answer is a file of data.
func downloads(path string) bool {
	for _, s := range []string{"/export", "/xlsx", "/docx", "/errors", "/attachments/"} {
		if strings.Contains(path, s) {
			return true
		}
	}
	return false
}
