package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/project"
)

// The load generator plays the city's users at once: sessions that read
// (the project list, the warnings, a project's page), search the
// enterprise library, edit projects, add tracking records, export a
// filtered list and keep a cockpit refreshing, each as fast as the server
// answers (no think time: the figures are what the machine can take). Each
// read is also run alone at 64 and 300 connections beside a bare net/http
// JSON handler on the same machine in the same sitting, and reported as a
// ratio to it: the handler is what Go and the loopback cost, so the ratio
// is attract's own cost, whatever else the machine is doing.

// loadOp is one kind of request a session makes.
type loadOp struct {
	name   string
	weight int // in the mixed load
	do     func(ctx context.Context, l *loader, r *rand.Rand) error
}

// loader holds what the sessions share: the server, the signed-in users'
// cookies and one transport sized for the connections.
type loader struct {
	base    string
	hc      *http.Client
	users   []*client // the signed-in users the sessions act as
	scoped  *client   // a county's staff (unit_and_below)
	city    *client   // the commission office (all)
	e       *env
	words   []string // pieces of enterprise names to search for
	maxID   int64
	year    int
	exports string // the filtered export's query
}

func newLoader(e *env, conns int, users []*client, words []string) (*loader, error) {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: 0, IdleConnTimeout: time.Minute}
	l := &loader{base: e.srv.URL, hc: &http.Client{Transport: tr, Timeout: 2 * time.Minute}, users: users, e: e, words: words, year: e.today.Year()}
	for _, u := range users {
		switch u.user {
		case scopedUser:
			l.scoped = u
		case cityUser:
			l.city = u
		}
	}
	if l.scoped == nil || l.city == nil {
		return nil, fmt.Errorf("bench: the load needs %s and %s signed in", scopedUser, cityUser)
	}
	if err := e.app.DB.Reader().QueryRowContext(context.Background(), `SELECT COALESCE(MAX(id), 0) FROM projects`).Scan(&l.maxID); err != nil {
		return nil, err
	}
	// A county's signed projects: a few hundred rows at 10,000 projects.
	l.exports = url.Values{"locality_unit_id": {strconv.FormatInt(e.world.Units["441204"], 10)}, "stage": {"signed"}}.Encode()
	return l, nil
}

// call sends one request as c and reads the answer to its end; a status
// other than 2xx is an error. out, when given, receives the decoded JSON.
func (l *loader) call(ctx context.Context, c *client, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.base+path, rd)
	if err != nil {
		return err
	}
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	if method != "GET" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := l.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s as %s: %d %s", method, path, c.user, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (l *loader) anyUser(r *rand.Rand) *client { return l.users[r.IntN(len(l.users))] }

// The operations. Reads go to the county's staff and the commission office
// alike; edits and the project page to the office (every project is in its
// scope).
var (
	opList = loadOp{"project list", 25, func(ctx context.Context, l *loader, r *rand.Rand) error {
		c := l.anyUser(r)
		sh := listShapes[r.IntN(len(listShapes))]
		q := sh.query(r, l.e, c == l.scoped)
		q.Set("page_size", "20")
		return l.call(ctx, c, "GET", "/api/v1/projects?"+q.Encode(), nil, nil)
	}}
	opWarnings = loadOp{"warnings", 8, func(ctx context.Context, l *loader, r *rand.Rand) error {
		return l.call(ctx, l.anyUser(r), "GET", fmt.Sprintf("/api/v1/warnings?page=%d&page_size=20", 1+r.IntN(3)), nil, nil)
	}}
	opPage = loadOp{"project page", 20, func(ctx context.Context, l *loader, r *rand.Rand) error {
		return l.call(ctx, l.city, "GET", fmt.Sprintf("/api/v1/projects/%d", 1+r.Int64N(l.maxID)), nil, nil)
	}}
	opSearch = loadOp{"enterprise search", 20, func(ctx context.Context, l *loader, r *rand.Rand) error {
		q := url.Values{"q": {l.words[r.IntN(len(l.words))]}, "page_size": {"20"}, "sort": {[]string{"capital", "name"}[r.IntN(2)]}}
		if r.IntN(2) == 0 {
			q.Set("industry", synth.Trades[r.IntN(len(synth.Trades))].Industry[:2])
		}
		return l.call(ctx, l.anyUser(r), "GET", "/api/v1/enterprises?"+q.Encode(), nil, nil)
	}}
	opCockpit = loadOp{"cockpit", 10, func(ctx context.Context, l *loader, r *rand.Rand) error {
		return l.call(ctx, l.anyUser(r), "GET", fmt.Sprintf("/api/v1/cockpit?year=%d", l.year), nil, nil)
	}}
	opEdit = loadOp{"project edit", 4, func(ctx context.Context, l *loader, r *rand.Rand) error {
		path := fmt.Sprintf("/api/v1/projects/%d", 1+r.Int64N(l.maxID))
		// The page's answer read as the form sends it back.
		var in project.Input
		if err := l.call(ctx, l.city, "GET", path, nil, &in); err != nil {
			return err
		}
		in.ExpectedJobs++
		in.ConfirmDistinct = true
		err := l.call(ctx, l.city, "PUT", path, in, nil)
		if err != nil && strings.Contains(err.Error(), ": 409 ") {
			return nil // another session edited it first: the answer is right
		}
		return err
	}}
	opTrack = loadOp{"tracking record", 3, func(ctx context.Context, l *loader, r *rand.Rand) error {
		body := map[string]any{"kind": "call", "on": l.e.today.String(), "summary": "电话回访，了解项目进展"}
		return l.call(ctx, l.city, "POST", fmt.Sprintf("/api/v1/projects/%d/tracking-records", 1+r.Int64N(l.maxID)), body, nil)
	}}
	opExport = loadOp{"export (a county's signed projects)", 1, func(ctx context.Context, l *loader, r *rand.Rand) error {
		return l.call(ctx, l.city, "GET", "/api/v1/projects/export?"+l.exports, nil, nil)
	}}
	mixedOps = []loadOp{opList, opWarnings, opPage, opSearch, opCockpit, opEdit, opTrack, opExport}
)

