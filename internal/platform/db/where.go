package db

import (
	"database/sql"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Where gathers the conditions of a dynamic filter. Conditions are plain SQL
// with "?" placeholders; values travel as arguments, never as text.
type Where struct {
	parts []string
	args  []any
}

// Add appends one condition joined with AND.
func (w *Where) Add(cond string, args ...any) {
	w.parts = append(w.parts, cond)
	w.args = append(w.args, args...)
}

// SQL is " WHERE a AND b", or "" with no conditions.
func (w *Where) SQL() string {
	if len(w.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.parts, " AND ")
}

// Args are the values for the placeholders, in order.
func (w *Where) Args() []any { return w.args }

// Like escapes a user's search text for a LIKE pattern "%text%".
func Like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// OneRow turns a versioned UPDATE that matched no row into a 409 carrying
// the current record: someone changed it between our read and our write.
func OneRow(res sql.Result, err error, current any) error {
	if err != nil {
		return errs.Wrap(err, "update")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return errs.Wrap(err, "rows affected")
	}
	if n != 1 {
		return errs.Stale(current)
	}
	return nil
}
