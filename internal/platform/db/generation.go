package db

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Generation is the one protocol by which a server's in-memory copy of a
// table (the project mirror, the enterprise index) stays current: every
// transaction that writes rows of the table stamps them (column gen) with
// Next; a reader holds a Mark of the writes it has read, asks Since for
// the next one, rereads the rows its held Mark's Where selects, and then
// holds the next Mark.
//
// The guarantee readers rely on: the writes a Mark counts as read are all
// committed or rolled back — no transaction still to commit stamps a
// generation the Mark covers. Two ways to keep it:
//
//   - Serial (SQLite always, and kinds that ask for it): Next increments the
//     kind's row in counters. The writer holds that row's lock until it
//     commits, so generations become visible in order and the Mark is the
//     counter itself. On SQLite writers are one at a time anyway; on
//     PostgreSQL every writer of the kind queues on the row.
//   - Snapshot (PostgreSQL, the default): Next is the writing transaction's
//     own id (pg_current_xact_id, 64 bits, never reused) and takes no lock.
//     Ids are handed out in start order, not commit order, so a reader's
//     Mark is its snapshot: every id below the snapshot's xmax except those
//     then in flight (pg_snapshot_xip) is decided. Only the rows above xmax
//     or stamped by those in-flight ids are read again, so a long
//     transaction anywhere on the server costs readers nothing but the
//     check of its own id.
type Generation struct {
	Name   string // the kind: its row in counters
	Table  string // the table whose rows carry gen (indexed)
	Serial bool   // take the counter on PostgreSQL too (see above)
}

// Mark is the writes a reader has read: every generation below Below,
// except those in Open (in flight when the Mark was taken). The zero Mark
// has read nothing.
type Mark struct {
	Below int64
	Open  []int64
}

// Where is the condition on gen selecting the rows written after the Mark.
func (m Mark) Where() (string, []any) {
	if len(m.Open) == 0 {
		return "gen >= ?", []any{m.Below}
	}
	return "(gen >= ? OR gen IN (" + strings.TrimSuffix(strings.Repeat("?,", len(m.Open)), ",") + "))", append([]any{m.Below}, toAny(m.Open)...)
}

// Newest is the newest generation a Mark surely covers (for the metrics).
func (m Mark) Newest() int64 {
	if len(m.Open) > 0 {
		return slices.Min(m.Open) - 1
	}
	return m.Below - 1
}

func toAny(v []int64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// snapshot reports whether g numbers by transaction id on this dialect.
func (g Generation) snapshot(d Dialect) bool { return d == Postgres && !g.Serial }

// Next is the generation to stamp on the rows tx writes. A transaction may
// call it more than once; in the serial protocol each call is a new value.
func (g Generation) Next(ctx context.Context, tx *Tx) (int64, error) {
	var n int64
	if g.snapshot(tx.Dialect()) {
		err := tx.QueryRowContext(ctx, `SELECT pg_current_xact_id()::text::bigint`).Scan(&n)
		return n, errs.Wrap(err, g.Name+" generation")
	}
	err := tx.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value`, g.Name).Scan(&n)
	return n, errs.Wrap(err, g.Name+" generation")
}

// Since answers, for a reader holding held, the Mark it may hold once it
// has reread the rows held.Where() selects, and whether there are any
// (changed). One statement; the rows are read by a later one, which sees
// at least what this one saw.
func (g Generation) Since(ctx context.Context, q Querier, held Mark) (next Mark, changed bool, err error) {
	if !g.snapshot(q.Dialect()) {
		var n int64
		err = q.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = ?`, g.Name).Scan(&n)
		return Mark{Below: n + 1}, n+1 > held.Below || len(held.Open) > 0, errs.Wrap(err, g.Name+" generation")
	}
	cond, args := held.Where()
	var open string
	err = q.QueryRowContext(ctx, `SELECT pg_snapshot_xmax(s)::text::bigint,
			COALESCE((SELECT string_agg(x::text, ',') FROM pg_snapshot_xip(s) x), ''),
			EXISTS (SELECT 1 FROM `+g.Table+` WHERE `+cond+`)
		FROM pg_current_snapshot() s`, args...).Scan(&next.Below, &open, &changed)
	if err != nil {
		return next, false, errs.Wrap(err, g.Name+" generation")
	}
	for _, f := range strings.Split(open, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			next.Open = append(next.Open, n)
		}
	}
	return next, changed, nil
}

// Latest is the newest generation committed to the table (0 for none):
// how far a reader trails is Latest less its Mark's Newest.
func (g Generation) Latest(ctx context.Context, q Querier) (int64, error) {
	var n int64
	query := `SELECT value FROM counters WHERE name = ?`
	args := []any{g.Name}
	if g.snapshot(q.Dialect()) {
		query, args = `SELECT COALESCE(MAX(gen), 0) FROM `+g.Table, nil
	}
	return n, errs.Wrap(q.QueryRowContext(ctx, query, args...).Scan(&n), g.Name+" generation")
}
