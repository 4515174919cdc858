package chain_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/uscc"
	"github.com/zhaoqing/attract/internal/project"
)

var all = &org.Actor{Username: "test", Scope: org.ScopeAll, Perms: map[string]bool{}, UnitID: 1}

func code(i int) string {
	s := fmt.Sprintf("91440300MA%07d", i)
	return s + string(uscc.CheckChar(s))
}

// The map counts local and target enterprises and projects on each link,
// rolls them up, marks gaps by the documented rule, and a gap's
// recommendations show their score parts.
func TestMapAndRecommendations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
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
		now := func() time.Time { return time.Date(2026, 2, 10, 4, 0, 0, 0, time.UTC) }
		a.Enterprise.Now, a.Project.Now, a.Chain.Now = now, now, now
		add := func(i int, name, industry, region string, tags ...string) enterprise.Enterprise {
			e, err := a.Enterprise.Create(ctx, all, enterprise.Input{CreditCode: code(i), Name: name, IndustryCode: industry, RegionCode: region,
				RegisteredCapital: money.Cents(100000_00), Tags: tags})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		add(1, "肇庆甲新能源汽车有限公司", "3612", "441202")
		add(2, "四会乙汽车有限公司", "3612", "441284")
		add(3, "深圳丙汽车有限公司", "3612", "440300")
		add(4, "上海丁汽车有限公司", "3612", "310000")
		add(5, "北京戊汽车有限公司", "3612", "110000")
		charger := add(6, "深圳己充电桩科技有限公司", "3811", "440300", "listed")
		add(7, "苏州庚换电服务有限公司", "7320", "320500") // fits 充换电 by its keyword only
		loc := ids["441202"]
		if _, err := a.Project.Create(ctx, all, project.Input{Name: "整车项目", InvestorName: "某汽车公司", IndustryCode: "3612", Channel: "team",
			LocalityUnitID: &loc, Introducers: []project.IntroducerInput{{UnitID: loc, Share: 100_00}}}); err != nil {
			t.Fatal(err)
		}
		var nev chain.Chain
		cs, _ := a.Chain.List(ctx)
		for _, c := range cs {
			if c.Code == "nev" {
				nev = c
			}
		}
		m, err := a.Chain.Map(ctx, all, nev.ID)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]chain.MapNode{}
		for _, n := range m.Nodes {
			byName[n.Name] = n
		}
		got := func(name string) string {
			n := byName[name]
			return fmt.Sprintf("%d/%d/%d %s", n.Local, n.Target, n.Projects, n.Strength)
		}
		if g := got("整车制造"); g != "2/3/1 weak" { // 2 + 2×1 = 4 < 5
			t.Errorf("整车制造: %s", g)
		}
		if g := got("充换电"); g != "0/2/0 gap" {
			t.Errorf("充换电: %s", g)
		}
		if g := got("下游"); g != "2/5/1 weak" { // 整车制造 + 充换电 + 电池回收 (empty)
			t.Errorf("下游 rolls up: %s", g)
		}
		// Project figures follow the caller's scope: 高要区 sees none of 端州's.
		gy := &org.Actor{Username: "gy", Scope: org.ScopeUnit, UnitID: ids["441204"], Perms: map[string]bool{}}
		mg, err := a.Chain.Map(ctx, gy, nev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range mg.Nodes {
			if n.Name == "整车制造" && (n.Projects != 0 || n.Local != 2) {
				t.Errorf("整车制造 for 高要区: %+v", n)
			}
		}
		rec, err := a.Chain.Recommend(ctx, all, byName["充换电"].ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Mode != "fill" || len(rec.Items) != 2 || rec.Items[0].Enterprise.ID != charger.ID {
			t.Fatalf("recommendations: %+v", rec)
		}
		p := rec.Items[0].Parts
		if p.LinkFit != 40 || p.Tags != 10 || rec.Items[0].Score != p.LinkFit+p.Tags+p.Size+p.Intentions+p.Expansion+p.Region {
			t.Fatalf("parts %+v score %v", p, rec.Items[0].Score)
		}
		if kw := rec.Items[1].Parts.LinkFit; kw != 20 { // keyword only
			t.Fatalf("keyword-only fit %v", kw)
		}
	})
}
