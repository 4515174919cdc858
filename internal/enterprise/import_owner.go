package enterprise

import (
	"context"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// An import's upsert is an edit of every known enterprise it names, so it
// applies PUT's rule (mayChange): an enterprise another unit courts, outside
// the importer's scope, is that row's error, not an overwrite.

// lockedCodes are the credit codes of the enterprises the actor may not change.
func lockedCodes(ctx context.Context, q db.Querier, a *org.Actor) (map[string]bool, error) {
	cond, args := a.ScopeSQL("id", "")
	rows, err := q.QueryContext(ctx, `SELECT credit_code FROM enterprises WHERE owner_unit_id IS NOT NULL
		AND owner_unit_id NOT IN (SELECT id FROM units WHERE `+cond+`)`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "owned enterprises")
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, errs.Wrap(err, "owned enterprises")
		}
		out[c] = true
	}
	return out, rows.Err()
}

// auditUpdated writes one entry per enterprise the import changed, with its
// stored values before (read outside the import's transaction, which has
// not committed yet) and after.
func (s *Service) auditUpdated(ctx context.Context, tx *db.Tx, a *org.Actor, ids []int64) error {
	for i := 0; i < len(ids); i += 500 {
		batch := ids[i:min(i+500, len(ids))]
		before, err := byIDs(ctx, s.DB.Reader(), batch)
		if err != nil {
			return errs.Wrap(err, "import: before")
		}
		after, err := byIDs(ctx, tx, batch)
		if err != nil {
			return errs.Wrap(err, "import: after")
		}
		old := map[int64]Enterprise{}
		for _, e := range before {
			old[e.ID] = e
		}
		for _, e := range after {
			if err := audit.Append(ctx, tx, a.Entry("enterprise.import_update", "enterprise", e.ID, old[e.ID], e)); err != nil {
				return err
			}
		}
	}
	return nil
}
