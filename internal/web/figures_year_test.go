package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/report"
)

// yearProject is one project of the small year, entered through the API.
type yearProject struct {
	name      string
	amount    string // 万元, as typed
	locality  string
	intro     map[string]int // unit code → share (%)
	signedOn  string
	terminate string // the day it is terminated after signing, if any
}

// The small year (2025): every edge the counting rules have.
var smallYear = []yearProject{
	{"边界一百亿项目", "1000000.00", "441202", map[string]int{"WG-NEV": 60, "WG-EQP": 40}, "2025-01-01", ""}, // exactly 100亿, 60/40, first day
	{"边界二百亿项目", "2000000.00", "441204", map[string]int{"WG-NEV": 25, "WG-EQP": 75}, "2025-03-15", ""}, // exactly 200亿, 25/75
	{"超二百亿项目", "2000000.01", "441203", map[string]int{"WG-EQP": 100}, "2025-06-30", ""},               // 200亿 + 0.01 万元
	{"差一分十亿项目", "99999.99", "441202", map[string]int{"441202": 100}, "2025-12-31", ""},                // 99,999.99 万元, last day
	{"上年末项目", "50000.00", "441202", map[string]int{"WG-NEV": 100}, "2024-12-31", ""},                  // the previous year's 31 December
	{"签约后终止项目", "300000.00", "441204", map[string]int{"WG-NEV": 100}, "2025-02-10", "2025-04-01"},     // terminated after signing
	{"无目标县项目", "120000.00", "441226", map[string]int{"441226": 100}, "2025-05-20", ""},                // 德庆县 has no target
	{"甲组项目", "91241.00", "441223", map[string]int{"WG-TA": 100}, "2025-07-01", ""},                    // 91.241 %
	{"乙组项目", "91244.00", "441223", map[string]int{"WG-TB": 100}, "2025-07-02", ""},                    // 91.244 %: 0.003 % apart
	{"功能区项目", "150000.00", "ZONE-GX", map[string]int{"WG-ECO": 100}, "2025-09-09", ""},                // a city-level zone
	{"次年项目", "70000.00", "441202", map[string]int{"WG-NEV": 100}, "2026-01-01", ""},                   // the next year
}

// TestOneYearEveryFigure enters a small year through the HTTP API only and
// reads every official figure back from the JSON, the XLSX cells and the
// text of the DOCX, open, after closing the year and after publishing its
// evaluation, against values worked out by hand (in the comments).
func TestOneYearEveryFigure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ids := enterSmallYear(t, h)
		zsb := h.as("zsb_staff")
		checkYear(t, zsb, ids, false)
		for m := 1; m <= 12; m++ {
			if st, b := zsb.do("POST", fmt.Sprintf("/api/v1/periods/2025-%02d/close", m), nil); st != 200 {
				t.Fatalf("close 2025-%02d: %d %s", m, st, b)
			}
		}
		checkYear(t, zsb, ids, true)
		// Published, and next year's scheme changed: every figure still as worked out above.
		if st, b := zsb.do("POST", "/api/v1/stats/annual/2025/publish", nil); st != 200 {
			t.Fatalf("publish: %d %s", st, b)
		}
		_, doc := zsb.do("GET", "/api/v1/stats/annual/docx?year=2025", nil)
		var sc schemeBody
		zsb.get("/api/v1/stats/scheme?year=2026", &sc)
		sc.Items[1]["weight"] = json.Number("10")
		if st, b := zsb.do("PUT", "/api/v1/stats/scheme", sc); st != 200 {
			t.Fatalf("2026 scheme: %d %s", st, b)
		}
		checkYear(t, zsb, ids, true)
		if _, again := zsb.do("GET", "/api/v1/stats/annual/docx?year=2025", nil); !bytes.Equal(doc, again) {
			t.Error("the published document changed")
		}
	})
}

