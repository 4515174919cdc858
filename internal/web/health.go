package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Readiness is what a server must have besides its database before it
// takes traffic: the project mirror and the enterprise search index, which
// it loads in the background after it starts listening.
type Readiness struct {
	mirror, index atomic.Bool
	// MinFreeBytes is the free space a SQLite database's folder must keep
	// (ATTRACT_MIN_FREE_MB): below it the server says it is not ready
	// rather than fail writes one by one.
	MinFreeBytes uint64
	// Server names this server's row in health_probe.
	Server string
}

// NewReadiness starts with nothing loaded.
func NewReadiness(minFree uint64) *Readiness {
	host, _ := os.Hostname()
	return &Readiness{MinFreeBytes: minFree, Server: fmt.Sprintf("%s/%d", host, os.Getpid())}
}

// MirrorLoaded and IndexLoaded are called once each has loaded.
func (r *Readiness) MirrorLoaded() { r.mirror.Store(true) }
func (r *Readiness) IndexLoaded()  { r.index.Store(true) }

// livez answers 200 while the process serves HTTP: a supervisor restarts
// it otherwise. It asks nothing of the database (a database outage is not
// cured by restarting every server).
func (s *Server) livez(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyz answers 200 when this server can do its work — the database takes
// a commit, its schema is the one this binary migrates to, there is disk to
// write on, the mirror is loaded — and 503 naming every check that failed
// otherwise, so a load balancer sends no traffic to it. "search" says
// whether searches take the index ("index") or SQL while it builds ("sql").
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	checks := map[string]string{}
	ready := true
	note := func(name string, err error) {
		if err != nil {
			checks[name], ready = err.Error(), false
		} else {
			checks[name] = "ok"
		}
	}
	ctx := r.Context()
	note("database", s.probeWrite(ctx))
	note("schema", s.schemaCurrent(ctx))
	note("disk", s.diskFree())
	note("project_mirror", loaded(s.Ready != nil && s.Ready.mirror.Load()))
	// The enterprise index is not a condition: until it is built, searches
	// are answered from SQL (slower, the same answers), so the server takes
	// traffic and says which path searches take.
	search := "index"
	checks["enterprise_index"] = "ok"
	if s.Ready == nil || !s.Ready.index.Load() {
		search, checks["enterprise_index"] = "sql", "loading"
	}
	status := http.StatusOK
	body := readiness{Ready: ready, Checks: checks, Search: search}
	if !ready {
		status = http.StatusServiceUnavailable
		body.RequestID = httpx.RequestID(ctx)
	}
	return httpx.JSON(w, status, body)
}

// readiness is /readyz's answer: each check "ok" or what failed, and the
// request id when one did (so the log line can be found).
type readiness struct {
	Ready     bool              `json:"ready"`
	Checks    map[string]string `json:"checks"`
	Search    string            `json:"search"`
	RequestID string            `json:"request_id,omitempty"`
}

func loaded(ok bool) error {
	if ok {
		return nil
	}
	return errors.New("loading")
}

// probeWrite commits one small row. On SQLite a wait for the one writer
// connection (an import holding it) is not a failure: the database is
// writing. PostgreSQL writers do not wait on each other for this row, so a
// timeout there is a database that does not answer.
func (s *Server) probeWrite(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	name := "server"
	if s.Ready != nil {
		name = s.Ready.Server
	}
	now := time.Now().UTC()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO health_probe (server, checked_at) VALUES (?, ?)
			ON CONFLICT (server) DO UPDATE SET checked_at = excluded.checked_at`, name, now)
		if err == nil {
			// Servers that stopped long ago (a row per host and process) go.
			_, err = tx.ExecContext(ctx, `DELETE FROM health_probe WHERE checked_at < ?`, now.Add(-7*24*time.Hour))
		}
		return err
	})
	if err != nil && s.DB.Dialect == db.SQLite && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot commit: %v", err)
	}
	return nil
}

func (s *Server) schemaCurrent(ctx context.Context) error {
	applied, known, err := s.DB.SchemaVersion(ctx)
	switch {
	case err != nil:
		return err
	case applied < known:
		return fmt.Errorf("schema version %d, this attract needs %d: run attract migrate", applied, known)
	case applied > known:
		return fmt.Errorf("schema version %d is newer than this attract (%d): run the newer attract", applied, known)
	}
	return nil
}

// diskFree checks the SQLite database's folder; PostgreSQL's disk is its
// server's, and a full one fails the commit probe.
func (s *Server) diskFree() error {
	if s.DB.Dialect != db.SQLite || s.Ready == nil || s.Ready.MinFreeBytes == 0 {
		return nil
	}
	dir := dirOf(strings.TrimPrefix(s.DB.DSN, "sqlite:"))
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return fmt.Errorf("free space of %s: %v", dir, err)
	}
	free := st.Bavail * uint64(st.Bsize)
	if free < s.Ready.MinFreeBytes {
		return fmt.Errorf("%d MB free in %s, below the %d MB kept free (ATTRACT_MIN_FREE_MB)", free>>20, dir, s.Ready.MinFreeBytes>>20)
	}
	return nil
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		return path[:i]
	}
	return "."
}
