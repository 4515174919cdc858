package db

import (
	"context"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Generation is the one protocol by which a server's in-memory copy of a
// table (the project mirror, the enterprise index) stays current: every
// transaction that writes rows of the table stamps them (column gen) with
// Next; a reader that holds every write up to generation `held` asks
// Since, rereads the rows with gen > held, and then holds `settled`.
//
// The guarantee readers rely on: once Since has answered `settled`, no
// transaction still to commit stamps a generation ≤ settled. Two ways to
// keep it:
//
//   - Serial (SQLite always, and kinds that ask for it): Next increments the
//     kind's row in counters. The writer holds that row's lock until it
//     commits, so generations become visible in order and settled is the
//     counter itself. On SQLite writers are one at a time anyway; on
//     PostgreSQL every writer of the kind queues on the row.
//   - Snapshot (PostgreSQL, the default): Next is the writing transaction's
//     own id (pg_current_xact_id, 64 bits, never reused) and takes no lock.
//     Ids are handed out in start order, not commit order, so a reader only
//     advances to just below the oldest transaction still in flight
//     (pg_snapshot_xmin of its snapshot): everything below it has committed
//     or rolled back, and is visible to the reader's next statement. Rows of
//     transactions above it that have already committed are read now and
//     read again until the horizon passes them (a reader skips a row whose
//     gen it already holds), so a long transaction anywhere on the server
//     makes readers reread the few rows written meanwhile, never miss one.
type Generation struct {
	Name   string // the kind: its row in counters
	Table  string // the table whose rows carry gen (indexed)
	Serial bool   // take the counter on PostgreSQL too (see above)
}

// snapshot reports whether g numbers by transaction id on this dialect.
func (g Generation) snapshot(d Dialect) bool { return d == Postgres && !g.Serial }

// Next is the generation to stamp on the rows tx writes. A transaction may
// call it more than once; in the serial protocol each call is a new value.
func (g Generation) Next(ctx context.Context, tx *Tx) (int64, error) {
	var n int64
	q := `UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value`
	if g.snapshot(tx.Dialect()) {
		q = `SELECT pg_current_xact_id()::text::bigint`
		return n, errs.Wrap(tx.QueryRowContext(ctx, q).Scan(&n), g.Name+" generation")
	}
	return n, errs.Wrap(tx.QueryRowContext(ctx, q, g.Name).Scan(&n), g.Name+" generation")
}

// Since answers, for a reader holding every write up to held, the
// generation it may hold once it has reread the rows with gen > held
// (settled), and whether there are any (changed). One statement.
func (g Generation) Since(ctx context.Context, q Querier, held int64) (settled int64, changed bool, err error) {
	if g.snapshot(q.Dialect()) {
		// xmin is the oldest transaction still running: every id below it is
		// decided. The EXISTS runs in the same snapshot; the rows themselves
		// are read by a later statement, which sees at least as much.
		err = q.QueryRowContext(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1,
			EXISTS (SELECT 1 FROM `+g.Table+` WHERE gen > ?)`, held).Scan(&settled, &changed)
		return settled, changed, errs.Wrap(err, g.Name+" generation")
	}
	err = q.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = ?`, g.Name).Scan(&settled)
	return settled, settled > held, errs.Wrap(err, g.Name+" generation")
}

// Latest is the newest generation committed to the table (0 for none):
// how far a reader holding `held` trails is Latest − held.
func (g Generation) Latest(ctx context.Context, q Querier) (int64, error) {
	var n int64
	query := `SELECT value FROM counters WHERE name = ?`
	args := []any{g.Name}
	if g.snapshot(q.Dialect()) {
		query, args = `SELECT COALESCE(MAX(gen), 0) FROM `+g.Table, nil
	}
	return n, errs.Wrap(q.QueryRowContext(ctx, query, args...).Scan(&n), g.Name+" generation")
}
