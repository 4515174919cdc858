package enterprise

import (
	"bytes"
	"math"
	"runtime/debug"
	"strings"
	"testing"
)

// Overlapping large imports lower the collector's target once and the last
// one to end restores the operator's; a lower setting is kept.
func TestTightGCRestores(t *testing.T) {
	was := debug.SetGCPercent(100)
	defer debug.SetGCPercent(was)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	a := tightGC(1000)
	one := debug.SetMemoryLimit(-1)
	b := tightGC(1000)
	if two := debug.SetMemoryLimit(-1); one == math.MaxInt64 || two-one != 1000*indexBytesPerRow {
		t.Fatalf("memory limits %d then %d: want a limit, raised by 1000 rows' index", one, two)
	}
	if got := debug.SetGCPercent(importGCPercent); got != importGCPercent {
		t.Fatalf("during two imports: GOGC %d, want %d", got, importGCPercent)
	}
	a()
	a() // a second call changes nothing
	if got := debug.SetGCPercent(importGCPercent); got != importGCPercent {
		t.Fatalf("one import still running: GOGC %d, want %d", got, importGCPercent)
	}
	b()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("after both: GOGC %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("after both: memory limit %d, want none", got)
	}
	debug.SetGCPercent(20)
	debug.SetMemoryLimit(3 << 30)
	c := tightGC(1000)
	if got := debug.SetGCPercent(20); got != 20 {
		t.Fatalf("an operator's GOGC 20 became %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Fatalf("an operator's GOMEMLIMIT 3 GiB became %d", got)
	}
	c()
	if got := debug.SetGCPercent(100); got != 20 {
		t.Fatalf("after the import: GOGC %d, want 20", got)
	}
}

// A CSV that can say its size is expected to hold 10,000 rows a MB; an
// XLSX, or a file of a few bytes, gives no estimate; the reader is left
// where it was.
func TestRowsHint(t *testing.T) {
	r := bytes.NewReader(make([]byte, 3<<20))
	r.Seek(100, 0)
	if got := rowsHint(r, "E.CSV"); got != (3<<20-100)*rowsPerMB>>20 {
		t.Fatalf("CSV of 3 MB: %d rows", got)
	}
	if at, _ := r.Seek(0, 1); at != 100 {
		t.Fatalf("reader left at %d, want 100", at)
	}
	if got := rowsHint(bytes.NewReader(make([]byte, 1<<20)), "e.xlsx"); got != 0 {
		t.Fatalf("XLSX: %d", got)
	}
	if got := rowsHint(strings.NewReader("a,b"), "e.csv"); got != 0 {
		t.Fatalf("strings.Reader: %d", got)
	}
}
