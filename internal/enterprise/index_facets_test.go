package enterprise

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/zhaoqing/attract/internal/enterprise/synth"
)

// TestFastRankEqualsPass: the facets' answer (bitmap intersections for the
// total, the best buckets for the page) is exactly the full pass's, for
// common pieces of names and no piece at all, every filter and sort, with
// many ties, pages past the first, and after writes change, add and
// archive rows (the facets follow them).
func TestFastRankEqualsPass(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	rows := synth.Rows(13, 12000)
	var docs []doc
	for i, row := range rows {
		docs = append(docs, randomDoc(r, int64(i+1), row))
	}
	x := build(docs, 1)
	defer func(v uint64) { fastFrom = v }(fastFrom)
	compare := func(round string) {
		t.Helper()
		for i := 0; i < 300; i++ {
			q := RandomQuery(r, rows, i, 2)
			fastFrom = 1 << 62
			want := x.search(q)
			fastFrom = 0
			got := x.search(q)
			if got.Total != want.Total || fmt.Sprint(got.IDs) != fmt.Sprint(want.IDs) {
				t.Fatalf("%s: %+v: fast %d %v, pass %d %v", round, q, got.Total, got.IDs, want.Total, want.IDs)
			}
		}
	}
	compare("built")
	// Writes: changed rows (new values, new slots), new rows, archived rows.
	var changed []doc
	var archived []int64
	for i := 0; i < 500; i++ {
		id := int64(1 + r.IntN(len(rows)))
		if i%5 == 0 {
			archived = append(archived, id)
			continue
		}
		changed = append(changed, randomDoc(r, id, rows[r.IntN(len(rows))]))
	}
	for i := 0; i < 300; i++ {
		changed = append(changed, randomDoc(r, int64(len(rows)+1+i), rows[r.IntN(len(rows))]))
	}
	x.apply(changed, archived, 2)
	compare("after writes")
}

// RandomQuery is the i-th of a series of searches for the tests: a piece
// of a name of up to maxLen characters (none for every tenth), each filter
// and sort in turn, several page sizes and pages.
func RandomQuery(r *rand.Rand, rows []synth.Row, i, maxLen int) Query {
	name := []rune(rows[r.IntN(len(rows))].Name)
	n := 1 + r.IntN(maxLen)
	at := r.IntN(len(name) - n + 1)
	q := Query{Q: string(name[at : at+n]), Limit: []int{20, 50, 0}[r.IntN(3)], Offset: []int{0, 0, 40}[r.IntN(3)],
		Sort: []string{"capital", "name", "revenue", "staff", ""}[r.IntN(5)]}
	if i%10 == 0 {
		q.Q = ""
	}
	capMin, capMax := int64(r.IntN(20)*50000), int64(600000+r.IntN(20)*50000)
	yes, no := true, false
	switch i % 9 {
	case 0:
		q.Industry = synth.Trades[r.IntN(len(synth.Trades))].Industry[:2]
	case 1:
		q.Region = synth.Places[r.IntN(len(synth.Places))].Code
	case 2:
		q.Tags = []string{"high_tech"}
	case 3:
		q.CapitalMin = &capMin
	case 4:
		q.CapitalMin, q.CapitalMax = &capMin, &capMax
	case 5:
		q.Target, q.Known = &yes, "staff"
	case 6:
		q.Target, q.Status = &no, Statuses[r.IntN(len(Statuses))]
	case 7:
		q.Owners = map[int64]bool{2: true, 3: true}
	case 8:
		q.NoOwner, q.Industry, q.Known = true, "C", "revenue"
	}
	return q
}

func randomDoc(r *rand.Rand, id int64, row synth.Row) doc {
	d := doc{ID: id, Text: normalise(row.Name), Industry: row.Industry, Region: row.Region,
		Capital: int64(r.IntN(40)) * 25000, Revenue: -1, Staff: int64(r.IntN(30)) - 1, Status: Statuses[r.IntN(len(Statuses))],
		Owner: int64(r.IntN(4)), Target: r.IntN(3) > 0}
	if r.IntN(3) > 0 {
		d.Revenue = int64(r.IntN(50)) * 1000
	}
	for _, tag := range []string{"high_tech", "listed", "specialised"} {
		if r.IntN(3) == 0 {
			d.Tags = append(d.Tags, tag)
		}
	}
	return d
}
