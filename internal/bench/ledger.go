package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/project"
)

// A city's existing ledger (台账) as its staff keep it: the template's
// Chinese headers, dictionary labels and unit names rather than codes,
// amounts in 万元 with decimals, and about one row in a hundred repeating a
// project already registered (which the duplicate guard must turn away).

var ledgerHeaders = []string{"项目名称", "投资方", "统一社会信用代码", "行业代码", "建链补链强链", "合同投资额（万元）", "固定资产投资（万元）",
	"外资（万美元）", "实际到位资金（万元）", "来源地区", "招商方式", "推荐人", "项目标签", "用地面积（亩）", "预计年产值（万元）", "预计年税收（万元）",
	"预计就业（人）", "落户地", "引进单位及分成", "阶段", "线索日期", "洽谈日期", "签约日期", "落户日期", "动工日期", "投产日期", "状态", "重点项目"}

var (
	stageZh  = map[string]string{"lead": "线索", "negotiating": "在谈", "signed": "签约", "registered": "落户", "construction": "动工", "production": "投产"}
	statusZh = map[string]string{"active": "正常", "on_hold": "暂缓", "terminated": "终止"}
	chainZh  = map[string]string{"build": "建链", "fill": "补链", "strengthen": "强链", "": ""}
)

// labels are what people write for codes and units.
type labels struct {
	dict  map[string]string // "type:code" → Chinese label
	unit  map[int64]string  // unit id → name
	short map[int64]string  // unit id → short name
}

