package bench

import (
	"context"
	"fmt"
	"time"
)

// The users the figures are measured as: a county (高要区, whose scope
// unit_and_below takes in its park) and the commission office (all).
const (
	scopedUser = "gy_staff"
	cityUser   = "zsb_staff"
)

// measure takes the figures on one filled database.
type measure struct {
	e     *env
	sc    Scale
	rep   *Report
	logf  func(string, ...any)
	part  string
	words []string // pieces of enterprise names, once the library is imported
}

func (m *measure) add(r Result) {
	r.Value = round(r.Value, 2)
	if r.Reference != nil {
		r.Reference.Value = round(r.Reference.Value, 2)
	}
	m.rep.Results = append(m.rep.Results, r)
}

func (m *measure) name(s string) string { return s + " (" + m.e.t.name + ")" }

func (m *measure) all(ctx context.Context) error {
	if m.part == "ledger" {
		return m.imports(ctx)
	}
	base := m.e.srv.URL
	scoped, err := login(ctx, base, scopedUser, benchPassword)
	if err != nil {
		return err
	}
	city, err := login(ctx, base, cityUser, benchPassword)
	if err != nil {
		return err
	}
	if err := m.floor(ctx, scoped); err != nil {
		return err
	}
	if m.part == "enterprises" {
		return m.enterprises(ctx, city)
	}
	if m.part == "load" {
		if err := m.enterprises(ctx, city); err != nil {
			return err
		}
		return m.loadAs(ctx, scoped, city)
	}
	if err := m.lists(ctx, scoped, city); err != nil {
		return err
	}
	if err := m.warnings(ctx, scoped, city); err != nil {
		return err
	}
	if err := m.reads(ctx, scoped); err != nil { // reads.go
		return err
	}
	if err := m.export(ctx, city); err != nil {
		return err
	}
	if err := m.stats(ctx, city); err != nil {
		return err
	}
	if err := m.imports(ctx); err != nil {
		return err
	}
	if m.part == "projects" {
		return m.loadAs(ctx, scoped, city)
	}
	if err := m.enterprises(ctx, city); err != nil {
		return err
	}
	return m.loadAs(ctx, scoped, city)
}

// loadAs runs the load generator as the two measured users and two more
// (a county's and a working group's staff), each signed in once.
func (m *measure) loadAs(ctx context.Context, scoped, city *client) error {
	users := []*client{scoped, city}
	for _, name := range []string{"dz_staff", "wg_nev"} {
		c, err := login(ctx, m.e.srv.URL, name, benchPassword)
		if err != nil {
			return err
		}
		users = append(users, c)
	}
	return m.load(ctx, users, m.words)
}

// floor: what any signed-in request costs (session, actor, JSON), so the
// list and warning figures can be read as floor + their own queries.
func (m *measure) floor(ctx context.Context, c *client) error {
	var ds []time.Duration
	for i := -5; i < 50; i++ {
		_, took, err := c.get(ctx, "/api/v1/auth/me", nil)
		if err != nil {
			return fmt.Errorf("%s: %w", m.e.t.name, err)
		}
		if i >= 0 {
			ds = append(ds, took)
		}
	}
	m.rep.Breakdown = append(m.rep.Breakdown, Result{Name: m.name("floor: GET /api/v1/auth/me p95"), Unit: "ms",
		Value: round(pct(ds, 0.95), 2), Reference: &Reference{Name: "p50", Value: round(pct(ds, 0.5), 2)}})
	return nil
}

