// Package db opens the database (SQLite or PostgreSQL), runs the embedded
// migrations and gives the rest of attract one way to query and to run a
// transaction, whatever the dialect.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/valid"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the SQL flavour.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB holds a writer and a reader pool. On SQLite the writer is a single
// connection (SQLite allows one writer; queuing in Go beats SQLITE_BUSY) and
// readers are a pool over WAL. On PostgreSQL both are the same pool.
type DB struct {
	DSN     string // as given to Open
	Dialect Dialect
	W       *sql.DB
	R       *sql.DB
}

// Options are the settings of how a database is opened.
type Options struct {
	// Synchronous is SQLite's synchronous setting: NORMAL (the default: in
	// WAL mode a power loss or OS crash may drop the last commits, never
	// corrupt the file; a crash of attract alone loses nothing) or FULL
	// (every commit waits for the disk: nothing acknowledged is lost to a
	// power cut either, at some cost to write speed).
	Synchronous string
}

// Open connects to a DSN: "sqlite:PATH" or "postgres://…".
func Open(ctx context.Context, dsn string) (*DB, error) { return OpenWith(ctx, dsn, Options{}) }

// OpenWith is Open with settings.
func OpenWith(ctx context.Context, dsn string, o Options) (*DB, error) {
	var d *DB
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		d, err = openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), o)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		d, err = openPostgres(ctx, dsn)
	default:
		return nil, fmt.Errorf("unknown database %q: use sqlite:PATH or postgres://…", Redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	d.DSN = dsn
	return d, nil
}

func openSQLite(ctx context.Context, path string, o Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	sync := strings.ToUpper(o.Synchronous)
	switch sync {
	case "":
		sync = "NORMAL"
	case "NORMAL", "FULL":
	default:
		return nil, fmt.Errorf("sqlite: synchronous must be NORMAL or FULL, got %q", o.Synchronous)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create folder: %w", err)
		}
	}
	// cache_size: 8 MB of pages per connection (the default 2 MB rereads the
	// statistics' index pages from the OS); no mmap, which would count the
	// whole file as resident memory.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(" + sync + ")&_pragma=cache_size(-8192)&_time_format=sqlite"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	if err := pingSQLite(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	// Readers: four per CPU, at least eight. modernc.org/sqlite runs in Go, so a
	// query holds its connection while its goroutine waits for a CPU; with
	// one per CPU (four at least) the cockpit and the lists queued for a
	// connection while the CPUs were idle (docs/performance.md, "Cockpit").
	// Each reader may cache 8 MB of pages.
	r.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	return &DB{Dialect: SQLite, W: w, R: r}, nil
}

// pingSQLite opens the first connection, trying again while the file is
// busy: two servers opening a new file at once both ask for WAL mode, and
// SQLite answers SQLITE_BUSY at once, without waiting out busy_timeout, to
// the one whose lock upgrade would deadlock with the other's.
func pingSQLite(ctx context.Context, w *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := w.PingContext(ctx)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	// JIT compilation costs hundreds of milliseconds on the scoped list and
	// warning queries and saves nothing on queries this size (measured by
	// `attract bench`); it stays on only when the DSN asks for it.
	if u, err := url.Parse(dsn); err == nil && !u.Query().Has("jit") {
		q := u.Query()
		q.Set("jit", "off")
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(20)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &DB{Dialect: Postgres, W: p, R: p}, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Ping checks the database answers (for /healthz).
func (db *DB) Ping(ctx context.Context) error { return db.R.PingContext(ctx) }

// Rebind turns the portable "?" placeholders into "$1, $2…" for PostgreSQL.
// Queries are written with "?" only; a literal "?" in SQL text is not used.
func (db *DB) Rebind(q string) string { return rebind(db.Dialect, q) }

func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inStr = !inStr
		}
		if c == '?' && !inStr {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Querier is what a store needs to read: the reader pool or a transaction.
type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	Dialect() Dialect
}

// Reader returns a Querier over the reader pool.
func (db *DB) Reader() Querier { return conn{db.R, db.Dialect} }

type conn struct {
	db *sql.DB
	d  Dialect
}

func (c conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.db.QueryContext(ctx, rebind(c.d, q), args...)
}
func (c conn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.db.QueryRowContext(ctx, rebind(c.d, q), args...)
}
func (c conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := storable(args); err != nil {
		return nil, err
	}
	return c.db.ExecContext(ctx, rebind(c.d, q), args...)
}
func (c conn) Dialect() Dialect { return c.d }

// storable refuses, the same on both engines, text PostgreSQL would refuse
// with an internal error and SQLite would store: the last line behind the
// field-named checks of requests and imports.
func storable(args []any) error {
	for _, a := range args {
		var s string
		switch v := a.(type) {
		case string:
			s = v
		case *string:
			if v == nil {
				continue
			}
			s = *v
		default:
			continue
		}
		if !valid.Text(s) {
			return errs.E(errs.Invalid, "文本"+valid.TextMsg.Zh, "a text "+valid.TextMsg.En)
		}
	}
	return nil
}

// Tx is a write transaction.
type Tx struct {
	tx *sql.Tx
	d  Dialect
}

func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(t.d, q), args...)
}
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(t.d, q), args...)
}
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := storable(args); err != nil {
		return nil, err
	}
	return t.tx.ExecContext(ctx, rebind(t.d, q), args...)
}
func (t *Tx) Dialect() Dialect { return t.d }

// PrepareContext prepares a statement the transaction runs many times (a
// bulk import's full-sized INSERT); it is closed with the transaction.
func (t *Tx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, rebind(t.d, q))
}

// InTx runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise. Every write of attract goes through here, so that the
// change and its audit entry land together or not at all.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.W.BeginTx, fn)
}

// run begins a transaction with begin, runs fn in it, and commits when fn
// returns nil or rolls back otherwise: the body of every InTx variant.
func (db *DB) run(ctx context.Context, begin func(context.Context, *sql.TxOptions) (*sql.Tx, error), fn func(tx *Tx) error) error {
	stx, err := begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(&Tx{tx: stx, d: db.Dialect}); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// InTxRaw is InTx on one connection whose driver connection fn may also use
// through raw, for what database/sql cannot say: PostgreSQL's COPY, inside
// the same transaction as the statements around it.
func (db *DB) InTxRaw(ctx context.Context, fn func(tx *Tx, raw func(func(driverConn any) error) error) error) error {
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	return db.run(ctx, conn.BeginTx, func(tx *Tx) error { return fn(tx, conn.Raw) })
}

// InTxSetup is InTx on one connection held throughout: the setup statements
// run on it before the transaction begins and the reset ones after it ends,
// so that no other write runs under the setup (on SQLite, the PRAGMAs that
// cannot change inside a transaction, for a bulk import). A connection
// that cannot be reset is discarded rather than reused.
func (db *DB) InTxSetup(ctx context.Context, setup, reset []string, fn func(tx *Tx) error) error {
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	defer func() {
		for _, q := range reset {
			if _, err := conn.ExecContext(context.Background(), q); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				return
			}
		}
	}()
	for _, q := range setup {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("set up: %w", err)
		}
	}
	return db.run(ctx, conn.BeginTx, fn)
}

// IsUniqueViolation reports whether err is a unique-constraint failure, in
// either dialect, so stores can turn it into a Conflict for the user.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// Redact hides the password in a DSN for logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