func loadLabels(ctx context.Context, q db.Querier) (labels, error) {
	l := labels{dict: map[string]string{}, unit: map[int64]string{}, short: map[int64]string{}}
	rows, err := q.QueryContext(ctx, `SELECT type, code, label_zh FROM dict_items`)
	if err != nil {
		return l, err
	}
	for rows.Next() {
		var typ, code, zh string
		if err := rows.Scan(&typ, &code, &zh); err != nil {
			rows.Close()
			return l, err
		}
		l.dict[typ+":"+code] = zh
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, name, short_name FROM units`)
	if err != nil {
		return l, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, short string
		if err := rows.Scan(&id, &name, &short); err != nil {
			return l, err
		}
		l.unit[id], l.short[id] = name, short
		if short == "" {
			l.short[id] = name
		}
	}
	return l, rows.Err()
}

// ledgerRows makes n data rows. Investors get three-syllable brands, so they
// are not the generated projects' investors; dups rows copy a registered
// project's investor and name instead.
func ledgerRows(ctx context.Context, d *db.DB, w World, l labels, n int, today civil.Date, seed uint64, taken map[string]bool) ([][]string, int, error) {
	g := &gen{r: rand.New(rand.NewPCG(seed, 4412)), w: w, today: today}
	g.invs = []investor{{}}
	var dupNames, dupInvestors []string
	rows, err := d.Reader().QueryContext(ctx, `SELECT name, investor_name FROM projects ORDER BY id LIMIT ?`, max(1, n/100))
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var name, inv string
		if err := rows.Scan(&name, &inv); err != nil {
			rows.Close()
			return nil, 0, err
		}
		dupNames, dupInvestors = append(dupNames, name), append(dupInvestors, inv)
	}
	rows.Close()
	out := make([][]string, 0, n)
	dups := 0
	for len(out) < n {
		inv := g.ledgerInvestor(taken)
		g.invs[0] = inv
		p := g.project(int64(len(out) + 1))
		if len(dupNames) > 0 && g.r.IntN(100) == 0 {
			p.name, p.investor, p.uscc = dupNames[dups%len(dupNames)], dupInvestors[dups%len(dupNames)], ""
			dups++
		}
		out = append(out, l.row(p))
	}
	return out, dups, nil
}

func (g *gen) ledgerInvestor(taken map[string]bool) investor {
	r := g.r
	for {
		s := r.IntN(len(sectors))
		pl := places[r.IntN(len(places))]
		brand := brandA[r.IntN(len(brandA))] + brandB[r.IntN(len(brandB))] + brandA[r.IntN(len(brandA))]
		name := pl.name + brand + sectors[s].word + companySuffix[r.IntN(len(companySuffix))]
		if taken[project.NormInvestor(name)] {
			continue
		}
		taken[project.NormInvestor(name)] = true
		inv := investor{name: name, brand: brand, sector: s, region: pl.region,
			foreign: strings.Contains("hmt japan_korea europe_america asean", pl.region) && r.IntN(100) < 70}
		if r.IntN(100) < 60 {
			inv.uscc = creditCode(r)
		}
		return inv
	}
}

func wan(cents int64) string {
	if cents == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(cents)/100, 'f', -1, 64)
}

func (l labels) row(p *genProject) []string {
	var tags []string
	for _, t := range strings.Split(p.tags, ",") {
		if t != "" {
			tags = append(tags, l.dict["project_tag:"+t])
		}
	}
	var intro []string
	for _, in := range p.introducers {
		intro = append(intro, fmt.Sprintf("%s:%d", l.short[in.unit], in.bp/100))
	}
	key := ""
	if p.isKey {
		key = "是"
	}
	row := []string{p.name, p.investor, p.uscc, p.industry, chainZh[p.chain], wan(p.contract), wan(p.fixed), wan(p.foreign), wan(p.funds),
		l.dict["source_region:"+p.region], l.dict["channel:"+p.channel], p.referrer, strings.Join(tags, "、"), wan(p.land), wan(p.output), wan(p.tax),
		strconv.Itoa(p.jobs), l.unit[p.locality], strings.Join(intro, ";"), stageZh[p.stage]}
	for _, d := range p.dates {
		row = append(row, d.String())
	}
	return append(row, statusZh[p.status], key)
}

// numeric columns are written as numbers in the XLSX, as Excel keeps them.
var numeric = map[int]bool{5: true, 6: true, 7: true, 8: true, 13: true, 14: true, 15: true, 16: true}

func writeXLSX(rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	cells := make([]any, len(ledgerHeaders))
	for i, h := range ledgerHeaders {
		cells[i] = h
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return nil, err
	}
	for n, row := range rows {
		cells = cells[:0]
		for i, v := range row {
			if x, err := strconv.ParseFloat(v, 64); err == nil && numeric[i] {
				cells = append(cells, x)
			} else {
				cells = append(cells, v)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	return buf.Bytes(), err
}

// writeCSV writes UTF-8 with a byte-order mark, as Excel saves "CSV UTF-8".
func writeCSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	cw := csv.NewWriter(&buf)
	if err := cw.Write(ledgerHeaders); err != nil {
		return nil, err
	}
	if err := cw.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// imports: a ledger of the scale's rows imported as XLSX, then another as
// CSV, by the commission office (valid rows only). The reference is the
// preview (dry run) of the same file, which the UI shows first.
func (m *measure) imports(ctx context.Context) error {
	e := m.e
	actor, err := e.app.Org.LoadActor(ctx, e.world.Users[cityUser])
	if err != nil {
		return err
	}
	l, err := loadLabels(ctx, e.app.DB.Reader())
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for i, format := range []string{"xlsx", "csv"} {
		rows, dups, err := ledgerRows(ctx, e.app.DB, e.world, l, m.sc.LedgerRows, e.today, uint64(100+i), taken)
		if err != nil {
			return err
		}
		write := writeXLSX
		if format == "csv" {
			write = writeCSV
		}
		file, err := write(rows)
		if err != nil {
			return err
		}
		name := "台账." + format
		start := time.Now()
		preview, err := e.app.Project.ImportLedger(ctx, actor, bytes.NewReader(file), name, project.ValidOnly, true)
		if err != nil {
			return fmt.Errorf("%s: preview %s: %w", e.t.name, name, err)
		}
		previewTook := time.Since(start)
		start = time.Now()
		var res project.ImportResult
		peak, err := peakDuring(func() error {
			var err error
			res, err = e.app.Project.ImportLedger(ctx, actor, bytes.NewReader(file), name, project.ValidOnly, false)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: import %s: %w", e.t.name, name, err)
		}
		took := time.Since(start)
		m.logf("%s: imported %d of %d %s rows (%.1f MB; %d rows refused, %d of them duplicates planted) in %.1fs; preview %.1fs",
			e.t.name, res.Imported, res.Rows, strings.ToUpper(format), mb(uint64(len(file))), res.Rows-res.Imported, dups, took.Seconds(), previewTook.Seconds())
		if refused := res.Rows - res.Imported; refused != dups || res.Rows != len(rows) || preview.Valid != res.Imported {
			m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: the %s import refused %d of %d rows, %d planted as duplicates; first errors: %v",
				e.t.name, format, refused, res.Rows, dups, res.Errors[:min(3, len(res.Errors))]))
		}
		label := fmt.Sprintf("ledger import, %d-row %s (valid rows only)", len(rows), strings.ToUpper(format))
		if len(rows) != 50_000 {
			label += "; goal scaled from 10 s per 50,000 rows"
		}
		m.add(Result{Name: m.name(label), Unit: "s",
			Value: took.Seconds(), Goal: goal(10 * float64(len(rows)) / 50_000),
			Reference: &Reference{Name: "preview (dry run) of the same file", Value: previewTook.Seconds()}})
		m.add(Result{Name: m.name(fmt.Sprintf("ledger import rate, %s", strings.ToUpper(format))), Unit: "rows/s",
			Value: round(float64(len(rows))/took.Seconds(), 0), Goal: goal(5000), Min: true})
		m.memory(fmt.Sprintf("ledger import, %.1f MB %s", mb(uint64(len(file))), strings.ToUpper(format)), peak)
		m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: ledger import (%s) load average after: %s", e.t.name, format, loadAverage()))
	}
	if m.sc.Name == "tiny" {
		return nil // the tests' scale: a ledger at the bound is a minute of its own
	}
	return m.ledgerAtLimit(ctx, actor, l, taken)
}

// ledgerAtLimit: the memory a ledger at the row bound (100,000 rows, the
// documented limit a file meets before its 50 MB upload bound) costs to read
// and check, through the preview, which runs the import's whole reading
// side (the writing side adds its batches only).
func (m *measure) ledgerAtLimit(ctx context.Context, actor *org.Actor, l labels, taken map[string]bool) error {
	e := m.e
	rows, _, err := ledgerRows(ctx, e.app.DB, e.world, l, tabular.LedgerLimits.Rows, e.today, 300, taken)
	if err != nil {
		return err
	}
	file, err := writeCSV(rows)
	if err != nil {
		return err
	}
	rows = nil
	peak, err := peakDuring(func() error {
		_, err := e.app.Project.ImportLedger(ctx, actor, bytes.NewReader(file), "台账.csv", project.ValidOnly, true)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: ledger preview at the row limit: %w", e.t.name, err)
	}
	m.memory(fmt.Sprintf("ledger preview at the row limit, %d rows, %.0f MB CSV", tabular.LedgerLimits.Rows, mb(uint64(len(file)))), peak)
	return nil
}
