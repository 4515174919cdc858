package enterprise

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
)

// The search index answers "every enterprise whose name contains these
// characters, under these filters, sorted, top N and the exact total" in
// milliseconds over a million rows, which SQL cannot: a trigram index (FTS5,
// pg_trgm) finds nothing for the two-character queries people type in
// Chinese, and a LIKE scan reads every row.
//
// It keeps, in memory, a posting bitmap per character, per character pair and
// per frequent character triple, plus one column per filterable field. A
// query of n characters intersects the postings of its grams (exact for n ≤ 2
// and for triples of the frequent kind; otherwise candidates are checked
// against the names), then one pass over the candidates applies the filters,
// counts, and keeps the top N in a small heap. The count is exact by
// construction: it is the number of candidates the pass accepts.
//
// The table stays the source of truth. Rows carry the generation of their last
// write (enterprises.gen, db.Generation in store.go); the index remembers
// the generation it has seen and, before a search, reads the rows written
// since. So every server of a cluster converges on the same index, and a
// server restart rebuilds it from the table.

// frequentPair is the posting size from which a character pair's triples get
// postings of their own (so "有限公" does not intersect two near-full sets).
const frequentPair = 2048

// doc is what the index holds of one enterprise.
type doc struct {
	ID       int64
	Text     string // normalised name and former names, "\x00"-separated
	Industry string
	Region   string
	Capital  int64
	Revenue  int64 // -1 unknown
	Staff    int64 // -1 unknown
	Status   string
	Owner    int64 // 0 none
	Tags     []string
	Target   bool
	Expanded uint32 // last known expansion as yyyymmdd, 0 unknown
}

// Index is the in-memory search structure over the enterprise table.
type Index struct {
	mu  sync.RWMutex
	gen int64

	slot map[int64]uint32 // enterprise id → slot
	ids  []int64          // slot → id; 0 for an archived (dead) slot
	live int

	// The normalised names of every slot, back to back in one buffer
	// (slot s's is textBuf[textOff[s]:textOff[s+1]]): a million names as one
	// allocation instead of a million strings, each of which kept the whole
	// line of the file it was cut from. Text is only ever appended.
	textBuf  []byte
	textOff  []uint64 // len(ids)+1 offsets
	nameKey  []uint64 // the first eight bytes of the name, big-endian: name order without string compares
	industry []uint16 // into industries
	region   []uint32 // into regions
	capital  []int64
	revenue  []int64
	staff    []int64
	status   []uint8 // into statuses
	owner    []int64
	tags     []uint64 // bit i: tag tagBits[i]
	target   []bool
	expanded []uint32

	industries []string
	industryOf map[string]uint16
	regions    []string
	regionOf   map[string]uint32
	tagBit     map[string]uint

	uni map[rune]*roaring.Bitmap
	bi  map[uint64]*roaring.Bitmap
	tri map[uint64]*roaring.Bitmap
	// frequent pairs at the last build: every triple whose two pairs are both
	// here has its own posting (kept up to date on later writes too).
	frequent map[uint64]bool

	facets indexFacets // for queries with many matches (index_facets.go)
}

func newIndex() *Index {
	return &Index{slot: map[int64]uint32{}, textOff: []uint64{0}, industryOf: map[string]uint16{}, regionOf: map[string]uint32{}, tagBit: map[string]uint{},
		uni: map[rune]*roaring.Bitmap{}, bi: map[uint64]*roaring.Bitmap{}, tri: map[uint64]*roaring.Bitmap{}, frequent: map[uint64]bool{}}
}

// normalise folds ASCII letters to lower case; the substring scan the
// index must agree with (LIKE on SQLite, ILIKE on PostgreSQL) does the same.
func normalise(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func pair(a, b rune) uint64      { return uint64(a)<<21 | uint64(b) }
func triple(a, b, c rune) uint64 { return uint64(a)<<42 | uint64(b)<<21 | uint64(c) }

func nameKey(name string) uint64 {
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(name) {
			k |= uint64(name[i])
		}
	}
	return k
}

// runesOf splits the "\x00"-separated names into rune sequences.
func runesOf(text string, buf []rune) [][]rune {
	var out [][]rune
	for _, part := range strings.Split(text, "\x00") {
		start := len(buf)
		for _, r := range part {
			buf = append(buf, r)
		}
		out = append(out, buf[start:len(buf):len(buf)])
	}
	return out
}

func add[K comparable](m map[K]*roaring.Bitmap, k K, slot uint32) {
	b := m[k]
	if b == nil {
		b = roaring.New()
		m[k] = b
	}
	b.Add(slot)
}

