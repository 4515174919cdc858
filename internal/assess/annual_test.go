package assess_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/report"
)

// TestAnnualLists: the three lists exactly as the seed words them, ties
// included at both ends, and the major reward for a project over 200亿.
func TestAnnualLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		// Localities: two tie at the top having met their targets, one in the
		// middle, two tie at the bottom having missed theirs.
		amounts := map[string]money.Cents{"441202": 6 * yi, "441203": 6 * yi, "441204": 4 * yi, "441223": 1 * yi, "441224": 1 * yi}
		set := assess.TargetSet{Year: 2025}
		for code, amount := range amounts {
			e.signed("2025-05-10", amount, code, nil)
			id := e.ids[code]
			set.Items = append(set.Items, assess.Target{UnitID: &id, Metric: "contract_investment", Value: 5 * yi})
		}
		// A 200亿+ project shared by a working group and landing in 广宁.
		e.signed("2025-06-01", 200*yi+100, "441223", map[string]money.Cents{"WG-NEV": 100})
		nev := e.ids["WG-NEV"]
		set.Items = append(set.Items, assess.Target{UnitID: &nev, Metric: "contract_investment", Value: 100 * yi})
		if _, err := e.a.Assess.SetTargets(ctx, all, set); err != nil {
			t.Fatal(err)
		}
		// Evaluate at year end (the test clock is in 2026).
		ev, err := e.a.Assess.Evaluate(ctx, all, 2025)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ev.Commended)
		slices.Sort(ev.Explain)
		// 广宁 ranks first (its 200亿 project, completion capped at 120 %); 端州 and 鼎湖 tie
		// second: each has fewer than two units strictly above, so all three are commended.
		if !slices.Equal(ev.Commended, []string{"广宁县", "新能源汽车及零部件产业招商工作组", "端州区", "鼎湖区"}) {
			t.Errorf("commended: %v", ev.Commended)
		}
		// 怀集 ranks last and 高要 next to last; both missed their targets.
		if !slices.Equal(ev.Explain, []string{"怀集县", "高要区"}) {
			t.Errorf("explanation required: %v", ev.Explain)
		}
		if !slices.Equal(ev.MajorReward, []string{"广宁县", "新能源汽车及零部件产业招商工作组"}) {
			t.Errorf("major reward: %v", ev.MajorReward)
		}
		for _, g := range ev.Groups {
			for _, s := range g.Scores {
				if s.UnitName == "端州区" && (s.Rank != 2 || s.Items["never_started"] != "-2.00") {
					t.Errorf("端州 %+v", s)
				}
			}
		}
		// The document says the same lists in the seed's words.
		doc, err := e.a.Assess.AnnualDoc(ctx, all, 2025)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := doc.Write(&b); err != nil {
			t.Fatal(err)
		}
		text := docxText(t, b.Bytes())
		line := func(prefix string) string {
			_, rest, _ := strings.Cut(text, prefix)
			got, _, _ := strings.Cut(rest, "。")
			names := strings.Split(got, "、")
			slices.Sort(names)
			return strings.Join(names, "、")
		}
		if got := line("作情况说明（未完成年度目标任务且排名后两名）："); got != strings.Join(ev.Explain, "、") {
			t.Errorf("the document's explanation list: %q", got)
		}
		if got := line("通报表扬（完成年度目标任务且排名前两名）："); got != strings.Join(ev.Commended, "、") {
			t.Errorf("the document's commended list: %q", got)
		}
		if !strings.Contains(text, "2025年度全市招商引资工作考评结果") {
			t.Error("the document has no title")
		}
	})
}

// docxText is the text of a DOCX's body, runs joined.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			raw, _ := io.ReadAll(rc)
			rc.Close()
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(raw), "")
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestClosedQuarterBulletinIsStable: the bulletin of a closed quarter
// regenerates byte for byte after the data move on.
func TestClosedQuarterBulletinIsStable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2025-02-10", 3*yi, "441202", map[string]money.Cents{"WG-NEV": 100})
		for m := 1; m <= 3; m++ {
			if _, err := e.a.Assess.Close(ctx, all, assess.Period{Year: 2025, Month: m}); err != nil {
				t.Fatal(err)
			}
		}
		gen := func() []byte {
			doc, err := e.a.Assess.Bulletin(ctx, all, 2025, 1)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := doc.Write(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		first := gen()
		e.signed("2025-03-20", 9*yi, "441204", nil) // a late entry after the close
		e.exec(`UPDATE units SET name = '端州区（新）' WHERE id = ?`, e.ids["441202"])
		if !bytes.Equal(first, gen()) {
			t.Fatal("a closed quarter's bulletin changed")
		}
	})
}

