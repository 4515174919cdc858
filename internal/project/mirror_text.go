package project

import (
	"bytes"
	"sort"
	"strings"
)

// keywords holds every row's searchable text (name, investor and code,
// ASCII folded) end to end in one buffer, so that a keyword is found by
// bytes.Index runs over it rather than by a comparison per row with texts
// scattered across the heap (25 → a few ms at 100,000 projects).
type keywords struct {
	buf   []byte
	start []int32 // each segment's first byte, ascending
	row   []int32 // each segment's row (index in Mirror.rows)
	live  []int32 // each row's current segment; -1 for none
	dead  int     // bytes in segments no longer current
}

// segEnd is one past a segment's end marker.
func (k *keywords) segEnd(s int) int {
	if s+1 < len(k.start) {
		return int(k.start[s+1])
	}
	return len(k.buf)
}

// put makes text the row's current text.
func (k *keywords) put(row int, text string) {
	for len(k.live) <= row {
		k.live = append(k.live, -1)
	}
	if old := k.live[row]; old >= 0 {
		k.dead += k.segEnd(int(old)) - int(k.start[old])
	}
	k.live[row] = int32(len(k.start))
	k.start = append(k.start, int32(len(k.buf)))
	k.row = append(k.row, int32(row))
	k.buf = append(append(k.buf, text...), '\x01')
	if k.dead > len(k.buf)/2 {
		k.compact()
	}
}

// compact drops the segments no longer current.
func (k *keywords) compact() {
	var out keywords
	out.live = make([]int32, len(k.live))
	for i := range out.live {
		out.live[i] = -1
	}
	for s := range k.start {
		if r := k.row[s]; k.live[r] == int32(s) {
			out.live[r] = int32(len(out.start))
			out.start = append(out.start, int32(len(out.buf)))
			out.row = append(out.row, r)
			out.buf = append(out.buf, k.buf[k.start[s]:k.segEnd(s)]...)
		}
	}
	*k = out
}

// find marks hit[row] for every row whose current text contains q (folded).
func (k *keywords) find(q string, hit []bool) {
	k.each(q, func(r int) {
		if r < len(hit) {
			hit[r] = true
		}
	})
}

// each calls fn with every row whose current text contains q (folded).
func (k *keywords) each(q string, fn func(row int)) {
	if q == "" || strings.ContainsAny(q, "\x00\x01") { // separators are never part of a match
		return
	}
	needle := []byte(q)
	for off := 0; off < len(k.buf); {
		i := bytes.Index(k.buf[off:], needle)
		if i < 0 {
			return
		}
		p := off + i
		s := sort.Search(len(k.start), func(j int) bool { return int(k.start[j]) > p }) - 1
		end := k.segEnd(s)
		if r := k.row[s]; p+len(needle) < end && k.live[r] == int32(s) {
			fn(int(r))
		}
		off = end // the row is decided; go on from the next one
	}
}
