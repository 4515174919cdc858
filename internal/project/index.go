package project

import (
	"context"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// project_units lists every unit a project belongs to, so that data scope
// is one indexed lookup (measured in `attract bench`). Every write that
// changes those facts calls Reindex in its transaction. (A bigram table for
// keywords was tried and dropped: it tripled the ledger import's time and
// did not beat the LIKE scan on lists.)

// Reindex rebuilds project_units for the projects with ids in [from, to]
// and stamps them for the mirror (mirror.go).
func Reindex(ctx context.Context, tx *db.Tx, from, to int64) error {
	if err := stamp(ctx, tx, from, to); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM project_units WHERE project_id >= ? AND project_id <= ?`, from, to); err != nil {
		return errs.Wrap(err, "reindex")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO project_units (unit_id, project_id)
		SELECT owner_unit_id, id FROM projects WHERE id >= ? AND id <= ?
		UNION SELECT locality_unit_id, id FROM projects WHERE locality_unit_id IS NOT NULL AND id >= ? AND id <= ?
		UNION SELECT handover_to_unit_id, id FROM projects WHERE handover_to_unit_id IS NOT NULL AND id >= ? AND id <= ?
		UNION SELECT unit_id, project_id FROM project_introducers WHERE project_id >= ? AND project_id <= ?`,
		from, to, from, to, from, to, from, to)
	return errs.Wrap(err, "reindex units")
}