func remove[K comparable](m map[K]*roaring.Bitmap, k K, slot uint32) {
	if b := m[k]; b != nil {
		b.Remove(slot)
		if b.IsEmpty() {
			delete(m, k)
		}
	}
}

// postGrams adds (or removes) slot to the postings of the text's grams.
func (x *Index) postGrams(text string, slot uint32, adding bool) {
	for _, rs := range runesOf(text, make([]rune, 0, utf8.RuneCountInString(text))) {
		for i, r := range rs {
			if adding {
				add(x.uni, r, slot)
			} else {
				remove(x.uni, r, slot)
			}
			if i+1 < len(rs) {
				if adding {
					add(x.bi, pair(r, rs[i+1]), slot)
				} else {
					remove(x.bi, pair(r, rs[i+1]), slot)
				}
			}
			if i+2 < len(rs) && x.frequent[pair(r, rs[i+1])] && x.frequent[pair(rs[i+1], rs[i+2])] {
				if adding {
					add(x.tri, triple(r, rs[i+1], rs[i+2]), slot)
				} else {
					remove(x.tri, triple(r, rs[i+1], rs[i+2]), slot)
				}
			}
		}
	}
}

func (x *Index) industryIdx(code string) uint16 {
	i, ok := x.industryOf[code]
	if !ok {
		i = uint16(len(x.industries))
		x.industries = append(x.industries, code)
		x.industryOf[code] = i
	}
	return i
}

func (x *Index) regionIdx(code string) uint32 {
	i, ok := x.regionOf[code]
	if !ok {
		i = uint32(len(x.regions))
		x.regions = append(x.regions, code)
		x.regionOf[code] = i
	}
	return i
}

func statusIdx(s string) uint8 {
	for i, v := range Statuses {
		if v == s {
			return uint8(i)
		}
	}
	return 0
}

func (x *Index) tagMask(tags []string) uint64 {
	var m uint64
	for _, t := range tags {
		b, ok := x.tagBit[t]
		if !ok {
			if len(x.tagBit) == 64 {
				continue // more than 64 tag kinds: the extra ones are not filterable
			}
			b = uint(len(x.tagBit))
			x.tagBit[t] = b
		}
		m |= 1 << b
	}
	return m
}

// sized makes room for n slots at once (a million rows grown by append
// would copy every column some twenty times and hold twice its size).
func (x *Index) sized(n int) {
	x.slot = make(map[int64]uint32, n)
	x.ids = make([]int64, 0, n)
	x.textBuf = make([]byte, 0, n*textPerSlot)
	x.textOff = make([]uint64, 1, n+1)
	x.nameKey = make([]uint64, 0, n)
	x.industry = make([]uint16, 0, n)
	x.region = make([]uint32, 0, n)
	x.capital = make([]int64, 0, n)
	x.revenue = make([]int64, 0, n)
	x.staff = make([]int64, 0, n)
	x.status = make([]uint8, 0, n)
	x.owner = make([]int64, 0, n)
	x.tags = make([]uint64, 0, n)
	x.target = make([]bool, 0, n)
	x.expanded = make([]uint32, 0, n)
}

// textPerSlot is the room sized up front for a slot's text: a name of a
// dozen Chinese characters and a little over.
const textPerSlot = 48

// textOf is slot s's text (names "\x00"-separated), sharing the buffer:
// bytes once written never change, so the string stays valid however the
// buffer grows afterwards.
func (x *Index) textOf(s uint32) string {
	a, b := x.textOff[s], x.textOff[s+1]
	if a == b {
		return ""
	}
	return unsafe.String(&x.textBuf[a], int(b-a))
}

// texts is every slot's text in slot order, for the postings' passes.
func (x *Index) texts() func(yield func(uint32, string) bool) {
	return func(yield func(uint32, string) bool) {
		for s := range x.ids {
			if !yield(uint32(s), x.textOf(uint32(s))) {
				return
			}
		}
	}
}

// put stores d's columns in a new slot (postings are the caller's).
func (x *Index) put(d doc) uint32 {
	x.slot[d.ID] = uint32(len(x.ids))
	return x.putCols(d)
}

// putCols is put without the slot map (an import's new rows, whose ids
// come later).
func (x *Index) putCols(d doc) uint32 {
	s := uint32(len(x.ids))
	x.ids = append(x.ids, d.ID)
	x.textBuf = append(x.textBuf, d.Text...)
	x.textOff = append(x.textOff, uint64(len(x.textBuf)))
	name, _, _ := strings.Cut(d.Text, "\x00")
	x.nameKey = append(x.nameKey, nameKey(name))
	x.industry = append(x.industry, x.industryIdx(d.Industry))
	x.region = append(x.region, x.regionIdx(d.Region))
	x.capital = append(x.capital, d.Capital)
	x.revenue = append(x.revenue, d.Revenue)
	x.staff = append(x.staff, d.Staff)
	x.status = append(x.status, statusIdx(d.Status))
	x.owner = append(x.owner, d.Owner)
	x.tags = append(x.tags, x.tagMask(d.Tags))
	x.target = append(x.target, d.Target)
	x.expanded = append(x.expanded, d.Expanded)
	x.live++
	return s
}

