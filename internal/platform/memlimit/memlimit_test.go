package memlimit

import (
	"math"
	"runtime/debug"
	"testing"
)

// Overlapping large imports lower the collector's target once and the last
// one to end restores the operator's; a lower setting is kept.
func TestDuringRestores(t *testing.T) {
	was := debug.SetGCPercent(100)
	defer debug.SetGCPercent(was)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	a := During(1000)
	one := debug.SetMemoryLimit(-1)
	b := During(1000)
	if two := debug.SetMemoryLimit(-1); one == math.MaxInt64 || two-one != 1000 {
		t.Fatalf("memory limits %d then %d: want a limit, raised by the 1,000 bytes the second expects", one, two)
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
	c := During(1000)
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