// tally is what sessions saw, by operation: the times of the answered
// requests, the number of errors and the first of them.
type tally struct {
	samples map[string][]time.Duration
	errors  map[string]int
	first   map[string]string
}

func newTally() tally {
	return tally{samples: map[string][]time.Duration{}, errors: map[string]int{}, first: map[string]string{}}
}

func (t tally) merge(o tally) {
	for k, v := range o.samples {
		t.samples[k] = append(t.samples[k], v...)
	}
	for k, v := range o.errors {
		t.errors[k] += v
		if t.first[k] == "" {
			t.first[k] = o.first[k]
		}
	}
}

// phase is what one run of sessions saw.
type phase struct {
	tally
	took   time.Duration
	cpu    float64 // the process's CPU time over the phase, in CPUs
	waits  int64   // reader-pool waits for a connection
	waited time.Duration
}

func (p *phase) count(name string) int { return len(p.samples[name]) + p.errors[name] }

// pct is a percentile of an operation's times; with none answered in the
// phase, the phase's length (they took longer).
func (p *phase) pct(name string, q float64) float64 {
	if len(p.samples[name]) == 0 {
		return float64(p.took.Milliseconds())
	}
	return pct(p.samples[name], q)
}
func (p *phase) rate(name string) float64 {
	return float64(len(p.samples[name])) / p.took.Seconds()
}

type doFunc func(ctx context.Context, op loadOp, r *rand.Rand) error

// run keeps conns sessions busy for d, each picking its next request from
// ops by weight; the first tenth of d warms up and is not recorded.
func run(ctx context.Context, conns int, d time.Duration, ops []loadOp, do doFunc) *phase {
	start := time.Now()
	from := start.Add(d / 10)
	cpu0 := cpuSeconds()
	tallies := make([]tally, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tallies[w] = session(ctx, rand.New(rand.NewPCG(uint64(w), 16)), ops, from, from.Add(d), do)
		}()
	}
	wg.Wait()
	p := &phase{tally: newTally(), took: min(time.Since(from), d)}
	p.cpu = (cpuSeconds() - cpu0) / time.Since(start).Seconds()
	for _, t := range tallies {
		p.merge(t)
	}
	return p
}

