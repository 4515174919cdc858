package db_test

import (
	"context"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

func TestMigrateAndRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Migrating twice is a no-op.
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var id int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return tx.QueryRowContext(ctx, `INSERT INTO dict_items (type, code, label_zh, label_en, sort, enabled, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`,
				"channel", "team", "小分队招商", "small team", 1, true).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		var label string
		var enabled bool
		if err := d.Reader().QueryRowContext(ctx, `SELECT label_zh, enabled FROM dict_items WHERE id = ?`, id).Scan(&label, &enabled); err != nil {
			t.Fatal(err)
		}
		if label != "小分队招商" || !enabled {
			t.Fatalf("got %q %v", label, enabled)
		}
	})
}

func TestCivilDateRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		want := civil.MustParse("2024-02-29")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, kind, path, effective_from, created_at, updated_at)
				VALUES ('441200', '肇庆市招商委员会办公室', 'commission_office', '/1/', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, want)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var got civil.Date
		if err := d.Reader().QueryRowContext(ctx, `SELECT effective_from FROM units WHERE code = '441200'`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("got %s want %s", got, want)
		}
		var n int
		if err := d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE effective_from <= ?`, civil.MustParse("2024-03-01")).Scan(&n); err != nil || n != 1 {
			t.Fatalf("date comparison: n=%d err=%v", n, err)
		}
	})
}

func TestRollbackLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_ = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dict_items (type, code, label_zh, label_en, created_at, updated_at) VALUES ('x','y','z','z',CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO dict_items (type, code, label_zh, label_en, created_at, updated_at) VALUES ('x','y','z','z',CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)`)
			if !db.IsUniqueViolation(err) {
				t.Errorf("want unique violation, got %v", err)
			}
			return err
		})
		var n int
		_ = d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM dict_items`).Scan(&n)
		if n != 0 {
			t.Fatalf("rolled-back rows remain: %d", n)
		}
	})
}

// InTxSetup runs its setup on the transaction's connection and resets it
// afterwards, whether the transaction commits or not.
func TestInTxSetup(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	fk := func(q db.Querier) (on int) {
		if err := q.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil {
			t.Fatal(err)
		}
		return on
	}
	for _, fail := range []bool{false, true} {
		err := d.InTxSetup(ctx, []string{`PRAGMA foreign_keys = OFF`}, []string{`PRAGMA foreign_keys = ON`}, func(tx *db.Tx) error {
			if fk(tx) != 0 {
				t.Error("setup not applied in the transaction")
			}
			if fail {
				return context.Canceled
			}
			return nil
		})
		if (err != nil) != fail {
			t.Fatalf("fail=%v: %v", fail, err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if fk(tx) != 1 {
				t.Errorf("fail=%v: foreign keys left off", fail)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}
