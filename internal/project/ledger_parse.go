package project

import (
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/platform/valid"
)

// The city's existing ledger (台账) arrives as XLSX or CSV with one project a
// row. Columns are found by their header (Chinese, as in the template, or the
// API field name), so a ledger with columns in another order still reads.

var ledgerColumns = []tabular.Column{
	{Field: "name", Zh: "项目名称", En: "Project name", Required: true},
	{Field: "investor_name", Zh: "投资方", En: "Investor", Required: true},
	{Field: "investor_uscc", Zh: "统一社会信用代码", En: "Unified social credit code"},
	{Field: "industry_code", Zh: "行业代码", En: "Industry code (GB/T 4754)"},
	{Field: "chain_role", Zh: "建链补链强链", En: "Chain role"},
	{Field: "contract_investment", Zh: "合同投资额（万元）", En: "Contracted investment (10k CNY)"},
	{Field: "fixed_asset_investment", Zh: "固定资产投资（万元）", En: "Fixed-asset investment (10k CNY)"},
	{Field: "foreign_capital", Zh: "外资（万美元）", En: "Foreign capital (10k USD)"},
	{Field: "funds_in_place", Zh: "实际到位资金（万元）", En: "Funds in place (10k CNY)"},
	{Field: "source_region", Zh: "来源地区", En: "Source region"},
	{Field: "channel", Zh: "招商方式", En: "Channel", Required: true},
	{Field: "referrer", Zh: "推荐人", En: "Referred by"},
	{Field: "tags", Zh: "项目标签", En: "Tags"},
	{Field: "land_area_mu", Zh: "用地面积（亩）", En: "Land (mu)"},
	{Field: "expected_output", Zh: "预计年产值（万元）", En: "Expected output (10k CNY)"},
	{Field: "expected_tax", Zh: "预计年税收（万元）", En: "Expected tax (10k CNY)"},
	{Field: "expected_jobs", Zh: "预计就业（人）", En: "Expected jobs"},
	{Field: "locality", Zh: "落户地", En: "Landing locality"},
	{Field: "introducers", Zh: "引进单位及分成", En: "Introducing units and shares"},
	{Field: "stage", Zh: "阶段", En: "Stage"},
	{Field: "lead_on", Zh: "线索日期", En: "Lead on"},
	{Field: "negotiating_on", Zh: "洽谈日期", En: "Negotiating on"},
	{Field: "signed_on", Zh: "签约日期", En: "Signed on"},
	{Field: "registered_on", Zh: "落户日期", En: "Registered on"},
	{Field: "construction_on", Zh: "动工日期", En: "Construction on"},
	{Field: "production_on", Zh: "投产日期", En: "Production on"},
	{Field: "status", Zh: "状态", En: "Status"},
	{Field: "is_key", Zh: "重点项目", En: "Key project"},
}

var stageLabels = map[string]string{"线索": "lead", "在谈": "negotiating", "洽谈": "negotiating", "签约": "signed",
	"落户": "registered", "注册": "registered", "动工": "construction", "开工": "construction", "投产": "production"}

var statusLabels = map[string]string{"正常": "active", "在建": "active", "暂缓": "on_hold", "终止": "terminated", "": "active"}

var chainLabels = map[string]string{"建链": "build", "补链": "fill", "强链": "strengthen"}

// RowError names the row (as the spreadsheet numbers it) and the column.
type RowError = tabular.RowError

// openLedger opens a ledger: a CSV or the first sheet of an XLSX, within
// tabular.LedgerLimits.
func openLedger(r io.Reader, filename string) (tabular.Source, error) {
	return tabular.Open(r, filename, tabular.LedgerLimits)
}

// headerIndex maps field → column index from the header row.
func headerIndex(header []string) (map[string]int, []RowError) {
	return tabular.Header(header, ledgerColumns)
}

// cellReader reads one row's cells by field and collects its errors.
type cellReader struct {
	row     []string
	idx     map[string]int
	line    int
	errs    []RowError
	refused []string // fields whose text no column stores (named once)
}

// get is a cell's text; text holding NUL or another control character is
// the row's error (PostgreSQL refuses it; SQLite would store it) and reads
// as empty.
func (c *cellReader) get(field string) string {
	i, ok := c.idx[field]
	if !ok || i >= len(c.row) {
		return ""
	}
	v := strings.TrimSpace(c.row[i])
	if !valid.Text(v) {
		if !slices.Contains(c.refused, field) {
			c.refused = append(c.refused, field)
			c.fail(field, valid.TextMsg.Zh, valid.TextMsg.En)
		}
		return ""
	}
	return v
}

func (c *cellReader) fail(field, zh, en string) {
	c.errs = append(c.errs, rowError(c.line, field, zh, en))
}

// rowError names the column as the template heads it.
func rowError(line int, field, zh, en string) RowError {
	return RowError{Row: line, Column: tabular.ColumnName(ledgerColumns, field), Message: zh, MessageEn: en}
}

func (c *cellReader) amount(field string) money.Cents {
	s := strings.ReplaceAll(c.get(field), ",", "")
	if s == "" {
		return 0
	}
	v, err := money.Parse(s)
	if err != nil || v < 0 {
		c.fail(field, "应为不超过两位小数的非负数字："+s, "must be a non-negative number with at most two decimals: "+s)
	}
	return v
}

func (c *cellReader) integer(field string) int {
	s := strings.ReplaceAll(c.get(field), ",", "")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		c.fail(field, "应为非负整数："+s, "must be a non-negative integer: "+s)
	}
	return n
}

// excelEpoch is day 0 of Excel's 1900 date system (with its 1900 leap-year bug).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

var dateSeparators = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")

// date accepts 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 and Excel serial days.
func (c *cellReader) date(field string) civil.Date {
	s := c.get(field)
	if s == "" {
		return civil.Date{}
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' { // as the template asks: no other reading applies
		if d, err := civil.Parse(s); err == nil {
			return d
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		d, _ := civil.Parse(excelEpoch.AddDate(0, 0, int(math.Floor(f))).Format(time.DateOnly))
		return d
	}
	norm := dateSeparators.Replace(s)
	if t, err := time.Parse("2006-1-2", norm); err == nil {
		d, _ := civil.Parse(t.Format(time.DateOnly))
		return d
	}
	c.fail(field, "日期无法识别："+s+"（应为 YYYY-MM-DD）", "unrecognised date: "+s+" (use YYYY-MM-DD)")
	return civil.Date{}
}

// WriteErrorsCSV writes the error file of a ledger import (the command
// line's).
func WriteErrorsCSV(path string, rowErrs []RowError) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := tabular.WriteErrorsCSV(f, rowErrs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