// session is one user's loop: requests one after the other until the
// phase ends, recorded from from on.
func session(ctx context.Context, r *rand.Rand, ops []loadOp, from, until time.Time, do doFunc) tally {
	total := 0
	for _, op := range ops {
		total += max(1, op.weight)
	}
	t := newTally()
	for now := time.Now(); now.Before(until) && ctx.Err() == nil; now = time.Now() {
		op := ops[len(ops)-1]
		for n, i := r.IntN(total), 0; i < len(ops); i++ {
			if n < max(1, ops[i].weight) {
				op = ops[i]
				break
			}
			n -= max(1, ops[i].weight)
		}
		err := do(ctx, op, r)
		// Recorded when it ends after the warm-up: under a heavy load
		// a request begun in the warm-up may outlast the phase.
		end := time.Now()
		switch took := end.Sub(now); {
		case end.Before(from):
		case err != nil:
			t.errors[op.name]++
			if t.first[op.name] == "" {
				t.first[op.name] = err.Error()
			}
		default:
			t.samples[op.name] = append(t.samples[op.name], took)
		}
	}
	return t
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	k, _ := strconv.ParseFloat(f[12], 64)
	return (u + k) / 100 // USER_HZ is 100 on Linux
}

// bare is the reference: a net/http handler that encodes a page of twenty
// small items as JSON, the least any JSON API answer costs.
func bare() *httptest.Server {
	type item struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	page := struct {
		Items []item `json:"items"`
		Total int    `json:"total"`
	}{Total: 20}
	for i := range 20 {
		page.Items = append(page.Items, item{int64(i + 1), "肇庆市新能源电池项目" + strconv.Itoa(i)})
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(page)
	}))
}

// bareRate is the bare handler's requests per second at conns connections.
func bareRate(ctx context.Context, conns int, d time.Duration) float64 {
	srv := bare()
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2}}
	defer hc.CloseIdleConnections()
	p := run(ctx, conns, d, []loadOp{{name: "bare"}}, func(ctx context.Context, _ loadOp, _ *rand.Rand) error {
		resp, err := hc.Get(srv.URL)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return err
	})
	return p.rate("bare")
}

// load takes the load figures: each read alone at each connection count
// beside the bare handler, the cockpit at 64 connections, then the mixed
// sessions with the process's memory followed.
func (m *measure) load(ctx context.Context, users []*client, words []string) error {
	sc := m.sc
	if sc.LoadSeconds == 0 || len(sc.LoadConns) == 0 {
		return nil
	}
	d := time.Duration(sc.LoadSeconds * float64(time.Second))
	l, err := newLoader(m.e, slices.Max(append(slices.Clone(sc.LoadConns), sc.LoadSessions)), users, words)
	if err != nil {
		return err
	}
	defer l.hc.CloseIdleConnections()
	var do doFunc = func(ctx context.Context, op loadOp, r *rand.Rand) error { return op.do(ctx, l, r) }
	m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: load phases begin at load average %s", m.e.t.name, loadAverage()))
	reads := []loadOp{opList, opWarnings, opSearch}
	if len(words) == 0 {
		reads = reads[:2]
	}
	for _, conns := range sc.LoadConns {
		ref := bareRate(ctx, conns, d)
		m.logf("%s: bare handler at %d connections: %.0f req/s (load %s)", m.e.t.name, conns, ref, loadAverage())
		m.rep.Breakdown = append(m.rep.Breakdown, Result{Name: fmt.Sprintf("bare net/http JSON handler, %d connections (%s sitting)", conns, m.e.t.name),
			Unit: "req/s", Value: round(ref, 0)})
		for _, op := range reads {
			p := m.phase(ctx, conns, d, op, do)
			rate := p.rate(op.name)
			m.add(Result{Name: m.name(fmt.Sprintf("ratio: %s alone, %d connections, to the bare handler", op.name, conns)), Unit: "%",
				Value: 100 * rate / max(ref, 1), Goal: goal(25), Min: true,
				Reference: &Reference{Name: fmt.Sprintf("%.0f req/s beside the bare handler's %.0f", rate, ref), Value: round(ref, 0)}})
			m.add(Result{Name: m.name(fmt.Sprintf("%s alone, %d connections, p99", op.name, conns)), Unit: "ms",
				Value: p.pct(op.name, 0.99), Goal: goal(200), Reference: &Reference{Name: "p50", Value: p.pct(op.name, 0.5)}})
		}
	}
	// The cockpit: a room of screens refreshing at 64 connections.
	p := m.phase(ctx, 64, d, opCockpit, do)
	m.add(Result{Name: m.name("cockpit data, 64 connections, throughput"), Unit: "req/s", Value: p.rate(opCockpit.name), Goal: goal(200), Min: true})
	m.add(Result{Name: m.name("cockpit data, 64 connections, p99"), Unit: "ms", Value: p.pct(opCockpit.name, 0.99), Goal: goal(1000),
		Reference: &Reference{Name: "p50", Value: p.pct(opCockpit.name, 0.5)}})
	return m.mixed(ctx, l, d, do)
}

