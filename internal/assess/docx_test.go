package assess_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/report"
)

// docxParas is the text of each paragraph of a document's XML.
func docxParas(t *testing.T, data []byte) []string {
	t.Helper()
	paras, err := report.DOCXParagraphs(data)
	if err != nil {
		t.Fatal(err)
	}
	return paras
}

func docBytes(t *testing.T, d *report.Doc, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hasPara reports whether a paragraph contains every fragment.
func hasPara(paras []string, frags ...string) bool {
	for _, p := range paras {
		ok := true
		for _, f := range frags {
			ok = ok && strings.Contains(p, f)
		}
		if ok {
			return true
		}
	}
	return false
}

// tableRow finds the table row whose second cell (the unit) is name and
// returns the cells from the rank on.
func tableRow(paras []string, name string, width int) []string {
	for i := 1; i+width-1 < len(paras); i++ {
		if paras[i] == name {
			return paras[i-1 : i-1+width]
		}
	}
	return nil
}

// TestDocumentAmountsInYi: the bulletin and the annual evaluation state
// amounts in 亿元 (1 亿元 = 10,000 万元), read from the document's own XML.
func TestDocumentAmountsInYi(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		// 3,199,706 万元 = 319.9706 亿元 against a city target of 110亿.
		e.signed("2025-02-10", 3_199_706_00, "441202", map[string]money.Cents{"WG-NEV": 100})
		dz, nev := e.ids["441202"], e.ids["WG-NEV"]
		if _, err := e.a.Assess.SetTargets(ctx, all, assess.TargetSet{Year: 2025, Items: []assess.Target{
			{Metric: "contract_investment", Value: 1_100_000_00},
			{UnitID: &dz, Metric: "contract_investment", Value: 500_000_00},
			{UnitID: &nev, Metric: "contract_investment", Value: 4_000_000_00},
		}}); err != nil {
			t.Fatal(err)
		}
		d1, err := e.a.Assess.Bulletin(ctx, all, 2025, 1)
		paras := docxParas(t, docBytes(t, d1, err))
		if !hasPara(paras, "截至2025年3月底，全市新引进产业项目1个，合同投资总额319.97亿元，完成年度目标（110.00亿元）的290.88%") {
			t.Errorf("bulletin narrative: %q", paras[1])
		}
		// 端州区: 319.97亿 of 50亿 = 639.94 %; the working group 319.97 of 400 = 79.99 % (79.99265).
		if got := strings.Join(tableRow(paras, "端州区", 6), "|"); got != "1|端州区|1|319.97|50.00|639.94" {
			t.Errorf("bulletin 端州区 row: %q", got)
		}
		if got := strings.Join(tableRow(paras, "新能源汽车及零部件产业招商工作组", 6), "|"); got != "1|新能源汽车及零部件产业招商工作组|1|319.97|400.00|79.99" {
			t.Errorf("bulletin working group row: %q", got)
		}
		d2, err := e.a.Assess.AnnualDoc(ctx, all, 2025)
		paras = docxParas(t, docBytes(t, d2, err))
		if !hasPara(paras, "截至2025年12月底，全市新引进产业项目1个，合同投资总额319.97亿元，完成年度目标（110.00亿元）的290.88%") {
			t.Errorf("annual narrative: %q", paras[1])
		}
	})
}

// xlsxRow is the row of a sheet whose first cell is name.
func xlsxRow(t *testing.T, data []byte, sheet, name string) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == name {
			return r
		}
	}
	return nil
}

