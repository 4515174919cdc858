package assess

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/report"
)

// metricLabel names a target metric as the sheet's column header.
func metricLabel(r Rules, m string) string {
	switch m {
	case "contract_investment":
		return "合同投资额（万元）"
	case "count":
		return "签约项目（个）"
	case "foreign_capital":
		return "外资（万美元）"
	case "registered_rate":
		return "落户率（%）"
	case "construction_rate":
		return "动工率（%）"
	case "production_rate":
		return "投产率（%）"
	}
	for _, b := range r.Bands {
		if "band:"+b.Code == m {
			return b.LabelZh + "项目（个）"
		}
	}
	return m
}

// TargetsTable lays a year's targets out one row per unit (the city first),
// one column per metric: the sheet the office fills in and sends back.
func (s *Service) TargetsTable(ctx context.Context, year int) (report.Table, error) {
	r, err := loadRules(ctx, s.DB.Reader(), year)
	if err != nil {
		return report.Table{}, err
	}
	set, err := s.Targets(ctx, year)
	if err != nil {
		return report.Table{}, err
	}
	metrics := Metrics(r)
	t := report.Table{Sheet: fmt.Sprintf("%d年度目标", year), Headers: []string{"单位编码", "单位名称"}}
	for _, m := range metrics {
		t.Headers = append(t.Headers, metricLabel(r, m))
	}
	all, err := loadUnits(ctx, s.DB.Reader())
	if err != nil {
		return t, err
	}
	var active []unitInfo
	for _, x := range all {
		if x.status == "active" && kindOrder[x.kind] >= 1 && kindOrder[x.kind] <= 5 {
			active = append(active, x)
		}
	}
	sort.Slice(active, func(i, j int) bool { return unitLess(active[i], active[j]) })
	type u struct {
		id         int64
		code, name string
	}
	list := []u{{0, "CITY", "全市"}}
	for _, x := range active {
		list = append(list, u{x.id, x.code, x.name})
	}
	values := map[string]money.Cents{}
	for _, it := range set.Items {
		id := int64(0)
		if it.UnitID != nil {
			id = *it.UnitID
		}
		values[fmt.Sprint(id, "/", it.Metric)] = it.Value
	}
	for _, x := range list {
		row := []any{x.code, x.name}
		for _, m := range metrics {
			if v, ok := values[fmt.Sprint(x.id, "/", m)]; ok {
				row = append(row, v.String())
			} else {
				row = append(row, "")
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// ImportTargets reads the sheet back: every cell checked, the year replaced
// only when every row is right (targets are set as a whole).
func (s *Service) ImportTargets(ctx context.Context, a *org.Actor, year int, data []byte) (TargetSet, []string, error) {
	src, err := tabular.Open(bytes.NewReader(data), "targets.xlsx", tabular.TargetLimits)
	if err != nil {
		return TargetSet{}, nil, err
	}
	defer src.Close()
	table, err := tabular.ReadAll(src)
	if err != nil {
		return TargetSet{}, nil, err
	}
	if len(table) < 2 {
		return TargetSet{}, nil, errs.E(errs.Invalid, "工作表为空", "the sheet is empty")
	}
	r, err := loadRules(ctx, s.DB.Reader(), year)
	if err != nil {
		return TargetSet{}, nil, err
	}
	byLabel := map[string]string{}
	for _, m := range Metrics(r) {
		byLabel[metricLabel(r, m)] = m
	}
	byCode := map[string]int64{}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, code FROM units`)
	if err != nil {
		return TargetSet{}, nil, errs.Wrap(err, "units")
	}
	for rows.Next() {
		var id int64
		var code string
		if rows.Scan(&id, &code) == nil {
			byCode[code] = id
		}
	}
	rows.Close()
	set := TargetSet{Year: year}
	var problems []string
	for i, row := range table[1:] {
		line := i + 2
		if len(row) == 0 || strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		code := strings.TrimSpace(row[0])
		var unit *int64
		if code != "CITY" {
			id, ok := byCode[code]
			if !ok {
				problems = append(problems, fmt.Sprintf("第 %d 行「单位编码」：单位不存在 %s", line, code))
				continue
			}
			unit = &id
		}
		for c := 2; c < len(row) && c < len(table[0]); c++ {
			cell := strings.ReplaceAll(strings.TrimSpace(row[c]), ",", "")
			if cell == "" {
				continue
			}
			metric, ok := byLabel[strings.TrimSpace(table[0][c])]
			if !ok {
				problems = append(problems, fmt.Sprintf("第 1 行第 %d 列：未知指标「%s」", c+1, table[0][c]))
				continue
			}
			v, err := money.Parse(cell)
			if err != nil || v < 0 {
				problems = append(problems, fmt.Sprintf("第 %d 行「%s」：应为不超过两位小数的非负数字 %s", line, table[0][c], cell))
				continue
			}
			set.Items = append(set.Items, Target{UnitID: unit, Metric: metric, Value: v})
		}
	}
	if len(problems) > 0 {
		e := errs.E(errs.Invalid, "目标表有误，未导入："+strings.Join(problems, "；"), "the sheet has errors; nothing was imported")
		e.Extra = map[string]any{"problems": problems}
		return TargetSet{}, problems, e
	}
	out, err := s.SetTargets(ctx, a, set)
	return out, nil, err
}

// TargetsXLSX answers GET /api/v1/targets/xlsx?year=.
func (h Handlers) TargetsXLSX(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	t, err := h.S.TargetsTable(r.Context(), year)
	if err != nil {
		return err
	}
	return report.ServeXLSX(w, fmt.Sprintf("年度目标-%d.xlsx", year), t)
}

// ImportTargets answers POST /api/v1/targets/import?year= (multipart "file").
func (h Handlers) ImportTargets(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	data, _, err := httpx.FormFile(w, r, 5<<20)
	if err != nil {
		return err
	}
	out, _, err := h.S.ImportTargets(r.Context(), actor(r), year, data)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, out)
}
