package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/webhook"
)

func config(dsn string) app.Config {
	return app.Config{DB: dsn, AdminPassword: "Admin-pass-2026", DemoPassword: "Demo-pass-2026", Auth: auth.Defaults()}
}

// TestTwoServersStartTogether starts two servers at the same moment on an
// empty database, ten times: both must come up, and the database must hold
// one admin, one set of built-in roles and dictionary defaults, and an
// intact audit chain; a session opened on one server is valid on the other;
// a background job (a webhook delivery) both run at once is done once.
func TestTwoServersStartTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for round := range 10 {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "attract.db")
			if d.Dialect == db.Postgres {
				dsn = dbtest.EmptyPostgres(t)
			}
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
			sessionAcross(t, apps, round)
			jobOnce(t, apps, round)
		}
	})
}

// sessionAcross signs in on the first server and uses the cookie on the second.
func sessionAcross(t *testing.T, apps []*app.App, round int) {
	t.Helper()
	a, b := httptest.NewServer(apps[0].Server().Handler()), httptest.NewServer(apps[1].Server().Handler())
	defer a.Close()
	defer b.Close()
	res, err := http.Post(a.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"Admin-pass-2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || len(res.Cookies()) == 0 {
		t.Fatalf("round %d: sign-in on server A: %d", round, res.StatusCode)
	}
	req, _ := http.NewRequest("GET", b.URL+"/api/v1/auth/me", nil)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	me, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	me.Body.Close()
	if me.StatusCode != 200 {
		t.Fatalf("round %d: A's session on server B: %d", round, me.StatusCode)
	}
}

// jobOnce queues one webhook delivery and lets both servers' workers run
// at once: the receiver gets it once.
func jobOnce(t *testing.T, apps []*app.App, round int) {
	t.Helper()
	ctx := context.Background()
	var calls atomic.Int32
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer rcv.Close()
	admin := &org.Actor{Username: "admin", Scope: org.ScopeAll}
	if _, err := apps[0].Webhook.Create(ctx, admin, webhook.Input{Name: "x", URL: rcv.URL, Format: webhook.WeCom, Events: []string{webhook.PeriodClosed}}); err != nil {
		t.Fatal(err)
	}
	if err := apps[0].DB.InTx(ctx, func(tx *db.Tx) error { return webhook.MonthClosed(ctx, tx, "2026-01", nil) }); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, a := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.Webhook.DeliverDue(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("round %d: the delivery was sent %d times by two servers", round, n)
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
