// Package province is the report of projects upward to the province: the
// signed projects of a period, one row each, in the columns the province's
// 招商引资项目 returns usually ask for (docs/operations.md, "Reporting to
// the province"), as XLSX or CSV. It reads through the project list's own
// path (project.Service.Each), so it sees exactly the caller's scope and
// counts as the statistics do: a project awaiting verification is left out.
package province

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/report"
)

// Columns are the report's columns, in order.
var Columns = []string{"序号", "项目编号", "项目名称", "投资方", "投资方统一社会信用代码", "投资来源地", "是否外资项目", "国民经济行业代码", "行业名称",
	"合同投资额（万元）", "其中固定资产投资（万元）", "合同外资（万美元）", "用地面积（亩）", "预计年产值（万元）", "预计年税收（万元）", "预计就业人数",
	"落户县（市、区）", "项目阶段", "项目状态", "签约日期", "落户日期", "动工日期", "投产日期", "是否重点项目", "引进单位"}

// Handlers serve the report.
type Handlers struct{ Projects *project.Service }

// Period reads ?from= and ?to= (signing dates, both included; default the
// year to today) and ?format=xlsx|csv.
func Period(q url.Values, today civil.Date) (from, to civil.Date, format string, err error) {
	var v errs.Validation
	from, to = civil.MustParse(fmt.Sprintf("%04d-01-01", today.Year())), today
	for name, dst := range map[string]*civil.Date{"from": &from, "to": &to} {
		if s := q.Get(name); s != "" {
			d, perr := civil.Parse(s)
			if perr != nil {
				v.Add(name, "日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD")
				continue
			}
			*dst = d
		}
	}
	if to.Before(from) {
		v.Add("to", "截止日期不能早于起始日期", "cannot be before from")
	}
	format = q.Get("format")
	switch format {
	case "":
		format = "xlsx"
	case "xlsx", "csv":
	default:
		v.Add("format", "应为 xlsx 或 csv", "must be xlsx or csv")
	}
	return from, to, format, v.Err()
}

// Report answers the report for the caller's scope.
func (h Handlers) Report(w http.ResponseWriter, r *http.Request) error {
	from, to, format, err := Period(r.URL.Query(), civil.Of(time.Now()))
	if err != nil {
		return err
	}
	a := org.ActorFrom(r.Context())
	lab, err := project.LoadLabels(r.Context(), h.Projects.DB.Reader(), false)
	if err != nil {
		return err
	}
	f := project.Filter{SignedFrom: from, SignedTo: to, Sort: "signed_on"}
	rows := func(add func([]any) error) error {
		n := 0
		return h.Projects.Each(r.Context(), a, f, func(p project.Project) error {
			if p.SignedOn.IsZero() || p.Verify.Status == "pending" {
				return nil
			}
			n++
			return add(Row(n, p, lab))
		})
	}
	name := fmt.Sprintf("招商项目省级报送-%s至%s", from, to)
	if format == "xlsx" {
		return report.StreamXLSX(w, name+".xlsx", "项目报送", Columns, rows)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name+".csv"))
	cw, err := tabular.NewCSVWriter(w)
	if err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	return cw.Flush()
}

// Row is one project's row of the report.
func Row(n int, p project.Project, lab project.Labels) []any {
	var intro []string
	for _, i := range p.Introducers {
		intro = append(intro, i.UnitName)
	}
	yes := map[bool]string{true: "是", false: "否"}
	return []any{n, p.Code, p.Name, p.InvestorName, p.InvestorUSCC, lab.Of("source_region", p.SourceRegion), yes[p.IsForeign], p.IndustryCode,
		p.IndustryName, p.ContractInvestment.Number(), p.FixedAssetInvestment.Number(), p.ForeignCapital.Number(), p.LandAreaMu.Number(),
		p.ExpectedOutput.Number(), p.ExpectedTax.Number(), p.ExpectedJobs, p.LocalityUnitName, project.StageZh[p.Stage], lab.Of("status", p.Status),
		p.SignedOn.String(), p.RegisteredOn.String(), p.ConstructionOn.String(), p.ProductionOn.String(), yes[p.IsKey], strings.Join(intro, "、")}
}
