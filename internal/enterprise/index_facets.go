package enterprise

import (
	"container/heap"
	"slices"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// A query whose name piece matches a tenth of the library (two common
// characters: "有限", "科技") would visit every match to filter, count and
// rank it: hundreds of thousands of slots per search. Past fastFrom
// matches, the index answers from bitmaps instead and stops as soon as the
// page and the exact total are known:
//
//   - every filterable value has a bitmap of its slots (facets), so the
//     matches under the filters are an intersection, and the exact total
//     its cardinality, without visiting a slot;
//   - each sort order cuts the slots into orderBuckets buckets of
//     consecutive keys, best first; the page is ranked from the first
//     buckets' matches only, stopping after the bucket that completes it.
//
// The facets and orders are built on the first such query (one pass over
// the slots) and kept up to date by every later write (apply).
var fastFrom uint64 = 20_000

const orderBuckets = 64

type facets struct {
	live     *roaring.Bitmap // slots not dropped since the facets were built
	industry map[uint16]*roaring.Bitmap
	region   map[uint32]*roaring.Bitmap
	owner    map[int64]*roaring.Bitmap // owner 0: nobody courts it
	tag      map[uint]*roaring.Bitmap  // by tag bit
	status   map[uint8]*roaring.Bitmap
	target   *roaring.Bitmap
	revenue  *roaring.Bitmap // revenue known
	staff    *roaring.Bitmap // staff known
	orders   map[string]*order
}

// order is one sort's buckets: bucket i holds the slots whose key is at
// most upper[i] and above upper[i-1]; smaller keys sort first.
type order struct {
	key     func(s uint32) uint64
	upper   []uint64
	lo, hi  []uint64 // the smallest and largest key in each bucket (for ranges)
	buckets []*roaring.Bitmap
}

// indexFacets holds an index's facets; its lock guards their lazy build
// under the index's read lock (apply changes them under the write lock).
type indexFacets struct {
	mu  sync.Mutex
	fac *facets
}

// desc turns a column sorted largest first into ascending keys.
func desc(v int64) uint64 { return ^(uint64(v) ^ 1<<63) }

// sortKey reads the columns at each call: they grow with every write.
func (x *Index) sortKey(by string) func(s uint32) uint64 {
	switch by {
	case "name":
		return func(s uint32) uint64 { return x.nameKey[s] }
	case "revenue":
		return func(s uint32) uint64 { return desc(x.revenue[s]) }
	case "staff":
		return func(s uint32) uint64 { return desc(x.staff[s]) }
	}
	return func(s uint32) uint64 { return desc(x.capital[s]) }
}

// facetsFor returns the facets, building them on first use.
func (x *Index) facetsFor() *facets {
	x.facets.mu.Lock()
	defer x.facets.mu.Unlock()
	if x.facets.fac == nil {
		f := &facets{live: roaring.New(), industry: map[uint16]*roaring.Bitmap{}, region: map[uint32]*roaring.Bitmap{},
			owner: map[int64]*roaring.Bitmap{}, tag: map[uint]*roaring.Bitmap{}, status: map[uint8]*roaring.Bitmap{},
			target: roaring.New(), revenue: roaring.New(), staff: roaring.New(), orders: map[string]*order{}}
		for s, id := range x.ids {
			if id != 0 {
				x.facetAdd(f, uint32(s))
			}
		}
		x.facets.fac = f
	}
	return x.facets.fac
}

// orderFor returns a sort's buckets, building them on first use: bucket
// bounds from a sample of the keys, then every live slot in its bucket.
func (x *Index) orderFor(f *facets, by string) *order {
	x.facets.mu.Lock()
	defer x.facets.mu.Unlock()
	if o := f.orders[by]; o != nil {
		return o
	}
	o := &order{key: x.sortKey(by)}
	slots := f.live.ToArray()
	step := max(1, len(slots)/8192)
	var sample []uint64
	for i := 0; i < len(slots); i += step {
		sample = append(sample, o.key(slots[i]))
	}
	slices.Sort(sample)
	for b := 1; b < orderBuckets; b++ {
		if v := sample[b*len(sample)/orderBuckets]; len(o.upper) == 0 || v > o.upper[len(o.upper)-1] {
			o.upper = append(o.upper, v)
		}
	}
	o.upper = append(o.upper, ^uint64(0))
	for range o.upper {
		o.buckets = append(o.buckets, roaring.New())
		o.lo, o.hi = append(o.lo, ^uint64(0)), append(o.hi, 0)
	}
	for _, s := range slots {
		o.add(s)
	}
	f.orders[by] = o
	return o
}

func (o *order) add(s uint32) {
	k := o.key(s)
	i := sort.Search(len(o.upper), func(i int) bool { return k <= o.upper[i] })
	o.buckets[i].Add(s)
	o.lo[i], o.hi[i] = min(o.lo[i], k), max(o.hi[i], k)
}

func bitmapIn[K comparable](m map[K]*roaring.Bitmap, k K, s uint32) {
	if m[k] == nil {
		m[k] = roaring.New()
	}
	m[k].Add(s)
}

// facetAdd puts slot s in every facet and order.
func (x *Index) facetAdd(f *facets, s uint32) {
	f.live.Add(s)
	bitmapIn(f.industry, x.industry[s], s)
	bitmapIn(f.region, x.region[s], s)
	bitmapIn(f.owner, x.owner[s], s)
	bitmapIn(f.status, x.status[s], s)
	for m, b := x.tags[s], uint(0); m != 0; m, b = m>>1, b+1 {
		if m&1 != 0 {
			bitmapIn(f.tag, b, s)
		}
	}
	if x.target[s] {
		f.target.Add(s)
	}
	if x.revenue[s] >= 0 {
		f.revenue.Add(s)
	}
	if x.staff[s] >= 0 {
		f.staff.Add(s)
	}
	for _, o := range f.orders {
		o.add(s)
	}
}

// facetPut and facetDrop keep built facets up to date (apply calls them,
// under the write lock). A dropped slot leaves live only: slots are never
// reused, so it stays out of every answer.
func (x *Index) facetPut(s uint32) {
	if f := x.facets.fac; f != nil {
		x.facetAdd(f, s)
	}
}

func (x *Index) facetDrop(id int64) {
	if s, ok := x.slot[id]; ok && x.facets.fac != nil {
		x.facets.fac.live.Remove(s)
	}
}

// union is the slots of every key the filter lets through.
func union[K comparable](m map[K]*roaring.Bitmap, ok func(K) bool) *roaring.Bitmap {
	var parts []*roaring.Bitmap
	for k, b := range m {
		if ok(k) {
			parts = append(parts, b)
		}
	}
	return roaring.FastOr(parts...)
}

// facetMatches is cand under every filter of f, from the facets alone.
func (x *Index) facetMatches(fc *facets, f *filter, q Query, cand *roaring.Bitmap) *roaring.Bitmap {
	m := roaring.And(cand, fc.live)
	if f.industry != nil {
		m.And(union(fc.industry, func(i uint16) bool { return f.industry[i] }))
	}
	if f.region != nil {
		m.And(union(fc.region, func(i uint32) bool { return f.region[i] }))
	}
	for m2, b := f.tags, uint(0); m2 != 0; m2, b = m2>>1, b+1 {
		if m2&1 != 0 {
			m.And(or(fc.tag[b]))
		}
	}
	if f.status >= 0 {
		m.And(or(fc.status[uint8(f.status)]))
	}
	switch f.target {
	case 1:
		m.And(fc.target)
	case 0:
		m.AndNot(fc.target)
	}
	switch q.Known {
	case "revenue":
		m.And(fc.revenue)
	case "staff":
		m.And(fc.staff)
	}
	if f.noOwner {
		m.And(or(fc.owner[0]))
	}
	if f.owners != nil {
		m.And(union(fc.owner, func(id int64) bool { return f.owners[id] }))
	}
	if f.capMin > -1<<62 || f.capMax < 1<<62 {
		m.And(x.capitalWithin(fc, m, f.capMin, f.capMax))
	}
	return m
}

func or(b *roaring.Bitmap) *roaring.Bitmap {
	if b == nil {
		return roaring.New()
	}
	return b
}

// capitalWithin is the slots of m whose capital lies in [lo, hi]: whole
// capital buckets inside the range, and the slots of the buckets across
// its ends one by one.
func (x *Index) capitalWithin(fc *facets, m *roaring.Bitmap, lo, hi int64) *roaring.Bitmap {
	o := x.orderFor(fc, "capital")
	kLo, kHi := desc(hi), desc(lo) // keys run the other way
	out := roaring.New()
	for i, b := range o.buckets {
		switch {
		case o.hi[i] < kLo || o.lo[i] > kHi:
		case o.lo[i] >= kLo && o.hi[i] <= kHi:
			out.Or(b)
		default:
			it := roaring.And(b, m).Iterator()
			for it.HasNext() {
				if s := it.Next(); x.capital[s] >= lo && x.capital[s] <= hi {
					out.Add(s)
				}
			}
		}
	}
	return out
}

// fastRank answers from the facets: the exact total is a cardinality, the
// page is ranked from the best buckets until it is complete.
func (x *Index) fastRank(q Query, f *filter, cand *roaring.Bitmap) Hits {
	fc := x.facetsFor()
	m := x.facetMatches(fc, f, q, cand)
	out := Hits{IDs: []int64{}, Total: int(m.GetCardinality())}
	k := q.Offset + q.Limit
	if k == 0 || out.Total == 0 {
		return out
	}
	by := q.Sort
	if !Sorts[by] {
		by = "capital" // as better's default
	}
	o := x.orderFor(fc, by)
	h := &topK{better: x.better(by)}
	seen := 0
	for _, b := range o.buckets {
		part := roaring.And(m, b)
		it := part.Iterator()
		for it.HasNext() {
			if s := it.Next(); len(h.slots) < k {
				heap.Push(h, s)
			} else if h.better(s, h.slots[0]) {
				h.slots[0] = s
				heap.Fix(h, 0)
			}
		}
		if seen += int(part.GetCardinality()); seen >= k {
			break
		}
	}
	ordered := make([]uint32, len(h.slots))
	for i := len(ordered) - 1; i >= 0; i-- {
		ordered[i] = heap.Pop(h).(uint32)
	}
	for i := q.Offset; i < len(ordered); i++ {
		out.IDs = append(out.IDs, x.ids[ordered[i]])
	}
	return out
}

// prepareFacets builds the facets and the default order ahead of the first
// query that needs them (Warm calls it), under the read lock.
func (x *Index) prepareFacets() {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if uint64(x.live) >= fastFrom {
		x.orderFor(x.facetsFor(), "capital")
	}
}
