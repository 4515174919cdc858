package pii

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// SealRows encrypts, in place, the values of a table's columns that are
// still plaintext (rows written before a key was configured) and returns
// how many rows it changed. Each capability calls it on start for its own
// tables; table and columns are constants of the caller, never input.
func SealRows(ctx context.Context, tx *db.Tx, table string, cols ...string) (int, error) {
	if current() == nil {
		return 0, nil
	}
	type row struct {
		id   int64
		vals []string
	}
	var todo []row
	sel := "SELECT id"
	for _, c := range cols {
		sel += ", " + c
	}
	rows, err := tx.QueryContext(ctx, sel+" FROM "+table+" ORDER BY id")
	if err != nil {
		return 0, fmt.Errorf("seal %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		r := row{vals: make([]string, len(cols))}
		dst := []any{&r.id}
		for i := range r.vals {
			dst = append(dst, &r.vals[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return 0, fmt.Errorf("seal %s: %w", table, err)
		}
		for _, v := range r.vals {
			if v != "" && !Sealed(v) {
				todo = append(todo, r)
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("seal %s: %w", table, err)
	}
	rows.Close()
	for _, r := range todo {
		set, args := "", []any{}
		for i, c := range cols {
			if set != "" {
				set += ", "
			}
			set += c + " = ?"
			v := r.vals[i]
			if !Sealed(v) {
				v = Seal(v)
			}
			args = append(args, v)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+set+" WHERE id = ?", append(args, r.id)...); err != nil {
			return 0, fmt.Errorf("seal %s: %w", table, err)
		}
	}
	return len(todo), nil
}
