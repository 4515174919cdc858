package db

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// Advisory lock classes, one per kind of work that must run once across
// the servers sharing a PostgreSQL database. They are taken in the two-key
// form (class, hash of the schema): a key space apart from the one-key locks
// of the audit chain (7346001) and of period closes (7346002), and one lock
// per schema, so that attract databases in other schemas do not wait on it.
const (
	LockStartup = 734610 // migrations and first-start setup
	LockBackup  = 734611 // scheduled backups
)

// WithLock runs fn while holding the PostgreSQL session advisory lock key,
// waiting for another server that holds it. Two servers started at once on
// an empty database then migrate and set up one after the other; the second
// finds the work done. On SQLite, servers sharing the file are on one
// machine: an exclusive flock on a file beside the database does the same
// (migrations run version by version, and two of them at once on one file
// collide).
func (db *DB) WithLock(ctx context.Context, key int32, fn func() error) error {
	if db.Dialect != Postgres {
		return db.withFileLock(key, fn)
	}
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("lock: connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, hashtext(COALESCE(current_schema(), '')))`, key); err != nil {
		return fmt.Errorf("lock %d: %w", key, err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, hashtext(COALESCE(current_schema(), '')))`, key)
	return fn()
}

// TryLock runs fn only if no other server holds the lock key, and reports
// whether it ran: scheduled work that one server doing is enough.
func (db *DB) TryLock(ctx context.Context, key int32, fn func() error) (bool, error) {
	if db.Dialect != Postgres {
		return true, fn()
	}
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("lock: connect: %w", err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(COALESCE(current_schema(), '')))`, key).Scan(&got); err != nil {
		return false, fmt.Errorf("lock %d: %w", key, err)
	}
	if !got {
		return false, nil
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, hashtext(COALESCE(current_schema(), '')))`, key)
	return true, fn()
}

// SchemaVersion is the newest migration applied to the database and the
// newest this binary carries; a database ahead of the binary was migrated by
// a newer attract.
func (db *DB) SchemaVersion(ctx context.Context) (applied, known int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	applied, err = p.GetDBVersion(ctx)
	if err != nil && !strings.Contains(err.Error(), "does not exist") && !strings.Contains(err.Error(), "no such table") {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		known = srcs[len(srcs)-1].Version
	}
	return applied, known, nil
}

func (db *DB) withFileLock(key int32, fn func() error) error {
	path, _, _ := strings.Cut(strings.TrimPrefix(db.DSN, "sqlite:"), "?")
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return fn()
	}
	f, err := os.OpenFile(fmt.Sprintf("%s.lock%d", path, key), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("lock %d: %w", key, err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %d: %w", key, err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return fn()
}