// TestCockpitAddsUp: the cockpit's trend adds up to its headline, the map's
// counties to their figures, and a locality user sees only their locality.
func TestCockpitAddsUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2026-01-10", 3*yi, "441202", map[string]money.Cents{"WG-NEV": 50, "441202": 50})
		e.signed("2026-02-05", 1*yi+1, "441204", nil)
		c, err := e.a.Assess.CockpitData(ctx, all, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var sum money.Cents
		for _, m := range c.Trend.ThisYear {
			v, _ := money.Parse(m)
			sum += v
		}
		if sum.String() != assess.Amount(c.Headline.YTD.AmountE4) || sum != 4*yi+1 {
			t.Errorf("trend %s vs headline %s", sum, assess.Amount(c.Headline.YTD.AmountE4))
		}
		areas := map[string]string{}
		for _, m := range c.Map {
			areas[m.Code] = m.Amount
		}
		if areas["441202"] != money.Cents(3*yi).String() || areas["441204"] != money.Cents(1*yi+1).String() || len(c.Map) != 2 {
			t.Errorf("map %v", c.Map)
		}
		funnel := 0
		for _, f := range c.Funnel {
			funnel += f.Count
		}
		if funnel != 2 || len(c.Big) != 2 || c.Big[0].Amount != money.Cents(3*yi).String() {
			t.Errorf("funnel %d big %+v", funnel, c.Big)
		}
		dz, err := e.a.Org.LoadActor(ctx, userID(t, e, "dz_staff"))
		if err != nil {
			t.Fatal(err)
		}
		c, err = e.a.Assess.CockpitData(ctx, dz, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if c.Scope != "unit" || assess.Amount(c.Headline.YTD.AmountE4) != money.Cents(3*yi).String() || len(c.Map) != 1 || len(c.Big) != 1 {
			t.Errorf("dz cockpit: %s %v %d", assess.Amount(c.Headline.YTD.AmountE4), c.Map, len(c.Big))
		}
	})
}

func userID(t *testing.T, e *env, name string) int64 {
	var id int64
	if err := e.a.DB.Reader().QueryRowContext(context.Background(), e.a.DB.Rebind(`SELECT id FROM users WHERE username = ?`), name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestTargetsSheetRoundTrip: export the year's targets, fill in the sheet,
// import it; a bad cell names its row and column and changes nothing.
func TestTargetsSheetRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		tbl, err := e.a.Assess.TargetsTable(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		tbl.Rows[0][2] = "14600000" // city: 1460亿
		for _, r := range tbl.Rows {
			if r[0] == "441202" {
				r[2], r[3] = "500000.50", "12"
			}
		}
		var b bytes.Buffer
		if err := report.WriteXLSX(&b, tbl); err != nil {
			t.Fatal(err)
		}
		set, _, err := e.a.Assess.ImportTargets(ctx, all, 2026, b.Bytes())
		if err != nil || len(set.Items) != 3 {
			t.Fatalf("import: %+v %v", set, err)
		}
		tbl.Rows[1][2] = "12.345"
		b.Reset()
		_ = report.WriteXLSX(&b, tbl)
		_, problems, err := e.a.Assess.ImportTargets(ctx, all, 2026, b.Bytes())
		if err == nil || len(problems) != 1 || !strings.Contains(problems[0], "第 3 行") || !strings.Contains(problems[0], "合同投资额") {
			t.Fatalf("bad cell: %v %v", problems, err)
		}
		if again, _ := e.a.Assess.Targets(ctx, 2026); len(again.Items) != 3 {
			t.Fatalf("a refused import changed the targets: %+v", again.Items)
		}
	})
}

// TestStatisticsAreScoped: a county's user sees its own lines only, no city
// line, and cannot read another unit's rows.
func TestStatisticsAreScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2026-01-10", 3*yi, "441202", map[string]money.Cents{"WG-NEV": 100})
		e.signed("2026-01-11", 2*yi, "441204", nil)
		dz, err := e.a.Org.LoadActor(ctx, userID(t, e, "dz_staff"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.a.Assess.Monthly(ctx, dz, assess.Period{Year: 2026, Month: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r.City.Kind != "" || len(r.Units) != 1 || r.Units[0].UnitID != e.ids["441202"] {
			t.Fatalf("dz sees %+v and city %+v", r.Units, r.City.UnitName)
		}
		if _, err := e.a.Assess.Rows(ctx, dz, assess.Period{Year: 2026, Month: 1}, e.ids["441204"], true, nil); err == nil {
			t.Fatal("dz read 高要's rows")
		}
		if _, err := e.a.Assess.Rows(ctx, dz, assess.Period{Year: 2026, Month: 1}, 0, true, nil); err == nil {
			t.Fatal("dz read the city's rows")
		}
	})
}