// TestCompletionRoundedDown: 99.996 % is shown as 99.99 % and "not
// completed" in the JSON, the XLSX and the bulletin; exactly the target
// shows 100.00 %.
func TestCompletionRoundedDown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2025-02-10", 99_996_00, "441204", nil)  // 高要: 99,996 of 100,000 万元
		e.signed("2025-02-11", 100_000_00, "441203", nil) // 鼎湖: exactly its target
		gy, dh := e.ids["441204"], e.ids["441203"]
		if _, err := e.a.Assess.SetTargets(ctx, all, assess.TargetSet{Year: 2025, Items: []assess.Target{
			{UnitID: &gy, Metric: "contract_investment", Value: 100_000_00},
			{UnitID: &dh, Metric: "contract_investment", Value: 100_000_00},
		}}); err != nil {
			t.Fatal(err)
		}
		rep := e.report("2025-03")
		raw, _ := json.Marshal(rep)
		var back struct {
			Units []struct {
				UnitName   string `json:"unit_name"`
				Completion string `json:"completion"`
				Completed  bool   `json:"completed"`
			} `json:"units"`
		}
		_ = json.Unmarshal(raw, &back)
		got := map[string]string{}
		for _, u := range back.Units {
			got[u.UnitName] = fmt.Sprintf("%s/%v", u.Completion, u.Completed)
		}
		if got["高要区"] != "99.99/false" || got["鼎湖区"] != "100.00/true" {
			t.Errorf("JSON completion: %v", got)
		}
		sheet := "2025-03 月统计"
		for name, want := range map[string]string{"高要区": "99.99|否", "鼎湖区": "100.00|是"} {
			row := xlsxRow(t, xlsx(t, rep), sheet, name)
			if len(row) < 12 || row[10]+"|"+row[11] != want {
				t.Errorf("XLSX %s: %v", name, row)
			}
		}
		doc, err := e.a.Assess.Bulletin(ctx, all, 2025, 1)
		paras := docxParas(t, docBytes(t, doc, err))
		if r := tableRow(paras, "高要区", 6); len(r) < 6 || r[5] != "99.99" {
			t.Errorf("bulletin 高要区: %v", r)
		}
		if r := tableRow(paras, "鼎湖区", 6); len(r) < 6 || r[5] != "100.00" {
			t.Errorf("bulletin 鼎湖区: %v", r)
		}
	})
}

// TestUntargetedUnitIsNotRanked: a locality without a target is not ranked,
// scored or listed, and every table shows it apart as 未下达目标任务; the
// explanation list keeps both units that missed their targets.
func TestUntargetedUnitIsNotRanked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		set := assess.TargetSet{Year: 2025}
		for code, amount := range map[string]money.Cents{"441202": 6 * yi, "441203": 4 * yi, "441204": 3 * yi, "441223": 1 * yi} {
			e.signed("2025-02-10", amount, code, nil)
			if code != "441223" { // 广宁 has no target
				id := e.ids[code]
				set.Items = append(set.Items, assess.Target{UnitID: &id, Metric: "contract_investment", Value: 5 * yi})
			}
		}
		if _, err := e.a.Assess.SetTargets(ctx, all, set); err != nil {
			t.Fatal(err)
		}
		rk, err := e.a.Assess.Rank(ctx, all, 2025, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range rk.Groups {
			for _, it := range g.Items {
				if it.UnitName == "广宁县" && it.Rank != 0 {
					t.Errorf("广宁 ranked %d", it.Rank)
				}
				if it.UnitName == "高要区" && it.Rank != 3 {
					t.Errorf("高要 ranked %d", it.Rank)
				}
			}
		}
		// Scores by hand: 端州 72 + 40 − 2 = 110; 鼎湖 48 + 29.33 − 2 = 75.33; 高要 36 + 24 − 2 = 58.
		ev, err := e.a.Assess.Evaluate(ctx, all, 2025)
		if err != nil {
			t.Fatal(err)
		}
		var loc assess.AnnualGroup
		for _, g := range ev.Groups {
			if g.Group == "locality" {
				loc = g
			}
		}
		var got []string
		for _, s := range loc.Scores {
			got = append(got, fmt.Sprintf("%d %s %s", s.Rank, s.UnitName, s.Total))
		}
		if strings.Join(got, "; ") != "1 端州区 110.00; 2 鼎湖区 75.33; 3 高要区 58.00" || len(loc.Untargeted) != 1 || loc.Untargeted[0].UnitName != "广宁县" {
			t.Errorf("scores %v untargeted %v", got, loc.Untargeted)
		}
		if strings.Join(ev.Commended, "、") != "端州区" || strings.Join(ev.Explain, "、") != "鼎湖区、高要区" {
			t.Errorf("lists %v %v", ev.Commended, ev.Explain)
		}
		doc, err := e.a.Assess.Bulletin(ctx, all, 2025, 1)
		paras := docxParas(t, docBytes(t, doc, err))
		if !hasPara(paras, "各地：已完成年度目标任务且考评得分排名前两名的有端州区；未完成年度目标任务且考评得分排名后两名的有鼎湖区、高要区。") {
			t.Error("bulletin lists wrong")
		}
		if r := tableRow(paras, "广宁县", 6); len(r) < 6 || r[0] != "未下达目标任务" || r[5] != "" {
			t.Errorf("bulletin 广宁县 row: %v", r)
		}
		annual, err := e.a.Assess.AnnualDoc(ctx, all, 2025)
		paras = docxParas(t, docBytes(t, annual, err))
		if r := tableRow(paras, "广宁县", 2); len(r) < 2 || r[0] != "未下达目标任务" {
			t.Errorf("annual 广宁县 row: %v", r)
		}
		if !hasPara(paras, "作情况说明（未完成年度目标任务且排名后两名）：鼎湖区、高要区。") || !hasPara(paras, "未下达目标任务的单位不计分、不排名、不列入名单") {
			t.Error("annual lists or basis wrong")
		}
		row := xlsxRow(t, xlsx(t, e.report("2025-03")), "2025-03 月统计", "广宁县")
		if len(row) < 12 || row[10] != "" || row[11] != "未下达目标任务" {
			t.Errorf("XLSX 广宁县: %v", row)
		}
	})
}