// enterSmallYear creates two working groups, the targets and the projects
// through the API and returns unit ids by code.
func enterSmallYear(t *testing.T, h *harness) map[string]int64 {
	t.Helper()
	sys, zsb := h.as("sysadmin"), h.as("zsb_staff")
	ids := unitIDs(t, sys)
	for _, u := range []struct{ code, name string }{{"WG-TA", "测试甲组"}, {"WG-TB", "测试乙组"}} {
		st, b := sys.do("POST", "/api/v1/units", map[string]any{"code": u.code, "name": u.name, "short_name": u.name, "kind": "working_group",
			"parent_id": ids["ROOT"], "effective_on": "2024-01-01", "sort": 50})
		if st != 201 && st != 200 {
			t.Fatalf("create unit %s: %d %s", u.code, st, b)
		}
	}
	ids = unitIDs(t, sys)
	// Screening is not what this test is about: signing warns instead of refusing.
	var gate struct{ Version int }
	sys.get("/api/v1/settings/screening-gate", &gate)
	if st, b := sys.do("PUT", "/api/v1/settings/screening-gate", map[string]any{"mode": "warn", "version": gate.Version}); st != 200 {
		t.Fatalf("gate: %d %s", st, b)
	}
	var items []map[string]any
	for code, v := range map[string]string{"": "5000000", "441202": "1100000", "441204": "1500000", "441203": "2000000", "441223": "500000",
		"ZONE-GX": "100000", "WG-NEV": "1000000", "WG-EQP": "4000000", "WG-TA": "100000", "WG-TB": "100000"} {
		var unit any
		if code != "" {
			unit = ids[code]
		}
		items = append(items, map[string]any{"unit_id": unit, "metric": "contract_investment", "value": json.Number(v)})
	}
	if st, b := zsb.do("PUT", "/api/v1/targets", map[string]any{"year": 2025, "items": items}); st != 200 {
		t.Fatalf("targets: %d %s", st, b)
	}
	for i, p := range smallYear {
		enterProject(t, zsb, ids, i, p)
	}
	return ids
}

func unitIDs(t *testing.T, c *client) map[string]int64 {
	var list struct {
		Items []struct {
			ID   int64
			Code string
			Kind string
		}
	}
	c.get("/api/v1/units", &list)
	out := map[string]int64{}
	for _, u := range list.Items {
		out[u.Code] = u.ID
		if u.Kind == "commission_office" && out["ROOT"] == 0 {
			out["ROOT"] = u.ID
		}
	}
	return out
}

// enterProject registers a lead, moves it to negotiating, uploads the
// agreement and signs it on its day (and terminates it when asked).
func enterProject(t *testing.T, c *client, ids map[string]int64, i int, p yearProject) {
	t.Helper()
	var intro []map[string]any
	for code, share := range p.intro {
		intro = append(intro, map[string]any{"unit_id": ids[code], "share": share})
	}
	loc := ids[p.locality]
	st, b := c.do("POST", "/api/v1/projects", map[string]any{"name": p.name, "investor_name": fmt.Sprintf("边界测试投资方%d有限公司", i),
		"channel": "team", "contract_investment": json.Number(p.amount), "locality_unit_id": loc, "introducers": intro,
		"lead_on": "2024-11-01", "confirm_distinct": true})
	if st != 201 {
		t.Fatalf("create %s: %d %s", p.name, st, b)
	}
	var pr struct {
		ID      int64
		Version int
	}
	mustJSON(t, b, &pr)
	move := func(body map[string]any) {
		t.Helper()
		body["version"] = pr.Version
		st, b := c.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", pr.ID), body)
		if st != 200 {
			t.Fatalf("%s %v: %d %s", p.name, body["action"], st, b)
		}
		mustJSON(t, b, &pr)
	}
	move(map[string]any{"action": "negotiating", "on": "2024-12-01"})
	st, b = c.do("POST", fmt.Sprintf("/api/v1/projects/%d/attachments", pr.ID), upload{kind: "agreement", filename: "协议.pdf", data: pdf})
	if st != 201 && st != 200 {
		t.Fatalf("attach %s: %d %s", p.name, st, b)
	}
	var att struct{ ID int64 }
	mustJSON(t, b, &att)
	move(map[string]any{"action": "signed", "on": p.signedOn, "attachment_id": att.ID})
	if p.terminate != "" {
		move(map[string]any{"action": "terminate", "on": p.terminate, "reason": "投资方撤回"})
	}
}

