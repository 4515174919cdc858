package enterprise_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestSearchWhileIndexBuilds: a server that has just started, whose index
// is not built yet, answers every search from SQL with exactly what the
// index answers — the same page in the same order and the same total —
// for pieces of names of every length, filters, sorts, pages, a credit
// code and an archived enterprise; once built, it takes the fast path.
func TestSearchWhileIndexBuilds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		ctx := context.Background()
		rows := synth.Rows(11, 4000)
		importRows(t, a, rows)
		gone, err := a.Enterprise.Get(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Enterprise.Archive(ctx, all, gone.ID, true, gone.Version); err != nil {
			t.Fatal(err)
		}
		// The restarted server: its Warm has not run yet.
		restarted := app.New(d, app.Config{Auth: auth.Defaults()})
		restarted.Enterprise.WarmLater()
		r := rand.New(rand.NewPCG(3, 4))
		queries := []enterprise.Query{
			{Q: rows[20].CreditCode, Limit: 20},
			{Q: rows[6].Name, Limit: 20}, // archived: found by neither
			{Q: "有限", Tags: []string{"no_such_tag"}, Limit: 20},
		}
		for i := 0; i < 120; i++ {
			queries = append(queries, enterprise.RandomQuery(r, rows, i, 4))
		}
		big := 0
		for _, q := range queries {
			want, wantTotal, err := a.Enterprise.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got, total, err := restarted.Enterprise.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if total != wantTotal || fmt.Sprint(ids(got)) != fmt.Sprint(ids(want)) {
				t.Fatalf("%+v: from SQL %d %v, from the index %d %v", q, total, ids(got), wantTotal, ids(want))
			}
			if total > 100 {
				big++
			}
		}
		if big < 10 {
			t.Fatalf("only %d queries match over 100 rows: the comparison proves little", big)
		}
		if restarted.Enterprise.Indexed() {
			t.Fatal("the searches built the index instead of answering from SQL")
		}
		if err := restarted.Enterprise.Warm(ctx); err != nil || !restarted.Enterprise.Indexed() {
			t.Fatalf("warm: %v", err)
		}
	})
}

func ids(es []enterprise.Enterprise) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
