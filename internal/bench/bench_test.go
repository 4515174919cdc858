package bench

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The whole benchmark at a tiny scale: every figure is taken and written
// in the contract's JSON shape. Timings are not asserted.
func TestRunTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole benchmark")
	}
	o := Options{Scale: Scales["tiny"], Postgres: os.Getenv("ATTRACT_TEST_POSTGRES")}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	dbs := 1
	if o.Postgres != "" {
		dbs = 2
	}
	// per database: 4 list, 2 warning, 3 export, 5 statistics, 2 import, 2
	// import rate, 4 import memory, 6 enterprise and 2 enterprise import
	// memory figures,
	// the load's 6 per read alone, 2 of the cockpit and 3 of the mixed
	// sessions, and the project-read figures
	if want := 41*dbs + readFigures(dbs); len(rep.Results) != want {
		for _, r := range rep.Results {
			t.Log(r.Name)
		}
		t.Fatalf("%d results, want %d; notes %v", len(rep.Results), want, rep.Notes)
	}
	for _, r := range rep.Results {
		if r.Value < 0 || r.Unit == "" || r.Name == "" {
			t.Errorf("result %+v", r)
		}
		// The chain map has no reference in its issue; the search's comes
		// from the sqlite3 shell, which a machine may lack.
		if strings.Contains(r.Name, "p95") && r.Reference == nil && !strings.HasPrefix(r.Name, "chain map") && !strings.HasPrefix(r.Name, "enterprise name search") {
			t.Errorf("%s has no reference", r.Name)
		}
	}
	path := filepath.Join(t.TempDir(), "bench.json")
	if err := rep.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"name", "unit", "value", "goal", "reference"} {
		if _, ok := doc.Results[0][key]; !ok {
			t.Errorf("JSON result lacks %q: %s", key, raw[:min(len(raw), 300)])
		}
	}
	var out strings.Builder
	rep.Print(&out)
	if !strings.Contains(out.String(), "≤ 20") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := pct(ds, 0.95); p != 95 {
		t.Errorf("p95 of 1..100 ms = %v", p)
	}
	if p := pct(ds, 0.5); p != 50 {
		t.Errorf("p50 of 1..100 ms = %v", p)
	}
	if p := pct(ds[:1], 0.95); p != 1 {
		t.Errorf("p95 of one = %v", p)
	}
}
