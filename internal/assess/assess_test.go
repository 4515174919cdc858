package assess_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/report"
)

type env struct {
	t   *testing.T
	a   *app.App
	ids map[string]int64
	n   int
}

func newEnv(t *testing.T, d *db.DB) *env {
	a := app.New(d, app.Config{Auth: auth.Defaults()})
	ctx := context.Background()
	if _, err := a.Org.Bootstrap(ctx, "Admin-pass-2026", demo.Since); err != nil {
		t.Fatal(err)
	}
	if err := a.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	ids, err := demo.LoadOrg(ctx, a.Org, "Demo-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	// The tests' "now": 2026-02-10 in Beijing.
	now := func() time.Time { return time.Date(2026, 2, 10, 4, 0, 0, 0, time.UTC) }
	a.Assess.Now, a.Project.Now = now, now
	return &env{t: t, a: a, ids: ids}
}

var all = &org.Actor{Username: "test", Scope: org.ScopeAll, Perms: map[string]bool{}}

// signed registers a project signed on a day, landing in a locality, with
// introducers code:percent.
func (e *env) signed(on string, amount money.Cents, locality string, intro map[string]money.Cents) project.Project {
	e.t.Helper()
	e.n++
	loc := e.ids[locality]
	if intro == nil {
		intro = map[string]money.Cents{locality: 100}
	}
	var ins []project.IntroducerInput
	for code, share := range intro {
		ins = append(ins, project.IntroducerInput{UnitID: e.ids[code], Share: share * 100})
	}
	p, err := e.a.Project.Create(context.Background(), &org.Actor{Username: "test", UnitID: e.ids[""], Scope: org.ScopeAll},
		project.Input{Name: fmt.Sprintf("统计测试项目%d", e.n), InvestorName: fmt.Sprintf("投资方%d", e.n), Channel: "team",
			ContractInvestment: amount, LocalityUnitID: &loc, Introducers: ins, LeadOn: civil.MustParse("2025-01-01"), ConfirmDistinct: true})
	if err != nil {
		e.t.Fatal(err)
	}
	e.exec(`UPDATE projects SET stage = 'signed', signed_on = ? WHERE id = ?`, civil.MustParse(on), p.ID)
	return p
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.a.DB.W.ExecContext(context.Background(), e.a.DB.Rebind(q), args...); err != nil {
		e.t.Fatal(err)
	}
	if err := project.TouchAll(context.Background(), e.a.DB); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) report(period string) assess.Report {
	e.t.Helper()
	p, _ := assess.ParsePeriod(period)
	r, err := e.a.Assess.Monthly(context.Background(), all, p)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func fig(r assess.Report, id int64) assess.Figure {
	if id == 0 {
		return r.City
	}
	for _, f := range r.Units {
		if f.UnitID == id {
			return f
		}
	}
	return assess.Figure{}
}

const yi = 10_000_00 // 1 亿元 in hundredths of 万元

// TestCountingRules: bands at their exact edges, shared credit, each project
// once city-wide, a locality credited in full.
func TestCountingRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.signed("2026-01-05", 100*yi, "441202", map[string]money.Cents{"WG-NEV": 50, "WG-EQP": 50}) // exactly 100亿
		e.signed("2026-01-06", 200*yi, "441202", map[string]money.Cents{"WG-NEV": 100})              // exactly 200亿
		e.signed("2026-01-07", 200*yi+1, "PARK-GY", map[string]money.Cents{"WG-EQP": 100})           // 200亿 and one hundredth of 万元
		e.signed("2026-01-08", 10*yi-1, "441204", map[string]money.Cents{"441204": 100})             // just under 10亿
		e.signed("2025-12-31", 5*yi, "441202", map[string]money.Cents{"WG-NEV": 100})                // last year
		r := e.report("2026-01")
		city, nev, eqp := fig(r, 0), fig(r, e.ids["WG-NEV"]), fig(r, e.ids["WG-EQP"])
		dz, gy, park := fig(r, e.ids["441202"]), fig(r, e.ids["441204"]), fig(r, e.ids["PARK-GY"])
		checks := []struct {
			name      string
			got, want string
		}{
			{"city count", assess.Count(city.YTD.CountBP), "4"},
			{"city amount", assess.Amount(city.YTD.AmountE4), money.Cents(100*yi + 200*yi + 200*yi + 1 + 10*yi - 1).String()},
			{"city ≥10亿", assess.Count(city.YTD.BandsBP["b10"]), "3"},
			{"city ≥100亿 (exactly 100亿 counts)", assess.Count(city.YTD.BandsBP["b100"]), "3"},
			{"city >200亿 (exactly 200亿 does not)", assess.Count(city.YTD.BandsBP["b200"]), "1"},
			{"NEV shared count", assess.Count(nev.YTD.CountBP), "1.5"},
			{"NEV shared amount", assess.Amount(nev.YTD.AmountE4), money.Cents(50*yi + 200*yi).String()},
			{"EQP count", assess.Count(eqp.YTD.CountBP), "1.5"},
			{"端州 full", assess.Count(dz.YTD.CountBP), "2"},
			{"高要 gets its park's project and its own", assess.Count(gy.YTD.CountBP), "2"},
			{"park itself", assess.Count(park.YTD.CountBP), "1"},
			{"高要 introducing itself earns nothing extra", assess.Amount(gy.YTD.AmountE4), money.Cents(200*yi + 1 + 10*yi - 1).String()},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s: got %s want %s", c.name, c.got, c.want)
			}
		}
	})
}

