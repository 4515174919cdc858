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
	Keyed      bool   `json:"keyed"`      // a key is configured: rows are HMACs
	Checkpoint *Head  `json:"checkpoint"` // the anchor compared against, when there is one
}

// Verify recomputes every hash in id order and names the first row whose
// stored hash or link to its predecessor does not match; with a key, it
// also refuses an unkeyed row after the first keyed one (written by someone
// without the key), and compares the tail with the checkpoint outside the
// database (rows deleted at the end, or all of them, or the chain rebuilt).
func Verify(ctx context.Context, q db.Querier) (VerifyResult, error) {
	k, path := current()
	res := VerifyResult{OK: true, Keyed: len(k) > 0}
	var head Head
	var anchored bool
	if res.Keyed && path != "" {
		h, ok, err := readCheckpoint(path, k)
		if err != nil {
			return bad(res, 0, "checkpoint: "+err.Error()), nil
		}
		head, anchored = h, ok
		if ok {
			res.Checkpoint = &h
		}
	}
	// After a purge the chain starts at the last purged row's hash, named
	// by the purge's own (sealed, so unforgeable) row; Verify checks that
	// row like every other.
	start, err := chainStart(ctx, q)
	if err != nil {
		return VerifyResult{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, at, user_id, username, unit_id, client_addr, action,
		object_type, object_id, before_json, after_json, prev_hash, hash, keyed FROM audit_log ORDER BY id`)
	if err != nil {
		return VerifyResult{}, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	prev, sawKeyed, last, sawAnchor := start, false, int64(0), false
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.UnitID, &r.ClientAddr, &r.Action,
			&r.ObjectType, &r.ObjectID, &r.Before, &r.After, &r.PrevHash, &r.Hash, &r.Keyed); err != nil {
			return VerifyResult{}, fmt.Errorf("audit verify scan: %w", err)
		}
		res.Checked++
		if msg := check(r, prev, k, sawKeyed || anchored && head.FirstKeyedID > 0 && r.ID >= head.FirstKeyedID); msg != "" {
			return bad(res, r.ID, msg), nil
		}
		if anchored && r.ID == head.LastID {
			if r.Hash != head.LastHash {
				return bad(res, r.ID, fmt.Sprintf("row %d differs from the checkpoint (the chain was rebuilt)", r.ID)), nil
			}
			sawAnchor = true
		}
		sawKeyed = sawKeyed || r.Keyed
		prev, last = r.Hash, r.ID
	}
	if err := rows.Err(); err != nil {
		return VerifyResult{}, err
	}
	if anchored && head.LastID > 0 && !sawAnchor {
		return bad(res, head.LastID, fmt.Sprintf("the checkpoint names row %d, but the log ends at row %d: rows were deleted at the tail", head.LastID, last)), nil
	}
	res.Message = fmt.Sprintf("%d rows checked, chain intact", res.Checked)
	return res, nil
}

// check is one row's verdict ("" when it holds).
func check(r Row, prev string, k []byte, mustBeKeyed bool) string {
	switch {
	case r.PrevHash != prev:
		return fmt.Sprintf("row %d does not link to the row before it (a row was removed or re-linked)", r.ID)
	case r.Keyed && len(k) == 0:
		return fmt.Sprintf("row %d is sealed with the audit key: configure the key (ATTRACT_AUDIT_KEY_FILE) to verify it", r.ID)
	case mustBeKeyed && !r.Keyed:
		return fmt.Sprintf("row %d is not sealed with the audit key (written outside the application)", r.ID)
	case r.computeHash(k) != r.Hash:
		return fmt.Sprintf("row %d was altered after it was written", r.ID)
	}
	return ""
}

func bad(res VerifyResult, id int64, msg string) VerifyResult {
	res.OK = false
	if id > 0 {
		res.FirstBadID = &id
	}
	res.Message = msg
	return res
}
