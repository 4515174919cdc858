package enterprise

import (
	"runtime/debug"
	"sync"
)

// A large import allocates at a high rate while the heap holds the search
// index (a quarter of a gigabyte for a million names). The collector lets
// garbage grow to the live heap's size before it runs (GOGC=100), so the
// import's resident set would grow by the index's size again on top of
// what the import itself holds. While any large import runs, the collector
// lets garbage grow to 60 % of the live heap instead: more collections
// (each marks the live heap, the index included) for a lower peak. At a
// million rows on SQLite, 40 % kept the resident set 175 MB beyond the
// steady state at about 0.45 of the reference's rate, 100 % 317 MB at
// 0.69 (docs/performance.md). An operator's GOGC below it (or off) is
// kept.

// importGCPercent is the collector's target while a large import runs.
const importGCPercent = 60

var importGC struct {
	sync.Mutex
	running int
	before  int
}

// tightGC lowers the collector's headroom until the returned function is
// called (imports may overlap: the last one restores it).
func tightGC() func() {
	importGC.Lock()
	defer importGC.Unlock()
	if importGC.running == 0 {
		importGC.before = debug.SetGCPercent(importGCPercent)
		if importGC.before < importGCPercent { // lower already, or off
			debug.SetGCPercent(importGC.before)
		}
	}
	importGC.running++
	var once sync.Once
	return func() {
		once.Do(func() {
			importGC.Lock()
			defer importGC.Unlock()
			if importGC.running--; importGC.running == 0 {
				debug.SetGCPercent(importGC.before)
			}
		})
	}
}
