package project

import (
	"context"
	"net/http"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/report"
)

// maxLedger bounds an uploaded ledger (50,000 rows of XLSX is ~5 MB).
const maxLedger = 50 << 20

// Import takes a multipart ledger (field "file"), with ?mode= and ?dry_run=1
// for the preview.
func (h Handlers) Import(w http.ResponseWriter, r *http.Request) error {
	// The upload goes to a temporary file, read from there row by row.
	f, name, release, err := httpx.FormFileTemp(w, r, maxLedger)
	if err != nil {
		return err
	}
	defer release()
	mode := ImportMode(r.URL.Query().Get("mode"))
	if mode == "" {
		mode = AllOrNothing
	}
	// ?errors=csv checks the file (never writes) and answers every row
	// error as a CSV file: the JSON answer carries the first ones only.
	errorFile := r.URL.Query().Get("errors") == "csv"
	res, err := h.S.ImportLedger(r.Context(), actor(r), f, name, mode, errorFile || r.URL.Query().Get("dry_run") == "1")
	if err != nil {
		return err
	}
	if errorFile {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="ledger-errors.csv"`)
		return tabular.WriteErrorsCSV(w, res.Errors)
	}
	return httpx.JSON(w, 200, capErrors(res))
}

// Template sends the ledger template: the columns, an example row, and a
// sheet listing the codes and names the columns accept.
func (h Handlers) Template(w http.ResponseWriter, r *http.Request) error {
	en := httpx.Lang(r) == "en"
	main := report.Table{Sheet: pick(en, "项目台账", "Ledger")}
	for _, c := range ledgerColumns {
		name := pick(en, c.Zh, c.Field)
		if c.Required {
			name += "*"
		}
		main.Headers = append(main.Headers, name)
	}
	main.Rows = [][]any{{"宁德时代肇庆储能电池基地项目", "宁德时代新能源科技股份有限公司", "91350900587527783P", "3841", "强链", "1200000", "800000", "",
		"", "长三角", "以商引商", "", "重点项目", "500", "2000000", "80000", "1500", "端州区", "新能源汽车组:50;端州区:50", "签约",
		"2025-01-05", "2025-02-10", "2025-03-01", "", "", "", "正常", "是"}}
	codes, err := h.codeSheet(r.Context(), en)
	if err != nil {
		return err
	}
	return report.ServeXLSX(w, pick(en, "项目台账导入模板.xlsx", "project-ledger-template.xlsx"), main, codes)
}

func (h Handlers) codeSheet(ctx context.Context, en bool) (report.Table, error) {
	t := report.Table{Sheet: pick(en, "填写说明", "Codes"), Headers: []string{pick(en, "列", "Column"), pick(en, "可填写的值", "Accepted values")}}
	l, err := h.S.loadLookups(ctx, h.S.DB.Reader())
	if err != nil {
		return t, err
	}
	for _, typ := range []struct{ typ, col string }{{"channel", "招商方式"}, {"source_region", "来源地区"}, {"project_tag", "项目标签"}} {
		t.Rows = append(t.Rows, []any{typ.col, strings.Join(l.labels[typ.typ], "、")})
	}
	t.Rows = append(t.Rows,
		[]any{"阶段", "线索、在谈、签约、落户、动工、投产"}, []any{"状态", "正常、暂缓、终止"}, []any{"建链补链强链", "建链、补链、强链"},
		[]any{"落户地 / 引进单位", "单位名称、简称或编码；引进单位写作「单位:比例」并以分号分隔，比例合计 100；不填比例则平均分配；不填引进单位则为导入人所在单位"},
		[]any{"日期", "YYYY-MM-DD（也可 2025/3/1、2025年3月1日或 Excel 日期）；当前阶段及之前各阶段的日期必填，且不能晚于今天"},
		[]any{"金额", "万元（外资为万美元），最多两位小数"})
	return t, nil
}

func pick(en bool, zh, e string) string {
	if en {
		return e
	}
	return zh
}