// TestCompletionAndRanking: completion on exact figures, ties share a rank.
func TestCompletionAndRanking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2026-01-10", 3*yi, "441202", nil)   // 端州 3亿
		e.signed("2026-01-11", 3*yi, "441203", nil)   // 鼎湖 3亿
		e.signed("2026-01-12", 2*yi-1, "441204", nil) // 高要 just short of 2亿
		e.signed("2026-01-13", 1*yi, "441223", nil)   // 广宁 1亿
		set := assess.TargetSet{Year: 2026}
		for code, target := range map[string]money.Cents{"441202": 3 * yi, "441203": 3 * yi, "441204": 2 * yi, "441223": 4 * yi} {
			id := e.ids[code]
			set.Items = append(set.Items, assess.Target{UnitID: &id, Metric: "contract_investment", Value: target})
		}
		if _, err := e.a.Assess.SetTargets(ctx, all, set); err != nil {
			t.Fatal(err)
		}
		r := e.report("2026-01")
		if f := fig(r, e.ids["441204"]); f.Completed || f.Completion.Percent() != "99.99" {
			t.Errorf("99.999…%% is shown rounded down and is not complete: %+v %s", f.Completed, f.Completion.Percent())
		}
		if f := fig(r, e.ids["441202"]); !f.Completed {
			t.Error("exactly the target is complete")
		}
		rk, err := e.a.Assess.Rank(ctx, all, 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		ranks := map[int64]int{}
		for _, g := range rk.Groups {
			for _, it := range g.Items {
				ranks[it.UnitID] = it.Rank
			}
		}
		want := map[string]int{"441202": 1, "441203": 1, "441204": 3, "441223": 4, "441225": 0}
		for code, rank := range want {
			if ranks[e.ids[code]] != rank {
				t.Errorf("%s rank %d want %d", code, ranks[e.ids[code]], rank)
			}
		}
	})
}

