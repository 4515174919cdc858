package audit_test

import (
	"context"
	"testing"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

func appendN(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{UserID: 7, Username: "sysadmin", UnitID: 1, ClientAddr: "10.0.0.8"},
				Action: "unit.rename", ObjectType: "unit", ObjectID: "3",
				Before: map[string]string{"name": "旧名称"}, After: map[string]string{"name": "新名称"}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestVerifyDetectsDirectEdit edits a row behind the application's back (as
// a DBA could, after dropping the append-only trigger) and expects verify to
// name exactly that row.
func TestVerifyDetectsDirectEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		appendN(t, d, 5)
		res, err := audit.Verify(ctx, d.Reader())
		if err != nil || !res.OK || res.Checked != 5 {
			t.Fatalf("intact chain: %+v %v", res, err)
		}
		// The trigger refuses edits through SQL.
		if _, err := d.W.ExecContext(ctx, `UPDATE audit_log SET after_json = '{}' WHERE id = 3`); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := d.W.ExecContext(ctx, `DELETE FROM audit_log WHERE id = 3`); err == nil {
			t.Fatal("audit_log accepted a DELETE")
		}
		drop := `DROP TRIGGER audit_log_no_update`
		if d.Dialect == db.Postgres {
			drop = `DROP TRIGGER audit_log_no_change ON audit_log`
		}
		if _, err := d.W.ExecContext(ctx, drop); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE audit_log SET after_json = '{"name":"篡改"}' WHERE id = 3`); err != nil {
			t.Fatal(err)
		}
		res, err = audit.Verify(ctx, d.Reader())
		if err != nil {
			t.Fatal(err)
		}
		if res.OK || res.FirstBadID == nil || *res.FirstBadID != 3 {
			t.Fatalf("want first bad row 3, got %+v", res)
		}
	})
}

// TestVerifyDetectsRemovedRow deletes a middle row: the next row no longer
// links to its predecessor.
func TestVerifyDetectsRemovedRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		appendN(t, d, 4)
		drop := `DROP TRIGGER audit_log_no_delete`
		if d.Dialect == db.Postgres {
			drop = `DROP TRIGGER audit_log_no_change ON audit_log`
		}
		if _, err := d.W.ExecContext(ctx, drop); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `DELETE FROM audit_log WHERE id = 2`); err != nil {
			t.Fatal(err)
		}
		res, _ := audit.Verify(ctx, d.Reader())
		if res.OK || *res.FirstBadID != 3 {
			t.Fatalf("want break at row 3, got %+v", res)
		}
	})
}
