package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/project"
)

// The figures of reads under concurrency: the scoped project list and the
// warning list, at 64 and 300 connections, each beside a bare net/http
// JSON handler loaded the same way in the same run (the goal: at least a
// quarter of its throughput, written as bare ÷ attract ≤ 4, and p99 ≤ 200
// ms); and the writes per second of 16 concurrent project writers under
// both generation protocols (db.Generation).

// readConns are the connection counts the reads are loaded with.
var readConns = []int{64, 300}

// loadRun is what one closed-loop load found.
type loadRun struct {
	done, errors int
	took         []time.Duration
	elapsed      time.Duration
}

func (l loadRun) perSecond() float64 { return float64(l.done) / l.elapsed.Seconds() }

// hammer keeps conns connections busy for d, each sending the next request
// as soon as the last one answered (a closed loop, as wrk does), and
// stops by itself. cookie is sent with every request.
func hammer(ctx context.Context, base, cookie string, conns int, d time.Duration, path func(r *rand.Rand) string) loadRun {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var out loadRun
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 11))
			var took []time.Duration
			errors := 0
			buf := make([]byte, 32<<10)
			for time.Now().Before(deadline) {
				req, err := http.NewRequestWithContext(ctx, "GET", base+path(r), nil)
				if err != nil {
					errors++
					break
				}
				if cookie != "" {
					req.Header.Set("Cookie", cookie)
				}
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					errors++
					continue
				}
				for {
					if _, err := resp.Body.Read(buf); err != nil {
						break
					}
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errors++
					continue
				}
				took = append(took, time.Since(t0))
			}
			func() {
				mu.Lock()
				defer mu.Unlock()
				out.took = append(out.took, took...)
				out.errors += errors
			}()
		}(uint64(c))
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	out.done = len(out.took)
	return out
}

// bareServer is the reference: a net/http handler answering a small JSON
// object, with nothing behind it.
func bareServer() *httptest.Server {
	type page struct {
		Items []int `json:"items"`
		Total int   `json:"total"`
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(page{Items: []int{}, Total: 0})
	}))
}

// cookieOf is the session cookie of a signed-in client, as a header value.
func cookieOf(c *client) string {
	u, _ := url.Parse(c.base)
	s := ""
	for _, k := range c.http.Jar.Cookies(u) {
		if s != "" {
			s += "; "
		}
		s += k.Name + "=" + k.Value
	}
	return s
}

func (m *measure) loadFor() time.Duration {
	switch {
	case m.sc.Projects >= 100_000:
		return 10 * time.Second
	case m.sc.Projects < 1000: // the tiny scale only proves the figures are taken
		return time.Second
	}
	return 4 * time.Second
}

// readFigures is how many figures this file adds for dbs databases (the
// second being PostgreSQL, which has the writes' comparison too).
func readFigures(dbs int) int { return dbs*(2*len(readConns)*2+1) + max(0, dbs-1) }

// concurrentReads loads the bare handler, the scoped list and the warning
// list at each connection count, one after another.
func (m *measure) concurrentReads(ctx context.Context, scoped *client) error {
	bare := bareServer()
	defer bare.Close()
	d := m.loadFor()
	cookie := cookieOf(scoped)
	works := []struct {
		name string
		path func(r *rand.Rand) string
	}{
		{"scoped project list (" + scopedUser + ", the list shapes in turn)", func(r *rand.Rand) string {
			sh := listShapes[r.IntN(len(listShapes))]
			q := sh.query(r, m.e, true)
			q.Set("page_size", "20")
			return "/api/v1/projects?" + q.Encode()
		}},
		{"warning list (" + scopedUser + ", pages 1–3)", func(r *rand.Rand) string {
			return "/api/v1/warnings?page_size=20&page=" + strconv.Itoa(1+r.IntN(3))
		}},
	}
	for _, conns := range readConns {
		ref := hammer(ctx, bare.URL, "", conns, d, func(*rand.Rand) string { return "/" })
		m.logf("%s: bare handler at %d connections: %.0f req/s, p99 %.1f ms", m.e.t.name, conns, ref.perSecond(), pct(ref.took, 0.99))
		for k, w := range works {
			stop := profile(fmt.Sprintf("%s-%d-%d", m.e.t.name, k, conns))
			got := hammer(ctx, m.e.srv.URL, cookie, conns, d, w.path)
			stop()
			m.logf("%s: %s at %d connections: %.0f req/s, p99 %.1f ms, %d errors", m.e.t.name, w.name, conns, got.perSecond(), pct(got.took, 0.99), got.errors)
			label := fmt.Sprintf("%s, %d connections", w.name, conns)
			ratio := ref.perSecond() / max(got.perSecond(), 0.001)
			m.add(Result{Name: m.name(label + ": bare handler ÷ attract, req/s"), Unit: "×", Value: ratio, Goal: goal(4),
				Reference: &Reference{Name: fmt.Sprintf("attract %.0f req/s (%.1f %% of bare); bare handler req/s", got.perSecond(), 100/ratio), Value: ref.perSecond()}})
			m.add(Result{Name: m.name(label + ": p99"), Unit: "ms", Value: pct(got.took, 0.99), Goal: goal(200),
				Reference: &Reference{Name: fmt.Sprintf("p50 (%d requests, %d errors)", got.done, got.errors), Value: pct(got.took, 0.5)}})
		}
	}
	return nil
}

