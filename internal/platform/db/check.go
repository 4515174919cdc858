package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// CheckLevel says how deep Check looks.
type CheckLevel int

const (
	// Quick is what every start runs: SQLite's quick_check (every page and
	// record readable, no index cross-check), PostgreSQL's durability settings.
	Quick CheckLevel = iota
	// Full adds SQLite's integrity_check (indexes against their tables) and
	// the foreign keys, for `attract check` and for a restored copy.
	Full
)

// ErrCorrupt marks a database that failed its check; the message says what
// was found and what to do.
var ErrCorrupt = errors.New("database check failed")

// Check looks at the database's integrity (SQLite) or at the settings its
// durability depends on (PostgreSQL, whose own page checks are the server's
// business). A failure wraps ErrCorrupt.
func (db *DB) Check(ctx context.Context, level CheckLevel) error {
	if db.Dialect == Postgres {
		return checkPostgres(ctx, db.R)
	}
	return checkSQLite(ctx, db.R, level)
}

func checkSQLite(ctx context.Context, q *sql.DB, level CheckLevel) error {
	pragma := "PRAGMA quick_check(20)"
	if level == Full {
		pragma = "PRAGMA integrity_check(20)"
	}
	problems, err := column(ctx, q, pragma)
	if err != nil {
		return fmt.Errorf("%w: %s: %v (the file is not a readable SQLite database; restore it from a backup: attract restore FILE)", ErrCorrupt, pragma, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("%w: %s found %d problem(s), first: %s; the file is damaged: stop every server on it and restore the last backup (attract restore FILE)",
			ErrCorrupt, pragma, len(problems), problems[0])
	}
	if level == Full {
		fk, err := column(ctx, q, "PRAGMA foreign_key_check")
		if err != nil {
			return fmt.Errorf("%w: foreign_key_check: %v", ErrCorrupt, err)
		}
		if len(fk) > 0 {
			return fmt.Errorf("%w: %d row(s) point to rows that do not exist, first in table %s", ErrCorrupt, len(fk), fk[0])
		}
	}
	return nil
}

// checkPostgres refuses a server that may lose or tear committed pages on a
// crash: attract's promise that an acknowledged write survives rests on them.
func checkPostgres(ctx context.Context, q *sql.DB) error {
	for _, name := range []string{"fsync", "full_page_writes"} {
		var v string
		if err := q.QueryRowContext(ctx, "SELECT current_setting('"+name+"')").Scan(&v); err != nil {
			return fmt.Errorf("postgres: read %s: %w", name, err)
		}
		if v != "on" {
			return fmt.Errorf("%w: PostgreSQL runs with %s = %s, so a crash or power loss can lose or corrupt committed data; set %s = on in postgresql.conf and restart it",
				ErrCorrupt, name, v, name)
		}
	}
	return nil
}

// column reads the first column of every row of q as text.
func column(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(sql.NullString)
		}
		if err := rows.Scan(vals...); err != nil {
			return nil, err
		}
		out = append(out, strings.TrimSpace(vals[0].(*sql.NullString).String))
	}
	return out, rows.Err()
}
