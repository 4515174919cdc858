// Package memlimit bounds the memory a large import holds beyond the
// server's own (the goal: 300 MB at the documented limits), for the
// enterprise library's and the project ledger's imports alike.
package memlimit

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A large import allocates at a high rate while the heap holds the search
// index (a quarter of a gigabyte for a million names) and the project
// mirror. The collector lets garbage grow to the live heap's size before it
// runs (GOGC=100), so the import's resident set would grow by the whole
// heap's size again on top of what the import itself holds. While any
// large import runs, the collector lets garbage grow to 60 % of the live
// heap instead: more collections for a lower peak. At a million
// enterprises on SQLite, 40 % kept the resident set 175 MB beyond the
// steady state at about 0.45 of the reference's rate, 100 % 317 MB at 0.69
// (docs/performance.md). An operator's GOGC below it (or off) is kept.

// importGCPercent is the collector's target while a large import runs.
const importGCPercent = 60

// The collector's headroom is a share of the whole heap, so it grows with
// the index: at 2,000,000 rows (203 MB of CSV, the documented limit) 60 %
// alone left the resident set 375 MB beyond the steady state. While a large
// import runs the runtime also gets a soft memory limit: the memory before
// it, what the rows are expected to add to it (the search index, the
// project mirror), and importHeadroom. The collector then works harder only
// near that line. An operator's GOMEMLIMIT is kept.
const importHeadroom = 224 << 20

var importGC struct {
	sync.Mutex
	running     int
	before      int
	limitBefore int64
	limit       int64 // 0: the operator's limit is kept
}

// During lowers the collector's headroom, for an import whose rows are
// expected to grow the server's steady memory by grow bytes, until the
// returned function is called (imports may overlap: the last one restores
// it).
func During(grow int64) func() {
	importGC.Lock()
	defer importGC.Unlock()
	if importGC.running == 0 {
		importGC.before = debug.SetGCPercent(importGCPercent)
		if importGC.before < importGCPercent { // lower already, or off
			debug.SetGCPercent(importGC.before)
		}
		importGC.limitBefore, importGC.limit = debug.SetMemoryLimit(-1), 0
		if importGC.limitBefore == math.MaxInt64 {
			importGC.limit = goMemory() + importHeadroom
		}
	}
	if importGC.limit > 0 {
		importGC.limit += grow
		debug.SetMemoryLimit(importGC.limit)
	}
	importGC.running++
	var once sync.Once
	return func() {
		once.Do(func() {
			importGC.Lock()
			defer importGC.Unlock()
			if importGC.running--; importGC.running == 0 {
				debug.SetGCPercent(importGC.before)
				debug.SetMemoryLimit(importGC.limitBefore)
			}
		})
	}
}

// goMemory is the runtime's memory as its limit counts it: all it has
// mapped, less what it has handed back.
func goMemory() int64 {
	m := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(m)
	return int64(m[0].Value.Uint64()) - int64(m[1].Value.Uint64())
}
