package assess_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/bench"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestFiguresFromMirrorEqualSQL: every month's statistics over generated
// years of projects (shared credits, terminations, merges' absence aside)
// are the same whether the projects are read by SQL or from the mirror.
func TestFiguresFromMirrorEqualSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		today := civil.Of(time.Now())
		a, _, err := bench.Populate(ctx, d, 2000, 0, today, 5)
		if err != nil {
			t.Fatal(err)
		}
		signed := 0
		for y := today.Year() - 3; y <= today.Year(); y++ {
			for m := 1; m <= 12; m++ {
				if y == today.Year() && m > today.Month() {
					break
				}
				viaSQL, viaMirror, err := a.Assess.ComputeBoth(ctx, assess.Period{Year: y, Month: m})
				if err != nil {
					t.Fatal(err)
				}
				x, _ := json.Marshal(viaSQL)
				z, _ := json.Marshal(viaMirror)
				if string(x) != string(z) {
					t.Fatalf("%d-%02d: SQL %s\nmirror %s", y, m, x, z)
				}
				signed += int(viaSQL.City.Month.CountBP)
			}
		}
		if signed == 0 {
			t.Fatal("no project signed in four years: the comparison proves nothing")
		}
		// The cockpit's own parts, for the city and for units' scopes.
		for _, who := range []string{"zsb_staff", "dz_staff", "gy_staff", "wg_nev"} {
			actor, err := a.ActorByName(ctx, who)
			if err != nil {
				t.Fatal(err)
			}
			for _, y := range []int{today.Year(), today.Year() - 1} {
				viaSQL, viaMirror, err := a.Assess.CockpitPartsBoth(ctx, actor, y)
				if err != nil {
					t.Fatal(err)
				}
				x, _ := json.Marshal(viaSQL)
				z, _ := json.Marshal(viaMirror)
				if string(x) != string(z) {
					t.Fatalf("%s %d: SQL %s\nmirror %s", who, y, x, z)
				}
				if who == "zsb_staff" && (len(viaSQL.Big) == 0 || len(viaSQL.Regions) < 2) {
					t.Fatalf("%d: no big projects or regions: the comparison proves little: %s", y, x)
				}
			}
		}
	})
}