// lists: the scoped, filtered, sorted list page for both users. The
// reference is the same user's plain first pages (default order, no filter).
func (m *measure) lists(ctx context.Context, scoped, city *client) error {
	for _, u := range []struct {
		c      *client
		scoped bool
		label  string
	}{{scoped, true, "unit_and_below (" + scopedUser + ")"}, {city, false, "all (" + cityUser + ")"}} {
		start := time.Now()
		t, err := listSeries(ctx, m.e, u.c, u.scoped, m.sc.ListCalls, 11)
		if err != nil {
			return fmt.Errorf("%s: %w", m.e.t.name, err)
		}
		m.logf("%s: %d list pages as %s in %.1fs", m.e.t.name, len(t.all), u.c.user, time.Since(start).Seconds())
		plain := t.byShape[listShapes[0].name]
		ref := &Reference{Name: "p95 of the unfiltered first pages", Value: pct(plain, 0.95)}
		m.add(Result{Name: m.name("project list p50, " + u.label + ", filtered + sorted"), Unit: "ms", Value: pct(t.all, 0.5)})
		m.add(Result{Name: m.name("project list p95, " + u.label + ", filtered + sorted"), Unit: "ms", Value: pct(t.all, 0.95), Goal: goal(20), Reference: ref})
		for _, sh := range listShapes {
			ds := t.byShape[sh.name]
			m.rep.Breakdown = append(m.rep.Breakdown, Result{Name: m.name(fmt.Sprintf("list p95 as %s: %s (%d rows match on average)", u.c.user, sh.name, t.rows(sh.name))),
				Unit: "ms", Value: round(pct(ds, 0.95), 2), Reference: &Reference{Name: "p50", Value: round(pct(ds, 0.5), 2)}})
		}
	}
	return nil
}

// warnings: the whole city's warning list, with a county's for reference.
func (m *measure) warnings(ctx context.Context, scoped, city *client) error {
	start := time.Now()
	all, err := warningSeries(ctx, city, m.sc.WarningCalls)
	if err != nil {
		return fmt.Errorf("%s: %w", m.e.t.name, err)
	}
	local, err := warningSeries(ctx, scoped, m.sc.WarningCalls)
	if err != nil {
		return fmt.Errorf("%s: %w", m.e.t.name, err)
	}
	m.logf("%s: warning lists in %.1fs (%d warnings city-wide, %d for %s)", m.e.t.name, time.Since(start).Seconds(),
		all.rows("warnings"), local.rows("warnings"), scopedUser)
	label := fmt.Sprintf("warning list p%%d, whole city (%s, %d warnings)", cityUser, all.rows("warnings"))
	m.add(Result{Name: m.name(fmt.Sprintf(label, 50)), Unit: "ms", Value: pct(all.all, 0.5)})
	m.add(Result{Name: m.name(fmt.Sprintf(label, 95)), Unit: "ms", Value: pct(all.all, 0.95), Goal: goal(100),
		Reference: &Reference{Name: fmt.Sprintf("p95 for %s (%d warnings)", scopedUser, local.rows("warnings")), Value: pct(local.all, 0.95)}})
	return nil
}

// export: the XLSX export of every project, streamed; the process's peak
// memory while it runs and how long it takes.
func (m *measure) export(ctx context.Context, city *client) error {
	var n int
	if err := m.e.app.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM projects`).Scan(&n); err != nil {
		return err
	}
	run, err := exportFigure(ctx, city, n)
	if err != nil {
		return fmt.Errorf("%s: export: %w", m.e.t.name, err)
	}
	how := "peak resident set (kernel high-water mark)"
	if !run.kernelPeak {
		how = "peak resident set (sampled)"
	}
	m.logf("%s: exported %d rows (%.1f MB of XLSX) in %.1fs; %s %.0f MB, Go heap in use at most %.0f MB",
		m.e.t.name, run.rows, mb(uint64(run.bytes)), run.took.Seconds(), how, mb(run.rss), mb(run.heap))
	// The goal is the export's own memory: what it adds to the resident set.
	// The process already holds the project mirror (lists' and statistics'
	// in-memory copy of the projects) and the benchmark's own data.
	m.add(Result{Name: m.name(fmt.Sprintf("XLSX export of %d rows, resident set it adds (%s − before)", run.rows, how)), Unit: "MB",
		Value: mb(run.rss - min(run.rss, run.rssBefore)), Goal: goal(200),
		Reference: &Reference{Name: fmt.Sprintf("whole process at its peak (before the export: %.0f MB)", mb(run.rssBefore)), Value: mb(run.rss)}})
	m.add(Result{Name: m.name(fmt.Sprintf("XLSX export of %d rows, Go heap in use at most", run.rows)), Unit: "MB", Value: mb(run.heap)})
	m.add(Result{Name: m.name(fmt.Sprintf("XLSX export of %d rows, duration", run.rows)), Unit: "s", Value: run.took.Seconds()})
	return nil
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
