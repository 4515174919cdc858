package bench

import "runtime"

// An import's memory is measured in the run, as what it adds to the
// process at its peak (memWatch): the resident set's high-water beyond the
// resident set before, and the Go heap in use beyond the heap before. The
// heap figure is the program's own; the resident set adds what the runtime
// has not yet returned and SQLite's page cache.

type memPeak struct {
	HeapMB, RSSMB float64
}

// peakDuring runs fn and says how much memory it added at its peak.
func peakDuring(fn func() error) (memPeak, error) {
	var ms runtime.MemStats
	w := watchMemory()
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapInuse
	err := fn()
	w.finish()
	p := memPeak{}
	if w.heapPeak > heap0 {
		p.HeapMB = mb(w.heapPeak - heap0)
	}
	if w.rssPeak > w.before {
		p.RSSMB = mb(w.rssPeak - w.before)
	}
	return p, err
}

// memory adds an import's two memory figures, each bounded by the 300 MB
// an import may add at the documented limits.
func (m *measure) memory(what string, p memPeak) {
	m.add(Result{Name: m.name(what + ": Go heap added at its peak"), Unit: "MB", Value: round(p.HeapMB, 1), Goal: goal(300)})
	m.add(Result{Name: m.name(what + ": resident set added at its peak"), Unit: "MB", Value: round(p.RSSMB, 1), Goal: goal(300)})
}
