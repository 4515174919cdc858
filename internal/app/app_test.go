package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

func config(dsn string) app.Config {
	return app.Config{DB: dsn, AdminPassword: "Admin-pass-2026", DemoPassword: "Demo-pass-2026", Auth: auth.Defaults()}
}

// TestTwoServersStartTogether starts two servers at the same moment on an
// empty PostgreSQL schema, ten times: both must come up, and the database
// must hold one admin, one set of built-in roles and dictionary defaults,
// and an intact audit chain.
func TestTwoServersStartTogether(t *testing.T) {
	if os.Getenv("ATTRACT_TEST_POSTGRES") == "" {
		t.Skip("ATTRACT_TEST_POSTGRES not set: two servers share a PostgreSQL database")
	}
	for round := range 10 {
		dsn := dbtest.EmptyPostgres(t)
		var wg sync.WaitGroup
		start := make(chan struct{})
		apps := make([]*app.App, 2)
		errs := make([]error, 2)
		for i := range apps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				apps[i], errs[i] = app.Open(context.Background(), config(dsn), app.Options{})
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: server %d failed to start: %v", round, i, err)
			}
			defer apps[i].Close()
		}
		assertSetUpOnce(t, apps[0].DB, round)
	}
}

func assertSetUpOnce(t *testing.T, d *db.DB, round int) {
	t.Helper()
	ctx := context.Background()
	var users, admins, roleDups, dictDups int
	q := d.Reader()
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN username = 'admin' THEN 1 ELSE 0 END) FROM users`).Scan(&users, &admins); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT code FROM roles GROUP BY code HAVING COUNT(*) > 1) x`).Scan(&roleDups); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT type, code FROM dict_items GROUP BY type, code HAVING COUNT(*) > 1) x`).Scan(&dictDups); err != nil {
		t.Fatal(err)
	}
	if users != 1 || admins != 1 || roleDups != 0 || dictDups != 0 {
		t.Fatalf("round %d: %d users (%d admin), %d duplicated roles, %d duplicated dictionary items", round, users, admins, roleDups, dictDups)
	}
	if res, err := audit.Verify(ctx, q); err != nil || !res.OK {
		t.Fatalf("round %d: audit chain %+v %v", round, res, err)
	}
}

// TestCorruptSQLiteRefusedAtStart damages a page in the middle of a
// database file: the next start refuses it, naming the check and the way
// out, instead of serving it.
func TestCorruptSQLiteRefusedAtStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "attract.db")
	ctx := context.Background()
	a, err := app.Open(ctx, config("sqlite:"+path), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	junk := make([]byte, 4096*4)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	if _, err := f.WriteAt(junk, st.Size()/2/4096*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = app.Open(ctx, config("sqlite:"+path), app.Options{})
	if err == nil || !strings.Contains(err.Error(), "restore") {
		t.Fatalf("a damaged file was accepted: %v", err)
	}
	t.Log(err)
}

// TestSQLiteSynchronousSetting: FULL is taken, anything but NORMAL or
// FULL refused.
func TestSQLiteSynchronousSetting(t *testing.T) {
	ctx := context.Background()
	cfg := config("sqlite:" + filepath.Join(t.TempDir(), "attract.db"))
	cfg.SQLiteSynchronous = "FULL"
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var level int
	if err := a.DB.W.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil || level != 2 {
		t.Fatalf("synchronous = %d (%v), want 2 (FULL)", level, err)
	}
	cfg.SQLiteSynchronous = "OFF"
	if _, err := app.Open(ctx, cfg, app.Options{}); err == nil || !strings.Contains(err.Error(), "NORMAL or FULL") {
		t.Fatalf("synchronous OFF accepted: %v", err)
	}
}

// TestOldSchemaNeedsMigrate: serve without --migrate (KeepSchema) refuses a
// database one migration behind this binary, saying how to upgrade; a
// database a newer release migrated is refused either way.
func TestOldSchemaNeedsMigrate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dsn := d.DSN
		if d.Dialect == db.SQLite {
			dsn = "sqlite:" + filepath.Join(t.TempDir(), "attract.db")
		} else {
			dsn = dbtest.EmptyPostgres(t)
		}
		a, err := app.Open(ctx, config(dsn), app.Options{KeepSchema: true}) // a new database is set up all the same
		if err != nil {
			t.Fatal(err)
		}
		_, known, err := a.DB.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.W.ExecContext(ctx, a.DB.Rebind(`DELETE FROM goose_db_version WHERE version_id = ?`), known); err != nil {
			t.Fatal(err)
		}
		a.Close()
		_, err = app.Open(ctx, config(dsn), app.Options{KeepSchema: true})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("this attract needs %d", known)) || !strings.Contains(err.Error(), "--migrate") {
			t.Fatalf("an old schema without --migrate: %v", err)
		}
		b, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.W.ExecContext(ctx, b.Rebind(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, TRUE), (?, TRUE)`), known, known+1); err != nil {
			t.Fatal(err)
		}
		b.Close()
		for _, keep := range []bool{true, false} {
			if _, err := app.Open(ctx, config(dsn), app.Options{KeepSchema: keep}); err == nil || !strings.Contains(err.Error(), "newer than this attract") {
				t.Fatalf("a newer schema (keep %v): %v", keep, err)
			}
		}
	})
}
