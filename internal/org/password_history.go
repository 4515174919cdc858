package org

import (
	"context"

	"github.com/zhaoqing/attract/internal/auth/password"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// HistoryDepth is how many earlier passwords a new one may not repeat (the
// current one and the four before it).
const HistoryDepth = 5

// CheckNotReused refuses a password equal to the user's current one or one
// of the HistoryDepth-1 before it.
func CheckNotReused(ctx context.Context, q db.Querier, userID int64, field, pw string) error {
	rows, err := q.QueryContext(ctx, `SELECT password_hash FROM users WHERE id = ?
		UNION ALL SELECT hash FROM (SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?) h`, userID, userID, HistoryDepth-1)
	if err != nil {
		return errs.Wrap(err, "password history")
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return errs.Wrap(err, "password history")
		}
		if password.Verify(pw, h) {
			return errs.E(errs.Invalid, "新密码不能与最近 5 次使用过的密码相同", "the new password must differ from the last 5").
				Field(field, "最近 5 次内用过", "used in the last 5")
		}
	}
	return errs.Wrap(rows.Err(), "password history")
}

// RememberPassword keeps the user's current hash before it is replaced.
func RememberPassword(ctx context.Context, tx *db.Tx, userID int64, now any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO password_history (user_id, hash, created_at) SELECT id, password_hash, ? FROM users WHERE id = ?`, now, userID)
	return errs.Wrap(err, "remember password")
}