// TestClosedPeriodsRankOnExactFigures: two working groups 0.003 % apart keep
// their ranks, movement and lists once their months are closed.
func TestClosedPeriodsRankOnExactFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		set := assess.TargetSet{Year: 2025}
		for code, amount := range map[string]money.Cents{"WG-NEV": 9_124_10, "WG-EQP": 9_124_40, "WG-ECO": 5_000_00, "WG-EIT": 4_000_00} {
			e.signed("2025-02-10", amount, "441202", map[string]money.Cents{code: 100})
			id := e.ids[code]
			set.Items = append(set.Items, assess.Target{UnitID: &id, Metric: "contract_investment", Value: 10_000_00})
		}
		e.signed("2025-04-10", 100_00, "441202", map[string]money.Cents{"WG-NEV": 100}) // NEV passes EQP in Q2
		if _, err := e.a.Assess.SetTargets(ctx, all, set); err != nil {
			t.Fatal(err)
		}
		state := func() string {
			var out []string
			for q := 1; q <= 2; q++ {
				rk, err := e.a.Assess.Rank(ctx, all, 2025, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range rk.Groups {
					if g.Group != "working_group" {
						continue
					}
					for _, it := range g.Items {
						if it.Rank > 0 {
							out = append(out, fmt.Sprintf("Q%d %s %s %d %d %d", q, it.UnitName[:6], it.Completion.Percent(), it.Rank, it.PreviousRank, it.Movement))
						}
					}
				}
				ev, err := e.a.Assess.EvaluateQuarter(ctx, all, 2025, q)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("Q%d explain %s", q, strings.Join(ev.Explain, "、")))
			}
			return strings.Join(out, "\n")
		}
		want := strings.Join([]string{
			"Q1 先进 91.24 1 0 0", "Q1 新能 91.24 2 0 0", "Q1 节能 50.00 3 0 0", "Q1 电子 40.00 4 0 0",
			"Q1 explain 节能环保产业招商工作组、电子信息产业招商工作组",
			"Q2 新能 92.24 1 2 1", "Q2 先进 91.24 2 1 -1", "Q2 节能 50.00 3 3 0", "Q2 电子 40.00 4 4 0",
			"Q2 explain 节能环保产业招商工作组、电子信息产业招商工作组",
		}, "\n")
		if got := state(); got != want {
			t.Errorf("open:\n%s\nwant\n%s", got, want)
		}
		for m := 1; m <= 6; m++ {
			if _, err := e.a.Assess.Close(ctx, all, assess.Period{Year: 2025, Month: m}); err != nil {
				t.Fatal(err)
			}
		}
		if got := state(); got != want {
			t.Errorf("closed:\n%s\nwant\n%s", got, want)
		}
	})
}