// drop empties id's slot and takes it out of the postings.
func (x *Index) drop(id int64) {
	s, ok := x.slot[id]
	if !ok {
		return
	}
	x.postGrams(x.textOf(s), s, false)
	delete(x.slot, id)
	x.ids[s] = 0
	x.live--
}

// apply brings rows written since the index's generation in: new and changed
// rows take a new slot, archived ones leave.
func (x *Index) apply(docs []doc, archived []int64, gen int64) {
	for _, id := range archived {
		x.facetDrop(id)
		x.drop(id)
	}
	for _, d := range docs {
		x.facetDrop(d.ID)
		x.drop(d.ID)
		s := x.put(d)
		x.postGrams(d.Text, s, true)
		x.facetPut(s)
	}
	if gen > x.gen {
		x.gen = gen
	}
}

// build makes a fresh index of docs in two passes: characters and pairs
// first, so that the frequent pairs are known, then the triples of frequent
// pairs. The two halves of the pair map are filled by two goroutines.
func build(docs []doc, gen int64) *Index { return buildParts([][]doc{docs}, gen) }

// buildParts builds from docs in parts (an import's, chunk by chunk: no
// copy into one slice), the columns sized up front.
func buildParts(parts [][]doc, gen int64) *Index {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	x := newIndex()
	x.gen = gen
	x.sized(n)
	for _, p := range parts {
		for _, d := range p {
			x.put(d)
		}
	}
	x.postAll()
	return x
}

// postAll fills the postings of every slot (an index whose columns are
// filled and postings empty).
func (x *Index) postAll() {
	texts := x.texts()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		buf := make([]rune, 0, 64)
		for s, t := range texts {
			for _, rs := range runesOf(t, buf[:0]) {
				for _, r := range rs {
					add(x.uni, r, s)
				}
			}
		}
	}()
	go func() {
		defer wg.Done()
		buf := make([]rune, 0, 64)
		for s, t := range texts {
			for _, rs := range runesOf(t, buf[:0]) {
				for i := 0; i+1 < len(rs); i++ {
					add(x.bi, pair(rs[i], rs[i+1]), s)
				}
			}
		}
	}()
	wg.Wait()
	for k, b := range x.bi {
		if b.GetCardinality() >= frequentPair {
			x.frequent[k] = true
		}
	}
	buf := make([]rune, 0, 64)
	for s, t := range texts {
		for _, rs := range runesOf(t, buf[:0]) {
			for i := 0; i+2 < len(rs); i++ {
				if x.frequent[pair(rs[i], rs[i+1])] && x.frequent[pair(rs[i+1], rs[i+2])] {
					add(x.tri, triple(rs[i], rs[i+1], rs[i+2]), s)
				}
			}
		}
	}
	for _, b := range x.bi {
		b.RunOptimize()
	}
	for _, b := range x.tri {
		b.RunOptimize()
	}
}

// candidates returns the slots whose text may contain q and whether each of
// them surely does (false: check the text).
func (x *Index) candidates(q []rune) (*roaring.Bitmap, bool) {
	switch len(q) {
	case 1:
		if b := x.uni[q[0]]; b != nil {
			return b, true
		}
		return roaring.New(), true
	case 2:
		if b := x.bi[pair(q[0], q[1])]; b != nil {
			return b, true
		}
		return roaring.New(), true
	}
	// Three and more: the triple postings where the index has them, the
	// pairs elsewhere. Only a lone frequent triple is exact; the rest are
	// candidates whose text the caller checks.
	var sets []*roaring.Bitmap
	for i := 0; i+1 < len(q); i++ {
		var b *roaring.Bitmap
		if i+2 < len(q) && x.frequent[pair(q[i], q[i+1])] && x.frequent[pair(q[i+1], q[i+2])] {
			b = x.tri[triple(q[i], q[i+1], q[i+2])]
		} else {
			b = x.bi[pair(q[i], q[i+1])]
		}
		if b == nil {
			return roaring.New(), true
		}
		sets = append(sets, b)
	}
	if len(q) == 3 && x.frequent[pair(q[0], q[1])] && x.frequent[pair(q[1], q[2])] {
		return sets[0], true
	}
	sort.Slice(sets, func(i, j int) bool { return sets[i].GetCardinality() < sets[j].GetCardinality() })
	return roaring.FastAnd(sets...), false
}
