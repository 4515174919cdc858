package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

const (
	benchPassword = "Bench-pass-2026"
	adminPassword = "Bench-admin-2026"
)

// target is a scratch database the benchmark fills, measures and removes.
type target struct {
	name   string // SQLite, PostgreSQL
	dsn    string
	where  string // for the "kept" note
	remove func() error
}

// scratchSQLite is a database file in a new temp dir.
func scratchSQLite() (target, error) {
	dir, err := os.MkdirTemp("", "attract-bench-")
	if err != nil {
		return target{}, err
	}
	path := filepath.Join(dir, "bench.db")
	return target{name: "SQLite", dsn: "sqlite:" + path, where: path, remove: func() error { return os.RemoveAll(dir) }}, nil
}

// scratchPostgres is a new schema in the server base names, reached through
// search_path (as internal/platform/db/dbtest does for tests).
func scratchPostgres(ctx context.Context, base string) (target, error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return target{}, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return target{}, fmt.Errorf("create schema in %s: %w", db.Redact(base), err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return target{}, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return target{name: "PostgreSQL", dsn: u.String(), where: "schema " + schema + " in " + db.Redact(base), remove: func() error {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer a.Close()
		_, err = a.Exec("DROP SCHEMA " + schema + " CASCADE")
		return err
	}}, nil
}

// env is attract running over a filled scratch database.
type env struct {
	t        target
	app      *app.App
	srv      *httptest.Server
	world    World
	counts   Counts
	today    civil.Date
	settings string // server settings that move the figures
}

func (e *env) close() {
	if e.srv != nil {
		e.srv.Close()
	}
	if e.app != nil {
		e.app.Close()
	}
}

// setup migrates, loads the demo organisation and users, generates the
// projects, brings the planner's statistics up to date where the engine
// would do so by itself, and serves the app.
func setup(ctx context.Context, t target, sc Scale, logf func(string, ...any)) (*env, error) {
	d, err := db.Open(ctx, t.dsn)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	e := &env{t: t, app: app.New(d, app.Config{AdminPassword: adminPassword, DemoPassword: benchPassword, Auth: auth.Defaults()})}
	e.today = civil.Of(e.app.Project.Now())
	if _, err := e.app.Org.Bootstrap(ctx, adminPassword, demo.Since); err != nil {
		e.close()
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	if err := e.app.Dict.Seed(ctx); err != nil {
		e.close()
		return nil, err
	}
	units, err := demo.LoadOrg(ctx, e.app.Org, benchPassword)
	if err != nil {
		e.close()
		return nil, fmt.Errorf("demo organisation: %w", err)
	}
	if e.world, err = LoadWorld(ctx, d.Reader(), units); err != nil {
		e.close()
		return nil, err
	}
	start := time.Now()
	if e.counts, err = Generate(ctx, d, e.world, sc.Projects, sc.Tracking, e.today, 2026); err != nil {
		e.close()
		return nil, err
	}
	logf("%s: generated %d projects, %d introducers, %d tracking records, %d requests (%d open) in %.1fs",
		t.name, e.counts.Projects, e.counts.Introducers, e.counts.Tracking, e.counts.Requests, e.counts.OpenRequests, time.Since(start).Seconds())
	if d.Dialect == db.Postgres {
		// Autovacuum would analyse and set the visibility map within a
		// minute of a bulk load; do it now so we measure the steady state.
		// SQLite is left as attract leaves it (no ANALYZE is ever run).
		start = time.Now()
		if _, err := d.W.ExecContext(ctx, `VACUUM ANALYZE projects, project_introducers, tracking_records, project_requests, units, users`); err != nil {
			e.close()
			return nil, err
		}
		logf("%s: VACUUM ANALYZE in %.1fs", t.name, time.Since(start).Seconds())
		var version, jit, buffers string
		if err := d.R.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('jit'), current_setting('shared_buffers')`).Scan(&version, &jit, &buffers); err == nil {
			e.settings = fmt.Sprintf("PostgreSQL %s, jit=%s, shared_buffers=%s", version, jit, buffers)
		}
	}
	e.srv = httptest.NewServer(e.app.Server().Handler())
	return e, nil
}
