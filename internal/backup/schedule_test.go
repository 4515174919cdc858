package backup

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestScheduleOncePerPeriodWithRetention: a backup is due at once, not
// again within the period, due after it; the newest Keep are kept and the
// older files removed. On PostgreSQL two servers' schedules run at the same
// moment and one backup is taken.
func TestScheduleOncePerPeriodWithRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		needPgDump(t, d)
		ctx := context.Background()
		seed(t, d)
		clock := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
		Now = func() time.Time { return clock }
		defer func() { Now = time.Now }()
		dir := t.TempDir()
		s := &Schedule{DB: d, Dir: dir, Every: time.Hour, Keep: 2}
		files := []string{}
		if d.Dialect == db.Postgres {
			other, err := db.Open(ctx, d.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			two := []*Schedule{s, {DB: other, Dir: dir, Every: time.Hour, Keep: 2}}
			got := make([]string, 2)
			var wg sync.WaitGroup
			for i, sc := range two {
				wg.Add(1)
				go func() {
					defer wg.Done()
					f, err := sc.RunOnce(ctx)
					if err != nil {
						t.Error(err)
					}
					got[i] = f
				}()
			}
			wg.Wait()
			if (got[0] == "") == (got[1] == "") {
				t.Fatalf("two servers at once took %q and %q: want exactly one backup", got[0], got[1])
			}
			files = append(files, got[0]+got[1])
		} else {
			f, err := s.RunOnce(ctx)
			if err != nil || f == "" {
				t.Fatalf("first run: %q %v", f, err)
			}
			files = append(files, f)
		}
		clock = clock.Add(59 * time.Minute)
		if f, err := s.RunOnce(ctx); err != nil || f != "" {
			t.Fatalf("within the period: %q %v", f, err)
		}
		for range 2 {
			clock = clock.Add(time.Hour)
			f, err := s.RunOnce(ctx)
			if err != nil || f == "" {
				t.Fatalf("due: %q %v", f, err)
			}
			files = append(files, f)
		}
		if _, err := os.Stat(files[0]); !os.IsNotExist(err) {
			t.Fatalf("the oldest of three backups with Keep 2 is still there: %v", err)
		}
		for _, f := range files[1:] {
			if _, err := os.Stat(f); err != nil {
				t.Fatalf("kept backup: %v", err)
			}
		}
		var kept, removed int
		if err := d.Reader().QueryRowContext(ctx, `SELECT SUM(CASE WHEN removed_at IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN removed_at IS NULL THEN 0 ELSE 1 END) FROM backups`).Scan(&kept, &removed); err != nil {
			t.Fatal(err)
		}
		if kept != 2 || removed != 1 {
			t.Fatalf("backups table: %d kept, %d removed", kept, removed)
		}
		last, err := s.LastTaken(ctx)
		if err != nil || !last.Equal(clock) {
			t.Fatalf("last taken %v, want %v (%v)", last, clock, err)
		}
	})
}
