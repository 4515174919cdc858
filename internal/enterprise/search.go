package enterprise

import (
	"container/heap"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/region"
)

// Query is a search of the library: a name substring and filters.
type Query struct {
	Q          string // substring of the name or a former name (ASCII case folded)
	Industry   string // GB/T 4754 门类 letter or leading digits
	Region     string // administrative division: the headquarters lies within it
	Tags       []string
	CapitalMin *int64 // hundredths of 万元, inclusive
	CapitalMax *int64
	Owners     map[int64]bool // owner unit in this set (the unit and its subtree); nil: any
	NoOwner    bool           // only enterprises no unit courts yet
	Status     string
	Target     *bool
	Sort       string // "capital" (largest first, the default), "name", "revenue", "staff"
	Known      string // "revenue" or "staff": only enterprises whose measure is known
	Limit      int
	Offset     int
}

// Sorts are the orders a search may ask for.
var Sorts = map[string]bool{"capital": true, "name": true, "revenue": true, "staff": true}

// Hits is a page of ids in order and the exact number of matches.
type Hits struct {
	IDs   []int64
	Total int
}

// filter is a query compiled against the index's value tables.
type filter struct {
	industry []bool // by industry index; nil: any
	region   []bool
	tags     uint64
	noTag    bool // a tag the index has never seen: nothing matches
	capMin   int64
	capMax   int64
	owners   map[int64]bool
	noOwner  bool
	status   int     // -1 any
	target   int     // -1 any, 0, 1
	known    []int64 // a measure column whose -1 (unknown) rows are left out
}

func (x *Index) compile(q Query) filter {
	f := filter{capMin: -1 << 62, capMax: 1 << 62, owners: q.Owners, noOwner: q.NoOwner, status: -1, target: -1}
	if q.Industry != "" {
		f.industry = make([]bool, len(x.industries))
		for i, c := range x.industries {
			f.industry[i] = industry.Within(c, q.Industry)
		}
	}
	if q.Region != "" {
		f.region = make([]bool, len(x.regions))
		for i, c := range x.regions {
			f.region[i] = region.Within(c, q.Region)
		}
	}
	for _, t := range q.Tags {
		b, ok := x.tagBit[t]
		if !ok {
			f.noTag = true
		}
		f.tags |= 1 << b
	}
	if q.CapitalMin != nil {
		f.capMin = *q.CapitalMin
	}
	if q.CapitalMax != nil {
		f.capMax = *q.CapitalMax
	}
	if q.Status != "" {
		f.status = int(statusIdx(q.Status))
	}
	switch q.Known {
	case "revenue":
		f.known = x.revenue
	case "staff":
		f.known = x.staff
	}
	if q.Target != nil {
		f.target = 0
		if *q.Target {
			f.target = 1
		}
	}
	return f
}

func (x *Index) accepts(f *filter, s uint32) bool {
	if x.ids[s] == 0 {
		return false
	}
	if f.industry != nil && !f.industry[x.industry[s]] {
		return false
	}
	if f.region != nil && !f.region[x.region[s]] {
		return false
	}
	if x.tags[s]&f.tags != f.tags {
		return false
	}
	if c := x.capital[s]; c < f.capMin || c > f.capMax {
		return false
	}
	if f.status >= 0 && int(x.status[s]) != f.status {
		return false
	}
	if f.target >= 0 && x.target[s] != (f.target == 1) {
		return false
	}
	if f.known != nil && f.known[s] < 0 {
		return false
	}
	if f.noOwner && x.owner[s] != 0 {
		return false
	}
	if f.owners != nil && !f.owners[x.owner[s]] {
		return false
	}
	return true
}

// topK keeps the best k slots seen, worst at the root.
type topK struct {
	slots  []uint32
	better func(a, b uint32) bool
}

func (h *topK) Len() int           { return len(h.slots) }
func (h *topK) Less(i, j int) bool { return h.better(h.slots[j], h.slots[i]) }
func (h *topK) Swap(i, j int)      { h.slots[i], h.slots[j] = h.slots[j], h.slots[i] }
func (h *topK) Push(v any)         { h.slots = append(h.slots, v.(uint32)) }
func (h *topK) Pop() any {
	v := h.slots[len(h.slots)-1]
	h.slots = h.slots[:len(h.slots)-1]
	return v
}

// better orders slots for a sort: the measure, then the id, so that pages
// are stable.
func (x *Index) better(sortBy string) func(a, b uint32) bool {
	byDesc := func(col []int64) func(a, b uint32) bool {
		return func(a, b uint32) bool {
			if col[a] != col[b] {
				return col[a] > col[b]
			}
			return x.ids[a] < x.ids[b]
		}
	}
	switch sortBy {
	case "name":
		return func(a, b uint32) bool {
			if x.nameKey[a] != x.nameKey[b] {
				return x.nameKey[a] < x.nameKey[b]
			}
			na, _, _ := strings.Cut(x.textOf(a), "\x00")
			nb, _, _ := strings.Cut(x.textOf(b), "\x00")
			if na != nb {
				return na < nb
			}
			return x.ids[a] < x.ids[b]
		}
	case "revenue":
		return byDesc(x.revenue)
	case "staff":
		return byDesc(x.staff)
	}
	return byDesc(x.capital)
}

// search runs q; the caller holds the read lock.
func (x *Index) search(q Query) Hits {
	f := x.compile(q)
	if f.noTag {
		return Hits{IDs: []int64{}}
	}
	needle := normalise(strings.TrimSpace(q.Q))
	var cand *roaring.Bitmap
	exact := true
	if needle != "" {
		cand, exact = x.candidates([]rune(needle))
	}
	if exact && (cand == nil && uint64(x.live) >= fastFrom || cand != nil && cand.GetCardinality() >= fastFrom) {
		if cand == nil {
			cand = x.facetsFor().live
		}
		return x.fastRank(q, &f, cand)
	}
	return x.rank(q, &f, needle, cand, exact)
}

// rank passes the candidate slots (nil: every slot) through the filters
// and, unless exact, the text check, counting them and keeping the page.
func (x *Index) rank(q Query, f *filter, needle string, cand *roaring.Bitmap, exact bool) Hits {
	k := q.Offset + q.Limit
	h := &topK{better: x.better(q.Sort)}
	total := 0
	visit := func(s uint32) {
		if !x.accepts(f, s) || (!exact && !strings.Contains(x.textOf(s), needle)) {
			return
		}
		total++
		if k == 0 {
			return
		}
		if len(h.slots) < k {
			heap.Push(h, s)
		} else if h.better(s, h.slots[0]) {
			h.slots[0] = s
			heap.Fix(h, 0)
		}
	}
	if cand == nil {
		for s := range x.ids {
			visit(uint32(s))
		}
	} else {
		it := cand.ManyIterator()
		buf := make([]uint32, 4096)
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, s := range buf[:n] {
				visit(s)
			}
		}
	}
	// The heap holds the best k; pop them worst first.
	ordered := make([]uint32, len(h.slots))
	for i := len(ordered) - 1; i >= 0; i-- {
		ordered[i] = heap.Pop(h).(uint32)
	}
	out := Hits{IDs: []int64{}, Total: total}
	for i := q.Offset; i < len(ordered); i++ {
		out.IDs = append(out.IDs, x.ids[ordered[i]])
	}
	return out
}
