package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
)

// procStatus reads a "kB" line of /proc/self/status (VmRSS, VmHWM) in bytes;
// 0 where there is no /proc.
func procStatus(field string) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// memWatch follows the process's memory while something runs: resident set
// (the kernel's high-water mark, reset first where Linux allows, and samples)
// and the Go heap in use (samples).
type memWatch struct {
	before, rssPeak, heapPeak uint64
	livePeak                  uint64 // the heap marked live by a GC (runtime/metrics)
	hwm                       bool   // the kernel's high-water mark was reset and read
	stop                      chan struct{}
	done                      sync.WaitGroup
}

func watchMemory() *memWatch {
	runtime.GC()
	debug.FreeOSMemory()
	m := &memWatch{stop: make(chan struct{})}
	m.hwm = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	m.before = procStatus("VmRSS")
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			m.rssPeak = max(m.rssPeak, procStatus("VmRSS"))
			runtime.ReadMemStats(&ms)
			m.heapPeak = max(m.heapPeak, ms.HeapInuse)
			m.livePeak = max(m.livePeak, liveHeap())
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

func (m *memWatch) finish() {
	close(m.stop)
	m.done.Wait()
	if m.hwm {
		m.rssPeak = max(m.rssPeak, procStatus("VmHWM"))
	}
}

// exportRun downloads the XLSX export of every project the user sees and
// follows the memory of the process serving it (the benchmark is that
// process). It then checks the file holds want data rows.
type exportRun struct {
	took                 time.Duration
	bytes                int64
	rssBefore, rss, heap uint64
	kernelPeak           bool
	rows                 int
}

func exportFigure(ctx context.Context, c *client, want int) (exportRun, error) {
	f, err := os.CreateTemp("", "attract-bench-export-*.xlsx")
	if err != nil {
		return exportRun{}, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	m := watchMemory()
	_, took, err := c.get(ctx, "/api/v1/projects/export", f)
	m.finish()
	if err != nil {
		return exportRun{}, err
	}
	run := exportRun{took: took, rssBefore: m.before, rss: m.rssPeak, heap: m.heapPeak, kernelPeak: m.hwm}
	if st, err := f.Stat(); err == nil {
		run.bytes = st.Size()
	}
	if run.rows, err = countRows(f.Name()); err != nil {
		return run, err
	}
	if run.rows != want {
		return run, fmt.Errorf("export holds %d data rows, want %d", run.rows, want)
	}
	return run, nil
}

// countRows counts the data rows (all but the header) of the first sheet.
func countRows(path string) (int, error) {
	x, err := excelize.OpenFile(path)
	if err != nil {
		return 0, fmt.Errorf("open export: %w", err)
	}
	defer x.Close()
	rows, err := x.Rows(x.GetSheetName(0))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return max(0, n-1), rows.Error()
}
