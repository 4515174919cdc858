package assess_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// cockpitNow is the cockpit the cache serves, checked against one computed
// afresh for the same actor: byte for byte the same JSON.
func (e *env) cockpitNow(a *org.Actor) assess.Cockpit {
	e.t.Helper()
	ctx := context.Background()
	body, err := e.a.Assess.Cockpit(ctx, a, 2026)
	if err != nil {
		e.t.Fatal(err)
	}
	fresh, err := e.a.Assess.CockpitData(ctx, a, 2026)
	if err != nil {
		e.t.Fatal(err)
	}
	want, _ := json.Marshal(fresh)
	if string(body) != string(want)+"\n" {
		e.t.Fatalf("cached cockpit for %s differs from a fresh one:\ncached %s\nfresh  %s", a.Username, body, want)
	}
	var c assess.Cockpit
	if err := json.Unmarshal(body, &c); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// TestCockpitCacheFollowsWrites: the cockpit served from the cache equals
// one computed afresh after each kind of write that moves its figures — a
// project signed, a target set, a month closed and a correction to it, the
// month reopened — for the city and for a county, and repeated requests
// between writes share one computation.
func TestCockpitCacheFollowsWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		dz, err := e.a.Org.LoadActor(ctx, userID(t, e, "dz_staff"))
		if err != nil {
			t.Fatal(err)
		}
		p1 := e.signed("2026-01-10", 3*yi, "441202", nil)
		headline := func(c assess.Cockpit) string { return assess.Amount(c.Headline.YTD.AmountE4) }
		if c := e.cockpitNow(all); headline(c) != money.Cents(3*yi).String() {
			t.Fatalf("headline %s", headline(c))
		}

		// Between writes every request gets the one computed answer.
		var wg sync.WaitGroup
		bodies := make([][]byte, 8)
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				bodies[i], _ = e.a.Assess.Cockpit(ctx, all, 2026)
			}()
		}
		wg.Wait()
		for i, b := range bodies {
			if len(b) == 0 || &b[0] != &bodies[0][0] {
				t.Fatalf("request %d did not share the cached answer", i)
			}
		}

		// A project signed.
		e.signed("2026-02-05", 1*yi, "441204", nil)
		if c := e.cockpitNow(all); headline(c) != money.Cents(4*yi).String() {
			t.Fatalf("after a signing: headline %s", headline(c))
		}
		if c := e.cockpitNow(dz); headline(c) != money.Cents(3*yi).String() || c.UnitID != dz.UnitID {
			t.Fatalf("county after a signing: %s unit %d", headline(c), c.UnitID)
		}

		// A target set.
		city := assess.TargetSet{Year: 2026, Items: []assess.Target{{Metric: "contract_investment", Value: 10 * yi}}}
		if _, err := e.a.Assess.SetTargets(ctx, all, city); err != nil {
			t.Fatal(err)
		}
		if c := e.cockpitNow(all); c.Headline.Target != int64(10*yi) || c.Headline.Completion.Percent() != "40.00" {
			t.Fatalf("after a target: %d %s", c.Headline.Target, c.Headline.Completion.Percent())
		}

		// January closed, then p1 terminated: the correction lands in
		// February and January keeps what it closed with.
		jan := assess.Period{Year: 2026, Month: 1}
		if _, err := e.a.Assess.Close(ctx, all, jan); err != nil {
			t.Fatal(err)
		}
		e.cockpitNow(all)
		p, err := e.a.Project.Get(ctx, all, p1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.a.Project.Move(ctx, all, p1.ID, project.Transition{Action: "terminate", Reason: "投资方撤资", Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		c := e.cockpitNow(all)
		if c.Trend.ThisYear[0] != money.Cents(3*yi).String() || c.Trend.ThisYear[1] != money.Cents(-2*yi).String() || headline(c) != money.Cents(1*yi).String() {
			t.Fatalf("after the correction: trend %v headline %s", c.Trend.ThisYear[:2], headline(c))
		}
		e.cockpitNow(dz)

		// January reopened: it is live again, without the terminated project.
		if err := e.a.Assess.Reopen(ctx, all, jan, "补录遗漏项目"); err != nil {
			t.Fatal(err)
		}
		c = e.cockpitNow(all)
		if c.Trend.ThisYear[0] != "0.00" || c.Trend.ThisYear[1] != money.Cents(1*yi).String() {
			t.Fatalf("after reopening: trend %v", c.Trend.ThisYear[:2])
		}
		e.cockpitNow(dz)
	})
}
