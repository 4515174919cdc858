package bench

import (
	"context"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/uscc"
	"github.com/zhaoqing/attract/internal/project"
)

func TestSectorsAreRealIndustryCodes(t *testing.T) {
	for _, s := range sectors {
		if _, ok := industry.Lookup(s.industry); !ok {
			t.Errorf("sector %s: %s is not a GB/T 4754 code", s.word, s.industry)
		}
	}
}

// The generator writes exactly what it is asked for, rows the project
// service reads back, and a second run adds to the first.
func TestGenerate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := app.New(d, app.Config{AdminPassword: adminPassword, DemoPassword: benchPassword, Auth: auth.Defaults()})
		if _, err := a.Org.Bootstrap(ctx, adminPassword, demo.Since); err != nil {
			t.Fatal(err)
		}
		if err := a.Dict.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		units, err := demo.LoadOrg(ctx, a.Org, benchPassword)
		if err != nil {
			t.Fatal(err)
		}
		w, err := LoadWorld(ctx, d.Reader(), units)
		if err != nil {
			t.Fatal(err)
		}
		today := civil.MustParse("2026-11-27")
		c, err := Generate(ctx, d, w, 300, 2000, today, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Projects != 300 || c.Tracking != 2000 {
			t.Fatalf("counts %+v, want 300 projects and 2000 tracking records", c)
		}
		c2, err := Generate(ctx, d, w, 50, 100, today, 2)
		if err != nil {
			t.Fatal("second run:", err)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM projects`:                              350,
			`SELECT COUNT(*) FROM tracking_records`:                      2100,
			`SELECT COUNT(DISTINCT project_id) FROM project_introducers`: 350,
			`SELECT COUNT(*) FROM project_requests`:                      c.Requests + c2.Requests,
			`SELECT COUNT(*) FROM (SELECT project_id FROM project_introducers GROUP BY project_id HAVING SUM(share_bp) <> 10000) x`: 0,
			// last_tracking_on is the day of the project's latest record.
			`SELECT COUNT(*) FROM projects p WHERE p.last_tracking_on IS DISTINCT FROM (SELECT MAX(on_date) FROM tracking_records t WHERE t.project_id = p.id)`: 0,
			`SELECT COUNT(*) FROM projects WHERE lead_on > '2026-11-27' OR lead_on < '2019-01-01'`:                                                              0,
		} {
			if got := countOf(t, d, q); got != want {
				t.Errorf("%s: %d, want %d", q, got, want)
			}
		}
		if n := countOf(t, d, `SELECT COUNT(DISTINCT stage) FROM projects`); n != 6 {
			t.Errorf("%d stages, want all 6", n)
		}
		if n := countOf(t, d, `SELECT COUNT(DISTINCT owner_unit_id) FROM projects`); n < 15 {
			t.Errorf("projects owned by %d units only", n)
		}
		var code string
		if err := d.Reader().QueryRowContext(ctx, `SELECT investor_uscc FROM projects WHERE investor_uscc <> '' LIMIT 1`).Scan(&code); err != nil || !uscc.Valid(code) {
			t.Errorf("credit code %q (%v)", code, err)
		}
		// The service reads the rows back, in scope.
		all, total, err := a.Project.List(ctx, &org.Actor{Scope: org.ScopeAll}, project.Filter{Limit: 20})
		if err != nil || total != 350 || len(all) != 20 {
			t.Fatalf("list: %d of %d (%v)", len(all), total, err)
		}
		if _, err := a.Project.Warnings(ctx, &org.Actor{Scope: org.ScopeAll}, "", 0); err != nil {
			t.Fatal(err)
		}
		// New rows get ids after the generated ones (PostgreSQL's sequences moved on).
		if _, err := a.Project.Create(ctx, &org.Actor{Scope: org.ScopeAll, UnitID: units["441202"], UserID: w.Users["dz_staff"], Perms: map[string]bool{}},
			project.Input{Name: "基准测试后新登记项目", InvestorName: "肇庆某某科技有限公司", Channel: "team", ConfirmDistinct: true}); err != nil {
			t.Fatal("create after generate:", err)
		}
	})
}

func countOf(t *testing.T, d *db.DB, q string) int {
	t.Helper()
	var n int
	if err := d.Reader().QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
