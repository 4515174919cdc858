package bench

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// An import's memory is measured in the run (memWatch) as what it needs
// beyond the server's steady state with the same rows loaded: the server
// keeps the search index of every enterprise (and the project mirror) for
// as long as it runs, so an import that adds a million enterprises leaves
// the index of a million more behind, and that part is the server's, not
// the import's. The steady state is taken after the import, once garbage is
// collected and freed memory handed back: the peak's Go heap in use beyond
// the heap in use then, and the resident set's high-water beyond the
// resident set then. What the process held before and what the rows left
// behind are reported beside it. The Go heap figure is the heap the
// collector marked live (its peak over the samples); the heap in use beside
// it also holds garbage not yet collected, which the runtime lets grow to
// the live heap's size (GOGC=100) — over the whole heap, the server's
// index included, not the import's part alone — and the resident set
// carries that headroom and SQLite's page cache.

type memPeak struct {
	LiveMB, HeapMB, RSSMB     float64 // the peak beyond the steady state after
	HeapGrowMB, RSSGrowMB     float64 // the steady state after beyond the one before
	HeapBeforeMB, RSSBeforeMB float64
}

// peakDuring runs fn and says how much memory it needed at its peak beyond
// the steady state it left.
func peakDuring(fn func() error) (memPeak, error) {
	var ms runtime.MemStats
	w := watchMemory()
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapInuse
	err := fn()
	w.finish()
	runtime.GC()
	debug.FreeOSMemory()
	runtime.ReadMemStats(&ms)
	heap1, rss1, live1 := ms.HeapInuse, procStatus("VmRSS"), liveHeap()
	p := memPeak{HeapBeforeMB: mb(heap0), RSSBeforeMB: mb(w.before)}
	if w.livePeak > live1 {
		p.LiveMB = mb(w.livePeak - live1)
	}
	if w.heapPeak > heap1 {
		p.HeapMB = mb(w.heapPeak - heap1)
	}
	if w.rssPeak > rss1 {
		p.RSSMB = mb(w.rssPeak - rss1)
	}
	if heap1 > heap0 {
		p.HeapGrowMB = mb(heap1 - heap0)
	}
	if rss1 > w.before {
		p.RSSGrowMB = mb(rss1 - w.before)
	}
	return p, err
}

// memory adds an import's two memory figures, each bounded by the 300 MB
// an import may need beyond the steady state at the documented limits, and
// in the breakdown what the rows it loaded left in the steady state.
func (m *measure) memory(what string, p memPeak) {
	m.add(Result{Name: m.name(what + ": live Go heap at its peak beyond the steady state with the rows loaded"), Unit: "MB", Value: round(p.LiveMB, 1), Goal: goal(300)})
	m.add(Result{Name: m.name(what + ": resident set at its peak beyond the steady state with the rows loaded"), Unit: "MB", Value: round(p.RSSMB, 1), Goal: goal(300)})
	m.rep.Breakdown = append(m.rep.Breakdown,
		Result{Name: m.name(what + ": Go heap in use (live and not yet collected) at its peak beyond the steady state"), Unit: "MB", Value: round(p.HeapMB, 1)},
		Result{Name: m.name(what + ": steady state grown by the rows loaded, Go heap"), Unit: "MB", Value: round(p.HeapGrowMB, 1), Reference: &Reference{Name: "heap in use before (MB)", Value: round(p.HeapBeforeMB, 1)}},
		Result{Name: m.name(what + ": steady state grown by the rows loaded, resident set"), Unit: "MB", Value: round(p.RSSGrowMB, 1), Reference: &Reference{Name: "resident set before (MB)", Value: round(p.RSSBeforeMB, 1)}})
}

// liveHeap is the heap the last GC marked live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