// TestCloseAndCorrections: a closed month never changes; a termination and a
// late entry after close land in the next open month with a note; the
// closed month's XLSX regenerates byte for byte; reopening is for the last
// closed month only.
func TestCloseAndCorrections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		p1 := e.signed("2026-01-10", 5*yi, "441202", map[string]money.Cents{"WG-NEV": 100})
		e.signed("2026-01-20", 2*yi, "441204", nil)
		jan, _ := assess.ParsePeriod("2026-01")
		if _, err := e.a.Assess.Close(ctx, all, assess.Period{Year: 2026, Month: 2}); err == nil {
			t.Fatal("a month that has not ended closed")
		}
		closed, err := e.a.Assess.Close(ctx, all, jan)
		if err != nil {
			t.Fatal(err)
		}
		first := xlsx(t, e.report("2026-01"))
		// After the close: terminate p1, add a late January project, rename a unit.
		e.exec(`UPDATE projects SET status = 'terminated' WHERE id = ?`, p1.ID)
		e.signed("2026-01-25", 1*yi, "441202", nil)
		e.exec(`UPDATE units SET name = '端州区（更名）' WHERE id = ?`, e.ids["441202"])
		again := e.report("2026-01")
		if !bytes.Equal(first, xlsx(t, again)) || assess.Amount(again.City.YTD.AmountE4) != assess.Amount(closed.City.YTD.AmountE4) {
			t.Fatal("a closed month changed")
		}
		feb := e.report("2026-02")
		city := fig(feb, 0)
		if assess.Count(city.Month.CountBP) != "0" || assess.Amount(city.Month.AmountE4) != money.Cents(-5*yi+1*yi).String() {
			t.Errorf("February corrections: count %s amount %s", assess.Count(city.Month.CountBP), assess.Amount(city.Month.AmountE4))
		}
		if assess.Amount(city.YTD.AmountE4) != money.Cents(2*yi+1*yi).String() {
			t.Errorf("February YTD: %s", assess.Amount(city.YTD.AmountE4))
		}
		rows, err := e.a.Assess.Rows(ctx, all, assess.Period{Year: 2026, Month: 2}, 0, false, nil)
		if err != nil || len(rows) != 2 || rows[0].Note == "" || rows[1].Note == "" {
			t.Fatalf("correction rows: %+v %v", rows, err)
		}
		// Reopen: only the last closed month; then January is live again.
		if err := e.a.Assess.Reopen(ctx, all, jan, ""); err == nil {
			t.Fatal("reopen without a reason")
		}
		if err := e.a.Assess.Reopen(ctx, all, jan, "补录遗漏项目"); err != nil {
			t.Fatal(err)
		}
		if live := e.report("2026-01"); live.Closed || assess.Amount(live.City.YTD.AmountE4) != money.Cents(3*yi).String() {
			t.Fatalf("reopened January: %+v", live.City.YTD)
		}
	})
}

func xlsx(t *testing.T, r assess.Report) []byte {
	var b bytes.Buffer
	if err := report.WriteXLSX(&b, r.Tables()...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSignedAtNewYear: a signing recorded at 23:30 Beijing time on 31
// December counts in December; 00:30 on 1 January counts in January.
func TestSignedAtNewYear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		// Screening is not what this test is about: make the signing gate a warning.
		e.exec(`INSERT INTO settings (key, value, version, updated_at) VALUES ('evaluation.gate', '{"mode":"warn"}', 1, CURRENT_TIMESTAMP)`)
		for _, tc := range []struct {
			utc    time.Time
			period string
		}{
			{time.Date(2025, 12, 31, 15, 30, 0, 0, time.UTC), "2025-12"},
			{time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC), "2026-01"},
		} {
			e.a.Project.Now = func() time.Time { return tc.utc }
			p := e.signed("2025-06-01", 1*yi, "441202", nil)
			e.exec(`UPDATE projects SET stage = 'negotiating', signed_on = NULL, negotiating_on = '2025-06-01' WHERE id = ?`, p.ID)
			p, _ = e.a.Project.Get(ctx, all, p.ID)
			f, err := e.a.Project.Attach(ctx, all, p.ID, project.Upload{Kind: "agreement", Filename: "a.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.a.Project.Move(ctx, all, p.ID, project.Transition{Action: "signed", AttachmentID: &f.ID, Version: p.Version}); err != nil {
				t.Fatal(err)
			}
			rows, err := e.a.Assess.Rows(ctx, all, mustPeriod(tc.period), 0, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range rows {
				found = found || r.ProjectID == p.ID
			}
			if !found {
				t.Errorf("signed at %s UTC: not in %s", tc.utc.Format(time.RFC3339), tc.period)
			}
		}
	})
}

func mustPeriod(s string) assess.Period {
	p, err := assess.ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}
