// Package bench is `attract bench`: it fills scratch databases (SQLite, and
// PostgreSQL when given one) with a city's worth of projects, serves attract
// over them and measures, through HTTP as the UI calls it, the figures the
// issues set goals for. Every figure is printed with its goal and whether it
// was reached; none is asserted (performance is measured, not tested).
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Scale is how much data and how many requests.
type Scale struct {
	Name               string
	Projects, Tracking int
	LedgerRows         int // rows of the ledger imported
	ListCalls          int // per user
	WarningCalls       int
	Enterprises        int // rows of the enterprise library imported
	SearchCalls        int // name searches per query length
	// The load generator (load.go): each read alone at each of LoadConns
	// connections, then LoadSessions mixed sessions, LoadSeconds a phase
	// (the mixed one twice as long).
	LoadConns    []int
	LoadSessions int
	LoadSeconds  float64
}

// Scales: full is the issues' figure (100,000 projects, 1,000,000 tracking
// records, a 50,000-row ledger); small runs in under a minute.
var Scales = map[string]Scale{
	"small": {Name: "small", Projects: 10_000, Tracking: 100_000, LedgerRows: 5_000, ListCalls: 90, WarningCalls: 15, Enterprises: 100_000, SearchCalls: 100,
		LoadConns: []int{64, 300}, LoadSessions: 300, LoadSeconds: 3},
	"full": {Name: "full", Projects: 100_000, Tracking: 1_000_000, LedgerRows: 50_000, ListCalls: 270, WarningCalls: 30, Enterprises: 1_000_000, SearchCalls: 200,
		LoadConns: []int{64, 300}, LoadSessions: 300, LoadSeconds: 15},
	"tiny": {Name: "tiny", Projects: 500, Tracking: 3_000, LedgerRows: 200, ListCalls: 18, WarningCalls: 4, Enterprises: 3_000, SearchCalls: 10,
		LoadConns: []int{8}, LoadSessions: 16, LoadSeconds: 0.5},
}

// Options of a run.
type Options struct {
	Scale    Scale
	Postgres string    // DSN of a PostgreSQL server; "" skips PostgreSQL
	Keep     bool      // keep the scratch databases (to EXPLAIN queries by hand)
	Only     string    // "sqlite" or "postgres": measure on that one only
	Part     string    // "projects", "ledger" (the imports alone), "enterprises" or "load": those figures only; "" all
	Log      io.Writer // progress; nil for none
}

// Reference is the same measurement without the scope or filter, for scale.
type Reference struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Result is one figure.
type Result struct {
	Name      string     `json:"name"`
	Unit      string     `json:"unit"`
	Value     float64    `json:"value"`
	Goal      *float64   `json:"goal"` // an upper bound (a lower one with Min); nil: no goal
	Min       bool       `json:"goal_is_minimum,omitempty"`
	Reference *Reference `json:"reference"`
}

// Verdict is "ok", "MISS" or "" (no goal).
func (r Result) Verdict() string {
	switch {
	case r.Goal == nil:
		return ""
	case r.Min && r.Value >= *r.Goal, !r.Min && r.Value <= *r.Goal:
		return "ok"
	}
	return "MISS"
}

// Report is what a run found.
type Report struct {
	Scale     string   `json:"scale"`
	Results   []Result `json:"results"`
	Breakdown []Result `json:"breakdown,omitempty"` // per request shape, to see what is slow
	Notes     []string `json:"notes,omitempty"`
}

func goal(v float64) *float64 { return &v }

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Run measures every figure on SQLite, then on PostgreSQL when a DSN is given.
func Run(ctx context.Context, o Options) (*Report, error) {
	rep := &Report{Scale: o.Scale.Name}
	logf := func(format string, args ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
		}
	}
	if o.Only != "" && o.Only != "sqlite" && o.Only != "postgres" {
		return nil, fmt.Errorf("bench: --only is sqlite or postgres, not %q", o.Only)
	}
	switch o.Part {
	case "", "projects", "ledger", "enterprises", "load":
	default:
		return nil, fmt.Errorf("bench: --part is projects, ledger, enterprises or load, not %q", o.Part)
	}
	rep.Notes = append(rep.Notes, "machine: "+machine())
	defer func() { rep.Notes = append(rep.Notes, "load average at the end: "+loadAverage()) }()
	if o.Only != "postgres" {
		t, err := scratchSQLite()
		if err != nil {
			return nil, err
		}
		if err := runOn(ctx, t, o, rep, logf); err != nil {
			return rep, err
		}
	}
	if o.Only == "sqlite" {
		return rep, nil
	}
	if o.Postgres == "" {
		rep.Notes = append(rep.Notes, "PostgreSQL skipped: no DSN (--pg or ATTRACT_BENCH_POSTGRES)")
		return rep, nil
	}
	t, err := scratchPostgres(ctx, o.Postgres)
	if err != nil {
		return rep, err
	}
	return rep, runOn(ctx, t, o, rep, logf)
}

// machine says what the figures were taken on: other work on the machine
// moves them, so the load is part of the record.
func machine() string {
	return fmt.Sprintf("%d CPUs, %s/%s, %s; load average at the start: %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), loadAverage())
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// runOn fills one scratch database, measures, and removes it (unless kept).
func runOn(ctx context.Context, t target, o Options, rep *Report, logf func(string, ...any)) error {
	defer func() {
		if o.Keep {
			logf("%s kept: %s", t.name, t.where)
			rep.Notes = append(rep.Notes, t.name+" database kept: "+t.where)
			return
		}
		if err := t.remove(); err != nil {
			logf("%s: could not remove %s: %v", t.name, t.where, err)
		}
	}()
	sc := o.Scale
	if o.Part == "enterprises" {
		sc.Projects, sc.Tracking = 0, 0
	}
	e, err := setup(ctx, t, sc, logf)
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	defer e.close()
	if e.settings != "" {
		rep.Notes = append(rep.Notes, e.settings)
	}
	m := &measure{e: e, sc: o.Scale, rep: rep, logf: logf, part: o.Part}
	return m.all(ctx)
}

// Print writes the figures as a table, then the breakdown and the notes.
func (rep *Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "figure (scale %s)\tvalue\tunit\tgoal\t\treference\n", rep.Scale)
	for _, r := range rep.Results {
		printRow(tw, r)
	}
	tw.Flush()
	if len(rep.Breakdown) > 0 {
		fmt.Fprintln(w, "\nbreakdown by request shape:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range rep.Breakdown {
			printRow(tw, r)
		}
		tw.Flush()
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func printRow(w io.Writer, r Result) {
	g, ref := "", ""
	if r.Goal != nil {
		g = map[bool]string{false: "≤ ", true: "≥ "}[r.Min] + trimFloat(*r.Goal)
	}
	if r.Reference != nil {
		ref = fmt.Sprintf("%s: %s", r.Reference.Name, trimFloat(r.Reference.Value))
	}
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, trimFloat(r.Value), r.Unit, g, r.Verdict(), ref)
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// WriteJSON writes the report to a file.
func (rep *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Missed lists the figures that missed their goal.
func (rep *Report) Missed() []Result {
	var out []Result
	for _, r := range rep.Results {
		if r.Verdict() == "MISS" {
			out = append(out, r)
		}
	}
	return out
}