// checkYear reads every figure of 2025 back and compares it with the
// values worked out by hand.
func checkYear(t *testing.T, c *client, ids map[string]int64, closed bool) {
	t.Helper()
	state := map[bool]string{false: "open", true: "closed"}[closed]
	// City, 2025 (the 2024 and 2026 projects and the terminated one left out): 1,000,000 + 2,000,000
	// + 2,000,000.01 + 99,999.99 + 120,000 + 91,241 + 91,244 + 150,000 = 5,552,485.00 万元, 8 projects;
	// ≥ 10亿: 5 (not 99,999.99, not the two groups' 9亿); ≥ 100亿: 3; > 200亿: 1.
	// 5,552,485 / 5,000,000 = 111.0497 % → 111.04 (rounded down).
	want := map[string]string{
		"全市":          "8|5552485.00|5|3|1|111.04|true",
		"端州区":         "2|1099999.99|1|1|0|99.99|false", // 1,099,999.99 / 1,100,000 = 99.9999991 %
		"高要区":         "1|2000000.00|1|1|0|133.33|true", // the terminated 300,000 left out
		"鼎湖区":         "1|2000000.01|1|1|1|100.00|true", // 100.0000005 %
		"广宁县":         "2|182485.00|0|0|0|36.49|false",
		"德庆县":         "1|120000.00|1|0|0||false", // no target
		"肇庆高新技术产业开发区": "1|150000.00|1|0|0|150.00|true",
		"新能源汽车及零部件产业招商工作组": "0.85|1100000.00|0.85|0.85|0|110.00|true", // 60 % of 100亿 + 25 % of 200亿, both in ≥ 10亿 and ≥ 100亿
		"先进装备制造产业招商工作组":    "2.15|3900000.01|2.15|2.15|1|97.50|false", // 40 % + 75 % + 100 %
		"测试甲组": "1|91241.00|0|0|0|91.24|false",
		"测试乙组": "1|91244.00|0|0|0|91.24|false",
	}
	var rep struct {
		Closed bool
		City   jsonFigure
		Units  []jsonFigure
	}
	c.get("/api/v1/stats/monthly/2025-12", &rep)
	if rep.Closed != closed {
		t.Fatalf("%s: closed = %v", state, rep.Closed)
	}
	got := map[string]string{"全市": rep.City.line()}
	for _, f := range rep.Units {
		got[f.UnitName] = f.line()
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s JSON %s: %s, want %s", state, name, got[name], w)
		}
	}
	checkXLSX(t, c, state)
	checkRanking(t, c, state)
	checkAnnual(t, c, state)
	checkBulletin(t, c, state)
	checkAnnualDoc(t, c, state)
}

type jsonFigure struct {
	UnitName string `json:"unit_name"`
	YTD      struct {
		Count  string
		Amount string
		Bands  map[string]string
	}
	Completion string
	Completed  bool
}

