package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Retention is the least time an audit row is kept (GB/T 22239 asks six
// months; 184 days covers the longest six). Nothing younger can be purged.
const Retention = 184 * 24 * time.Hour

// purgeMark is the audit row a purge appends. A purge keeps the newest of
// the old rows (KeptFromID) and removes those before it; the mark names the
// hash that row links to, so that Verify starts the chain there. The mark is
// sealed with the key like any other row: a forged one fails verification.
type purgeMark struct {
	KeptFromID int64     `json:"kept_from_id"`
	PrevHash   string    `json:"prev_hash"`
	Rows       int64     `json:"rows"`
	Before     time.Time `json:"before"`
}

// ErrTooYoung refuses a purge that would reach rows within the retention.
var ErrTooYoung = errs.E(errs.Invalid, "审计日志至少保存 184 天，不能清理更近的记录", "audit rows are kept at least 184 days; younger rows cannot be purged")

// Purge removes the audit rows written before `before` (which must be at
// least Retention ago) but the newest of them, and appends a purge mark. It is an operator's
// command, run as the owner of audit_log: the append-only triggers are
// lifted for the one DELETE in the same transaction (the application's own
// role, not owning the table, cannot do that).
func Purge(ctx context.Context, d *db.DB, before, now time.Time) (int64, error) {
	if now.Sub(before) < Retention {
		return 0, ErrTooYoung
	}
	var mark purgeMark
	mark.Before = before.UTC()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, prev_hash FROM audit_log WHERE at < ? ORDER BY id DESC LIMIT 1`, before.UTC()).Scan(&mark.KeptFromID, &mark.PrevHash)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return errs.Wrap(err, "purge head")
		}
		var young int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE id < ? AND at >= ?`, mark.KeptFromID, now.UTC().Add(-Retention)).Scan(&young); err != nil {
			return errs.Wrap(err, "purge check")
		}
		if young > 0 {
			return ErrTooYoung
		}
		lift, restore := `DROP TRIGGER audit_log_no_delete`, `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`
		if tx.Dialect() == db.Postgres {
			lift, restore = `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`
		}
		if _, err := tx.ExecContext(ctx, lift); err != nil {
			return fmt.Errorf("purge (run it as the owner of audit_log): %w", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id < ?`, mark.KeptFromID)
		if err != nil {
			return errs.Wrap(err, "purge")
		}
		mark.Rows, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, restore); err != nil {
			return errs.Wrap(err, "purge restore trigger")
		}
		return Append(ctx, tx, Entry{Who: Who{Username: "operator"}, Action: "audit.purge", ObjectType: "audit_log", After: mark})
	})
	return mark.Rows, err
}

// chainStart is where Verify's chain begins: the genesis, or the hash the
// first kept row links to, named by the newest purge mark.
func chainStart(ctx context.Context, q db.Querier) (string, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT after_json FROM audit_log WHERE action = 'audit.purge' ORDER BY id DESC LIMIT 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return genesis, nil
	}
	if err != nil {
		return "", fmt.Errorf("audit purge mark: %w", err)
	}
	var m purgeMark
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m.PrevHash == "" {
		return "", fmt.Errorf("audit purge mark unreadable")
	}
	return m.PrevHash, nil
}