// TestUnitOrder: counties/districts by division code, working groups by the
// order configured in the organisation, in the statistics and the targets sheet.
func TestUnitOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		codes := []string{"441284", "441226", "441225", "441224", "441223", "441204", "441203", "441202"}
		for _, c := range codes {
			e.signed("2026-01-10", 1*yi, c, map[string]money.Cents{"WG-NEV": 50, "WG-EQP": 50})
		}
		e.exec(`UPDATE units SET sort = 9 WHERE code = 'WG-NEV'`)
		e.exec(`UPDATE units SET sort = 1 WHERE code = 'WG-EQP'`)
		var got []string
		for _, f := range e.report("2026-01").Units {
			if f.Kind == "locality" || f.Kind == "working_group" {
				got = append(got, f.UnitName)
			}
		}
		want := "先进装备制造产业招商工作组 新能源汽车及零部件产业招商工作组 端州区 鼎湖区 高要区 广宁县 怀集县 封开县 德庆县 四会市"
		if strings.Join(got, " ") != want {
			t.Errorf("order: %v", got)
		}
		tbl, err := e.a.Assess.TargetsTable(context.Background(), 2026)
		if err != nil {
			t.Fatal(err)
		}
		var sheet []string
		for _, r := range tbl.Rows {
			if c := fmt.Sprint(r[0]); strings.HasPrefix(c, "4412") && len(c) == 6 {
				sheet = append(sheet, c)
			}
		}
		if strings.Join(sheet, " ") != "441202 441203 441204 441223 441224 441225 441226 441284" {
			t.Errorf("targets sheet order: %v", sheet)
		}
	})
}