func (f jsonFigure) line() string {
	b := func(code string) string {
		if v, ok := f.YTD.Bands[code]; ok {
			return v
		}
		return "0"
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%v", f.YTD.Count, f.YTD.Amount, b("b10"), b("b100"), b("b200"), f.Completion, f.Completed)
}

// checkXLSX reads the December sheet's cells: year to date, bands, target,
// completion and 是否完成.
func checkXLSX(t *testing.T, c *client, state string) {
	t.Helper()
	st, b := c.do("GET", "/api/v1/stats/monthly/2025-12/xlsx", nil)
	if st != 200 {
		t.Fatalf("xlsx: %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("2025-12 月统计")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"全市":   "8|5552485.00|5|3|1|5000000.00|111.04|是",
		"端州区":  "2|1099999.99|1|1|0|1100000.00|99.99|否",
		"鼎湖区":  "1|2000000.01|1|1|1|2000000.00|100.00|是",
		"德庆县":  "1|120000.00|1|0|0|0.00||未下达目标任务",
		"测试甲组": "1|91241.00|0|0|0|100000.00|91.24|否",
		"测试乙组": "1|91244.00|0|0|0|100000.00|91.24|否",
	}
	for _, r := range rows {
		if len(r) == 0 || want[r[0]] == "" {
			continue
		}
		for len(r) < 12 {
			r = append(r, "")
		}
		if got := strings.Join(r[4:12], "|"); got != want[r[0]] {
			t.Errorf("%s XLSX %s: %s, want %s", state, r[0], got, want[r[0]])
		}
		delete(want, r[0])
	}
	if len(want) > 0 {
		t.Errorf("%s XLSX lacks %v", state, want)
	}
}

// checkRanking: by completion, exactly; the two groups 0.003 % apart keep
// their order; 德庆县 is not ranked.
func checkRanking(t *testing.T, c *client, state string) {
	t.Helper()
	var rk struct {
		Groups []struct {
			Group string
			Items []struct {
				UnitName string `json:"unit_name"`
				Rank     int
			}
		}
	}
	c.get("/api/v1/stats/ranking?year=2025&quarter=4", &rk)
	var got []string
	for _, g := range rk.Groups {
		for _, it := range g.Items {
			got = append(got, fmt.Sprintf("%d %s", it.Rank, it.UnitName))
		}
	}
	want := "1 新能源汽车及零部件产业招商工作组; 2 先进装备制造产业招商工作组; 3 测试乙组; 4 测试甲组; 0 节能环保产业招商工作组; " +
		"1 肇庆高新技术产业开发区; 2 高要区; 3 鼎湖区; 4 端州区; 5 广宁县; 0 德庆县"
	if strings.Join(got, "; ") != want {
		t.Errorf("%s ranking:\n%s\nwant\n%s", state, strings.Join(got, "; "), want)
	}
}

// Scores by hand (default scheme): completion min(x, 120 %) × 60; efficacy
// ((x − min)/(max − min) × 40 + 60) × 40 % among the targeted units of the
// group; −2 per project still at signed (by credit share).
//
//	先进装备 58.50 + 40.00 − 4.30 = 94.20; 新能源 66.00 + 28.24 − 1.70 = 92.54;
//	乙组 54.75 + 24.00 − 2 = 76.75; 甲组 54.74 + 24.00 − 2 = 76.74;
//	高要 72 + 40 − 2 = 110.00; 鼎湖 60 + 40 − 2 = 98.00; 高新区 72 + 24 − 2 = 94.00;
//	端州 60 + 32.22 − 4 = 88.22; 广宁 21.90 + 24.28 − 4 = 42.18.
var wantScores = "1 先进装备制造产业招商工作组 94.20; 2 新能源汽车及零部件产业招商工作组 92.54; 3 测试乙组 76.75; 4 测试甲组 76.74; " +
	"1 高要区 110.00; 2 鼎湖区 98.00; 3 肇庆高新技术产业开发区 94.00; 4 端州区 88.22; 5 广宁县 42.18"

func checkAnnual(t *testing.T, c *client, state string) {
	t.Helper()
	var ev struct {
		Groups []struct {
			Scores []struct {
				UnitName string `json:"unit_name"`
				Rank     int
				Total    string
			}
			Untargeted []struct {
				UnitName string `json:"unit_name"`
			}
		}
		Commended   []string
		Explain     []string `json:"explanation_required"`
		MajorReward []string `json:"major_reward"`
	}
	c.get("/api/v1/stats/annual?year=2025", &ev)
	var got, untargeted []string
	for _, g := range ev.Groups {
		for _, s := range g.Scores {
			got = append(got, fmt.Sprintf("%d %s %s", s.Rank, s.UnitName, s.Total))
		}
		for _, u := range g.Untargeted {
			untargeted = append(untargeted, u.UnitName)
		}
	}
	if strings.Join(got, "; ") != wantScores {
		t.Errorf("%s scores:\n%s\nwant\n%s", state, strings.Join(got, "; "), wantScores)
	}
	// Commended: met the target and fewer than two score higher; explain: missed it and fewer than two score lower.
	for what, pair := range map[string][2]string{
		"untargeted":   {strings.Join(untargeted, "、"), "节能环保产业招商工作组、德庆县"},
		"commended":    {strings.Join(ev.Commended, "、"), "新能源汽车及零部件产业招商工作组、高要区、鼎湖区"},
		"explain":      {strings.Join(ev.Explain, "、"), "测试乙组、测试甲组、端州区、广宁县"},
		"major reward": {strings.Join(ev.MajorReward, "、"), "先进装备制造产业招商工作组、鼎湖区"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s %s: %s, want %s", state, what, pair[0], pair[1])
		}
	}
}

// checkBulletin: the fourth quarter's bulletin, read from its XML.
func checkBulletin(t *testing.T, c *client, state string) {
	t.Helper()
	paras := docxOf(t, c, "/api/v1/stats/bulletin/docx?year=2025&quarter=4")
	for _, want := range []string{
		// 5,552,485 万元 = 555.2485 亿元; 5,000,000 万元 = 500亿
		"截至2025年12月底，全市新引进产业项目8个，合同投资总额555.25亿元，完成年度目标（500.00亿元）的111.04%；其中10亿元以上项目5个，100亿元以上项目3个，超200亿元项目1个。",
		"工作组：已完成年度目标任务且考评得分排名前两名的有新能源汽车及零部件产业招商工作组；未完成年度目标任务且考评得分排名后两名的有测试乙组、测试甲组。",
		"各地：已完成年度目标任务且考评得分排名前两名的有高要区、鼎湖区；未完成年度目标任务且考评得分排名后两名的有端州区、广宁县。",
	} {
		if !containsPara(paras, want) {
			t.Errorf("%s bulletin lacks %q", state, want)
		}
	}
	// Table rows: rank, unit, count, amount (亿元), target (亿元), completion (%).
	for _, want := range []string{
		"1|新能源汽车及零部件产业招商工作组|0.85|110.00|100.00|110.00", "2|先进装备制造产业招商工作组|2.15|390.00|400.00|97.50",
		"3|测试乙组|1|9.12|10.00|91.24", "4|测试甲组|1|9.12|10.00|91.24", "未下达目标任务|节能环保产业招商工作组|1|15.00|0.00|",
		"1|肇庆高新技术产业开发区|1|15.00|10.00|150.00", "3|鼎湖区|1|200.00|200.00|100.00", "4|端州区|2|110.00|110.00|99.99",
		"5|广宁县|2|18.25|50.00|36.49", "未下达目标任务|德庆县|1|12.00|0.00|",
	} {
		if !containsRow(paras, strings.Split(want, "|")) {
			t.Errorf("%s bulletin lacks the row %s", state, want)
		}
	}
}

func checkAnnualDoc(t *testing.T, c *client, state string) {
	t.Helper()
	paras := docxOf(t, c, "/api/v1/stats/annual/docx?year=2025")
	for _, want := range []string{
		"截至2025年12月底，全市新引进产业项目8个，合同投资总额555.25亿元，完成年度目标（500.00亿元）的111.04%",
		"通报表扬（完成年度目标任务且排名前两名）：新能源汽车及零部件产业招商工作组、高要区、鼎湖区。",
		"作情况说明（未完成年度目标任务且排名后两名）：测试乙组、测试甲组、端州区、广宁县。",
		"重奖（引进单个投资超200亿元项目）：先进装备制造产业招商工作组、鼎湖区。",
	} {
		if !containsPara(paras, want) {
			t.Errorf("%s annual document lacks %q", state, want)
		}
	}
	// Rank, unit, the four items, total, 完成年度目标.
	for _, want := range []string{
		"1|先进装备制造产业招商工作组|58.50|40.00|-4.30|0.00|94.20|否", "2|新能源汽车及零部件产业招商工作组|66.00|28.24|-1.70|0.00|92.54|是",
		"3|测试乙组|54.75|24.00|-2.00|0.00|76.75|否", "4|测试甲组|54.74|24.00|-2.00|0.00|76.74|否",
		"1|高要区|72.00|40.00|-2.00|0.00|110.00|是", "4|端州区|60.00|32.22|-4.00|0.00|88.22|否", "5|广宁县|21.90|24.28|-4.00|0.00|42.18|否",
		"未下达目标任务|德庆县", "未下达目标任务|节能环保产业招商工作组",
	} {
		if !containsRow(paras, strings.Split(want, "|")) {
			t.Errorf("%s annual document lacks the row %s", state, want)
		}
	}
}

func docxOf(t *testing.T, c *client, path string) []string {
	t.Helper()
	st, b := c.do("GET", path, nil)
	if st != 200 {
		t.Fatalf("%s: %d %s", path, st, b)
	}
	return docxParagraphs(t, b)
}

func docxParagraphs(t *testing.T, data []byte) []string {
	t.Helper()
	paras, err := report.DOCXParagraphs(data)
	if err != nil {
		t.Fatal(err)
	}
	return paras
}

func containsPara(paras []string, frag string) bool {
	for _, p := range paras {
		if strings.Contains(p, frag) {
			return true
		}
	}
	return false
}

// containsRow is whether consecutive paragraphs (table cells) read cells.
func containsRow(paras []string, cells []string) bool {
	for i := 0; i+len(cells) <= len(paras); i++ {
		ok := true
		for j, c := range cells {
			ok = ok && paras[i+j] == c
		}
		if ok {
			return true
		}
	}
	return false
}
