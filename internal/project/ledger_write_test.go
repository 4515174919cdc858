package project

import (
	"context"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// The SQLite import writes with foreign keys off and checks the units and
// the user its rows name itself: a missing one fails the transaction.
func TestCheckForeignKeys(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO units (id, code, name, kind, path, effective_from, created_at, updated_at)
			VALUES (7, '441202', '端州区', 'locality', '/7/', '2020-01-01', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		units map[int64]bool
		user  int64
		ok    bool
	}{
		{map[int64]bool{7: true}, 0, true},
		{map[int64]bool{7: true, 8: true}, 0, false},
		{map[int64]bool{7: true}, 42, false},
		{map[int64]bool{}, 0, true},
	} {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return checkForeignKeys(ctx, tx, &org.Actor{UnitID: 7, UserID: c.user}, c.units)
		})
		if (err == nil) != c.ok {
			t.Errorf("units %v, user %d: %v", c.units, c.user, err)
		}
	}
}

func TestPGDate(t *testing.T) {
	if got := pgDate(civil.MustParse("2025-03-01")); got != time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("pgDate = %v", got)
	}
	if got := pgDate(civil.Date{}); got != nil {
		t.Errorf("pgDate(zero) = %v", got)
	}
}
