package audit

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// VerifyResult says whether the chain holds and, if not, where it breaks.
type VerifyResult struct {
	OK         bool   `json:"ok"`
	Checked    int64  `json:"checked"`
	FirstBadID *int64 `json:"first_bad_id"`
	Message    string `json:"message"`
}

// Verify recomputes every hash in id order and names the first row whose
// stored hash or link to its predecessor does not match.
func Verify(ctx context.Context, q db.Querier) (VerifyResult, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, user_id, username, unit_id, client_addr, action,
		object_type, object_id, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return VerifyResult{}, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	res := VerifyResult{OK: true}
	prev := genesis
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.UnitID, &r.ClientAddr, &r.Action,
			&r.ObjectType, &r.ObjectID, &r.Before, &r.After, &r.PrevHash, &r.Hash); err != nil {
			return VerifyResult{}, fmt.Errorf("audit verify scan: %w", err)
		}
		res.Checked++
		switch {
		case r.PrevHash != prev:
			return bad(res, r.ID, fmt.Sprintf("row %d does not link to the row before it (a row was removed or re-linked)", r.ID)), nil
		case r.computeHash() != r.Hash:
			return bad(res, r.ID, fmt.Sprintf("row %d was altered after it was written", r.ID)), nil
		}
		prev = r.Hash
	}
	if err := rows.Err(); err != nil {
		return VerifyResult{}, err
	}
	res.Message = fmt.Sprintf("%d rows checked, chain intact", res.Checked)
	return res, nil
}

func bad(res VerifyResult, id int64, msg string) VerifyResult {
	res.OK = false
	res.FirstBadID = &id
	res.Message = msg
	return res
}