// phase runs one operation alone and notes the pool's waits and the CPU.
func (m *measure) phase(ctx context.Context, conns int, d time.Duration, op loadOp, do doFunc) *phase {
	before := m.e.app.DB.R.Stats()
	p := run(ctx, conns, d, []loadOp{op}, do)
	after := m.e.app.DB.R.Stats()
	p.waits, p.waited = after.WaitCount-before.WaitCount, after.WaitDuration-before.WaitDuration
	m.logf("%s: %s alone at %d connections: %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors; %.2f CPUs busy, %d reader-pool waits (%.0f ms) (load %s)",
		m.e.t.name, op.name, conns, p.rate(op.name), p.pct(op.name, 0.5), p.pct(op.name, 0.99), p.errors[op.name],
		p.cpu, p.waits, float64(p.waited.Microseconds())/1000, loadAverage())
	m.poolNote(fmt.Sprintf("%s alone, %d connections", op.name, conns), p)
	if p.errors[op.name] > 0 {
		m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: %s at %d connections: %d errors, the first: %s", m.e.t.name, op.name, conns, p.errors[op.name], p.first[op.name]))
	}
	return p
}

func (m *measure) poolNote(what string, p *phase) {
	m.rep.Breakdown = append(m.rep.Breakdown, Result{Name: m.name(fmt.Sprintf("reader pool waits, %s (CPUs busy: %.2f of %d)", what, p.cpu, runtime.NumCPU())),
		Unit: "waits", Value: float64(p.waits), Reference: &Reference{Name: "ms waited in all", Value: round(float64(p.waited.Microseconds())/1000, 0)}})
}

// mixed runs the sessions' mix and reports every kind of request.
func (m *measure) mixed(ctx context.Context, l *loader, d time.Duration, do doFunc) error {
	n := m.sc.LoadSessions
	mem := watchMemory()
	before := m.e.app.DB.R.Stats()
	p := run(ctx, n, 2*d, mixedOps, do)
	after := m.e.app.DB.R.Stats()
	mem.finish()
	p.waits, p.waited = after.WaitCount-before.WaitCount, after.WaitDuration-before.WaitDuration
	all, errs := 0, 0
	for _, op := range mixedOps {
		all += len(p.samples[op.name])
		errs += p.errors[op.name]
	}
	m.logf("%s: %d mixed sessions: %.0f req/s, %d errors; %.2f CPUs busy; peak RSS %.0f MB (load %s)", m.e.t.name, n, float64(all)/p.took.Seconds(), errs, p.cpu, mb(mem.rssPeak), loadAverage())
	m.add(Result{Name: m.name(fmt.Sprintf("mixed load, %d sessions: throughput", n)), Unit: "req/s", Value: float64(all) / p.took.Seconds()})
	m.add(Result{Name: m.name(fmt.Sprintf("mixed load, %d sessions: errors", n)), Unit: "requests", Value: float64(errs), Goal: goal(0)})
	how := "kernel high-water mark"
	if !mem.hwm {
		how = "sampled"
	}
	m.add(Result{Name: m.name(fmt.Sprintf("mixed load, %d sessions: peak resident set of the process (server and load generator; %s)", n, how)), Unit: "MB",
		Value: mb(mem.rssPeak), Reference: &Reference{Name: "before the load (MB)", Value: mb(mem.before)}})
	for _, op := range mixedOps {
		m.rep.Breakdown = append(m.rep.Breakdown, Result{Name: m.name(fmt.Sprintf("mixed, %s: %.1f req/s, p50 %.1f ms, p95 %.1f ms, p99", op.name, p.rate(op.name), p.pct(op.name, 0.5), p.pct(op.name, 0.95))),
			Unit: "ms", Value: round(p.pct(op.name, 0.99), 2), Reference: &Reference{Name: "errors", Value: float64(p.errors[op.name])}})
		if p.errors[op.name] > 0 {
			m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: mixed load, %s: %d errors of %d, the first: %s", m.e.t.name, op.name, p.errors[op.name], p.count(op.name), p.first[op.name]))
		}
	}
	m.poolNote(fmt.Sprintf("mixed load, %d sessions", n), p)
	m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: load phases end at load average %s", m.e.t.name, loadAverage()))
	return nil
}
