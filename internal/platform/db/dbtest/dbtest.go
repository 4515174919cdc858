// Package dbtest gives each test its own fresh, migrated database on every
// supported engine: SQLite in a temp dir always, PostgreSQL (a new schema in
// the server named by ATTRACT_TEST_POSTGRES) when that variable is set.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// Each runs fn once per available database, as subtests named after the dialect.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv("ATTRACT_TEST_POSTGRES") != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// SQLite opens a migrated database in the test's temp dir.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	return migrated(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// Postgres creates a schema of its own in the test server, migrated, and
// drops it when the test ends. It skips when ATTRACT_TEST_POSTGRES is unset.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	return migrated(t, EmptyPostgres(t))
}

// migrated opens dsn, closed when the test ends, and migrates it.
func migrated(t testing.TB, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// EmptyPostgres is the DSN of a new, empty schema in the test server,
// dropped when the test ends (for what a first start does to it).
func EmptyPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv("ATTRACT_TEST_POSTGRES")
	if base == "" {
		t.Skip("ATTRACT_TEST_POSTGRES not set")
	}
	schema := "t_" + randHex(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema (is PostgreSQL at %s?): %v", db.Redact(base), err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	return WithSearchPath(base, schema)
}

// WithSearchPath adds search_path to a PostgreSQL URL (pgx passes unknown
// parameters to the server as run-time settings).
func WithSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// EmptyLike is the DSN of a new, empty database of d's dialect, for a
// restore: a file in a new folder that does not exist yet, or a new
// PostgreSQL database, dropped when the test ends, whose search_path is d's
// schema (a dump of d's schema recreates it there).
func EmptyLike(t testing.TB, d *db.DB) string {
	t.Helper()
	if d.Dialect == db.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "restored", "attract.db")
	}
	base := os.Getenv("ATTRACT_TEST_POSTGRES")
	name := "restore_" + randHex(6)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	u, err := url.Parse(d.DSN)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// DropAuditGuard drops the triggers that refuse UPDATE and DELETE on
// audit_log, as a DBA could, for tests of what the hash chain then catches.
func DropAuditGuard(t testing.TB, d *db.DB) {
	t.Helper()
	q := `DROP TRIGGER audit_log_no_update`
	if d.Dialect == db.Postgres {
		q = `DROP TRIGGER audit_log_no_change ON audit_log`
	}
	if _, err := d.W.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}