// TestCockpitPartsAddUp: the map's parts — counties, a city-level zone —
// add up to the headline for the city and for a working group, each part
// is exactly the rows it opens, and the funnel leaves out on-hold projects.
func TestCockpitPartsAddUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2026-01-10", 3*yi, "441202", map[string]money.Cents{"WG-NEV": 50, "441202": 50})
		e.signed("2026-01-12", 1*yi+1, "441204", nil)
		e.signed("2026-02-01", 2*yi, "ZONE-GX", map[string]money.Cents{"WG-NEV": 100})
		gone := e.signed("2026-02-02", 7*yi, "441203", nil)
		e.exec(`UPDATE projects SET status = 'terminated' WHERE id = ?`, gone.ID)
		held := e.signed("2026-02-03", 1*yi, "441203", nil)
		e.exec(`UPDATE projects SET stage = 'lead', signed_on = NULL, status = 'on_hold' WHERE id = ?`, held.ID)
		c, err := e.a.Assess.CockpitData(ctx, all, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, m := range c.Map {
			parts = append(parts, m.Kind+" "+m.Name+" "+m.Count+" "+m.Amount)
		}
		if strings.Join(parts, "; ") != "county 端州区 1 30000.00; county 高要区 1 10000.01; zone 肇庆高新技术产业开发区 1 20000.00" ||
			assess.Amount(c.Headline.YTD.AmountE4) != "60000.01" {
			t.Errorf("city map %v, headline %s", parts, assess.Amount(c.Headline.YTD.AmountE4))
		}
		zone := e.ids["ZONE-GX"]
		rows, err := e.a.Assess.Rows(ctx, all, assess.Period{Year: 2026, Month: 2}, 0, true, &zone)
		if err != nil || len(rows) != 1 || rows[0].Investment != 2*yi {
			t.Errorf("zone rows %+v %v", rows, err)
		}
		funnel := map[string]int{}
		for _, f := range c.Funnel {
			funnel[f.Stage] = f.Count
			if f.Query["status"] != "active" || f.Query["stage"] != f.Stage {
				t.Errorf("funnel query %v", f.Query)
			}
		}
		if funnel["lead"] != 0 || funnel["signed"] != 3 {
			t.Errorf("funnel %v", funnel)
		}
		wg, err := e.a.Org.LoadActor(ctx, userID(t, e, "wg_nev"))
		if err != nil {
			t.Fatal(err)
		}
		c, err = e.a.Assess.CockpitData(ctx, wg, 2026)
		if err != nil {
			t.Fatal(err)
		}
		parts = nil
		for _, m := range c.Map {
			parts = append(parts, m.Kind+" "+m.Name+" "+m.Count+" "+m.Amount)
		}
		if strings.Join(parts, "; ") != "county 端州区 0.5 15000.00; zone 肇庆高新技术产业开发区 1 20000.00" || assess.Amount(c.Headline.YTD.AmountE4) != "35000.00" {
			t.Errorf("working group map %v, headline %s", parts, assess.Amount(c.Headline.YTD.AmountE4))
		}
		dz := e.ids["441202"]
		rows, err = e.a.Assess.Rows(ctx, wg, assess.Period{Year: 2026, Month: 2}, wg.UnitID, true, &dz)
		if err != nil || len(rows) != 1 || rows[0].AmountE4 != 3*yi*5000 {
			t.Errorf("working group rows in 端州 %+v %v", rows, err)
		}
	})
}

// TestProgressAtAnyDay: the year to any day, in JSON and XLSX, with band
// counts beside band targets; a closed month gives the same; no future day.
func TestProgressAtAnyDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signed("2026-01-10", 12*yi, "441202", nil)
		e.signed("2026-01-20", 3*yi, "441202", nil)
		if _, err := e.a.Assess.SetTargets(ctx, all, assess.TargetSet{Year: 2026, Items: []assess.Target{
			{Metric: "contract_investment", Value: 100 * yi}, {Metric: "band:b10", Value: 2_00}, {Metric: "band:b100", Value: 1_00},
		}}); err != nil {
			t.Fatal(err)
		}
		at := func(day string) assess.Report {
			r, err := e.a.Assess.Progress(ctx, all, civil.MustParse(day))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for _, closed := range []bool{false, true} {
			r := at("2026-01-15") // 12亿 only: one of the two ≥ 10亿 projects the city aims at
			if assess.Count(r.City.YTD.CountBP) != "1" || assess.Amount(r.City.YTD.AmountE4) != "120000.00" || r.City.Completion.Percent() != "12.00" ||
				r.City.BandTargets["b10"] != 2_00 || r.City.YTD.BandsBP["b10"] != 10_000 || r.AsOf != "2026-01-15" {
				t.Errorf("closed %v, 15 January: %+v", closed, r.City)
			}
			row := xlsxRow(t, xlsx(t, r), "2026-01 月统计", "全市")
			if len(row) != 17 || row[6] != "1" || row[7] != "0" || row[15] != "2" || row[16] != "1" { // no b200 target: the last cell is empty
				t.Errorf("closed %v, XLSX 全市: %v", closed, row)
			}
			if r := at("2026-01-31"); assess.Count(r.City.YTD.CountBP) != "2" || assess.Amount(r.City.YTD.AmountE4) != "150000.00" {
				t.Errorf("closed %v, 31 January: %+v", closed, r.City.YTD)
			}
			if _, err := e.a.Assess.Close(ctx, all, assess.Period{Year: 2026, Month: 1}); !closed && err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.a.Assess.Progress(ctx, all, civil.MustParse("2026-02-11")); err == nil {
			t.Error("a future day was answered")
		}
	})
}