// generationWrites: 16 writers, each changing projects of its own (no two
// on one row) in transactions that do what a project write does for the
// mirror: change the row, take the next generation, stamp the row. Once
// with the snapshot protocol attract uses on PostgreSQL, once with the
// counter row every writer queued on before (the reference). On SQLite,
// where writers are one at a time and both protocols are the counter,
// the one figure.
func (m *measure) generationWrites(ctx context.Context) error {
	d := m.e.app.DB
	var ids []int64
	rows, err := d.Reader().QueryContext(ctx, `SELECT id FROM projects ORDER BY id LIMIT 16000`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < 16 {
		return nil
	}
	run := func(g db.Generation) (float64, error) {
		const writers = 16
		dur := m.loadFor() / 2
		var wg sync.WaitGroup
		var mu sync.Mutex
		n := 0
		var first error
		deadline := time.Now().Add(dur)
		start := time.Now()
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k := 0
				for time.Now().Before(deadline) {
					id := ids[(w+k*writers)%len(ids)]
					k++
					err := d.InTx(ctx, func(tx *db.Tx) error {
						if _, err := tx.ExecContext(ctx, `UPDATE projects SET updated_at = ?, version = version + 1 WHERE id = ?`, time.Now(), id); err != nil {
							return err
						}
						gen, err := g.Next(ctx, tx)
						if err != nil {
							return err
						}
						_, err = tx.ExecContext(ctx, `UPDATE projects SET gen = ? WHERE id = ?`, gen, id)
						return err
					})
					func() {
						mu.Lock()
						defer mu.Unlock()
						if err != nil && first == nil {
							first = err
						}
						if err == nil {
							n++
						}
					}()
					if err != nil {
						return
					}
				}
			}()
		}
		wg.Wait()
		return float64(n) / time.Since(start).Seconds(), first
	}
	after, err := run(db.Generation{Name: "project", Table: "projects"})
	if err != nil {
		return fmt.Errorf("%s: writes: %w", m.e.t.name, err)
	}
	label := "project writes with 16 concurrent writers (row change + generation + stamp)"
	if d.Dialect != db.Postgres {
		m.add(Result{Name: m.name(label), Unit: "writes/s", Value: after})
		return nil
	}
	before, err := run(db.Generation{Name: "project", Table: "projects", Serial: true})
	if err != nil {
		return fmt.Errorf("%s: writes: %w", m.e.t.name, err)
	}
	// The counter's values are not transaction ids: stamp every project
	// again so the mirror's horizon is not left above rows it has not read.
	if err := project.TouchAll(ctx, d); err != nil {
		return err
	}
	m.logf("%s: 16 writers: %.0f writes/s by transaction id, %.0f with the counter row", m.e.t.name, after, before)
	m.add(Result{Name: m.name(label + ", generation by transaction id"), Unit: "writes/s", Value: after,
		Reference: &Reference{Name: "the counter row (before)", Value: before}})
	m.add(Result{Name: m.name("project writes, counter row ÷ transaction id"), Unit: "×", Value: before / max(after, 0.001), Goal: goal(1),
		Reference: &Reference{Name: "writes/s by transaction id", Value: after}})
	return nil
}

// profile writes a CPU profile of what runs until stop is called, when
// ATTRACT_BENCH_PROFILE names a folder (the server runs in this process,
// so the profile shows its request path beside the load generator's).
func profile(name string) (stop func()) {
	dir := os.Getenv("ATTRACT_BENCH_PROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, name+".pprof"))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// reads runs the figures of this file.
func (m *measure) reads(ctx context.Context, scoped *client) error {
	if err := m.concurrentReads(ctx, scoped); err != nil {
		return err
	}
	return m.generationWrites(ctx)
}
