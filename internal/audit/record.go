package audit

import (
	"context"
	"database/sql"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// Actor is who writes (org.Actor): it makes the entry of its action.
type Actor interface {
	Entry(action, objectType string, objectID int64, before, after any) Entry
}

// Insert is the register path services share: in one transaction, insert
// the record, read it back with get and audit it as action.
func Insert[T any](ctx context.Context, d *db.DB, a Actor, action, objectType string,
	insert func(tx *db.Tx) (int64, error), get func(context.Context, db.Querier, int64) (T, error)) (T, error) {
	var out T
	err := d.InTx(ctx, func(tx *db.Tx) error {
		id, err := insert(tx)
		if err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return Append(ctx, tx, a.Entry(action, objectType, id, nil, out))
	})
	return out, err
}

// Update is the edit path services share: in one transaction, read the
// record, run update (one row, at the version the caller read: a stale
// version is a conflict carrying the current record), read it back and
// audit the change as action.
func Update[T any](ctx context.Context, d *db.DB, a Actor, action, objectType string, id int64,
	get func(context.Context, db.Querier, int64) (T, error), update func(tx *db.Tx, before T) (sql.Result, error)) (T, error) {
	var out T
	err := d.InTx(ctx, func(tx *db.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := update(tx, before)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return Append(ctx, tx, a.Entry(action, objectType, id, before, out))
	})
	return out, err
}