// TestForecastOverdueAndBands: an expectation whose day has passed counts at
// the rate at which past overdue expectations signed later; each band
// target gets its chance; the pipeline lists exactly the projects counted.
func TestForecastOverdueAndBands(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		// History (registered 2025-01-01, before the cut-off 2025-08-11): one signed a month after its
		// expected day, one whose expected day passed unsigned, one without an expected day.
		h1 := e.signed("2025-03-01", 1*yi, "441202", nil)
		e.exec(`UPDATE projects SET expected_sign_on = '2025-02-01', negotiating_on = '2025-01-15' WHERE id = ?`, h1.ID)
		for i, exp := range []string{"2025-05-01", ""} {
			p := e.signed("2025-03-01", 1*yi, "441202", nil)
			e.exec(`UPDATE projects SET stage = 'lead', signed_on = NULL WHERE id = ?`, p.ID)
			if i == 0 {
				e.exec(`UPDATE projects SET expected_sign_on = ? WHERE id = ?`, exp, p.ID)
			}
		}
		// The pipeline (registered this year): overdue 10亿, a 200亿 + 0.01 lead due in June, one on hold.
		for _, p := range []struct {
			amount   money.Cents
			expected string
			status   string
		}{{10 * yi, "2026-01-20", "active"}, {200*yi + 1, "2026-06-01", "active"}, {5 * yi, "2026-03-01", "on_hold"}} {
			pr := e.signed("2026-01-05", p.amount, "441204", nil)
			e.exec(`UPDATE projects SET stage = 'lead', signed_on = NULL, lead_on = '2026-01-05', expected_sign_on = ?, status = ? WHERE id = ?`, p.expected, p.status, pr.ID)
		}
		if _, err := e.a.Assess.SetTargets(ctx, all, assess.TargetSet{Year: 2026, Items: []assess.Target{
			{Metric: "band:b10", Value: 2_00}, {Metric: "band:b200", Value: 1_00},
		}}); err != nil {
			t.Fatal(err)
		}
		c, err := e.a.Assess.CockpitData(ctx, all, 2026)
		if err != nil {
			t.Fatal(err)
		}
		f := c.Forecast
		// Rates: leads 1 of 3 signed (33.33 %), negotiations 1 of 1, overdue 1 of 2 (50 %).
		// Expected: 10亿 × 1/2 + 2,000,000.01 万元 × 1/3 = 50,000 + 666,666.67 = 716,666.67 万元.
		if f.LeadRate != "33.33" || f.NegotiateRate != "100.00" || f.OverdueRate != "50.00" || f.Pipeline != 2 || f.Overdue != 1 || f.Expected != "716666.67" {
			t.Errorf("forecast %+v", f)
		}
		// Chances: > 200亿 needs the June lead (1/3); two ≥ 10亿 need both (1/2 × 1/3 = 1/6).
		chance := map[string]float64{}
		for _, tf := range f.Targets {
			var v float64
			fmt.Sscan(tf.Probability, &v)
			chance[tf.Metric] = v
		}
		if c := chance["band:b200"]; c < 31 || c > 35.7 {
			t.Errorf("chance of the 200亿 breakthrough %v", chance)
		}
		if c := chance["band:b10"]; c < 15 || c > 18.4 {
			t.Errorf("chance of two ≥ 10亿 projects %v", chance)
		}
		rows, err := e.a.Assess.Pipeline(ctx, all, 2026)
		if err != nil || len(rows) != 2 {
			t.Fatalf("pipeline %+v %v", rows, err)
		}
		got := map[bool]string{}
		for _, r := range rows {
			got[r.Overdue] = r.Amount + "@" + r.Rate
		}
		if got[true] != "100000.00@50.00" || got[false] != "2000000.01@33.33" {
			t.Errorf("pipeline rows %v", got)
		}
	})
}
