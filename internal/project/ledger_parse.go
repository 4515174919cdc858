package project

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/valid"
)

// The city's existing ledger (台账) arrives as XLSX or CSV with one project a
// row. Columns are found by their header (Chinese, as in the template, or the
// API field name), so a ledger with columns in another order still reads.

// ledgerColumn is one column of the template.
type ledgerColumn struct {
	field, zh, en string
	required      bool
}

var ledgerColumns = []ledgerColumn{
	{"name", "项目名称", "Project name", true},
	{"investor_name", "投资方", "Investor", true},
	{"investor_uscc", "统一社会信用代码", "Unified social credit code", false},
	{"industry_code", "行业代码", "Industry code (GB/T 4754)", false},
	{"chain_role", "建链补链强链", "Chain role", false},
	{"contract_investment", "合同投资额（万元）", "Contracted investment (10k CNY)", false},
	{"fixed_asset_investment", "固定资产投资（万元）", "Fixed-asset investment (10k CNY)", false},
	{"foreign_capital", "外资（万美元）", "Foreign capital (10k USD)", false},
	{"funds_in_place", "实际到位资金（万元）", "Funds in place (10k CNY)", false},
	{"source_region", "来源地区", "Source region", false},
	{"channel", "招商方式", "Channel", true},
	{"referrer", "推荐人", "Referred by", false},
	{"tags", "项目标签", "Tags", false},
	{"land_area_mu", "用地面积（亩）", "Land (mu)", false},
	{"expected_output", "预计年产值（万元）", "Expected output (10k CNY)", false},
	{"expected_tax", "预计年税收（万元）", "Expected tax (10k CNY)", false},
	{"expected_jobs", "预计就业（人）", "Expected jobs", false},
	{"locality", "落户地", "Landing locality", false},
	{"introducers", "引进单位及分成", "Introducing units and shares", false},
	{"stage", "阶段", "Stage", false},
	{"lead_on", "线索日期", "Lead on", false},
	{"negotiating_on", "洽谈日期", "Negotiating on", false},
	{"signed_on", "签约日期", "Signed on", false},
	{"registered_on", "落户日期", "Registered on", false},
	{"construction_on", "动工日期", "Construction on", false},
	{"production_on", "投产日期", "Production on", false},
	{"status", "状态", "Status", false},
	{"is_key", "重点项目", "Key project", false},
}

var stageLabels = map[string]string{"线索": "lead", "在谈": "negotiating", "洽谈": "negotiating", "签约": "signed",
	"落户": "registered", "注册": "registered", "动工": "construction", "开工": "construction", "投产": "production"}

var statusLabels = map[string]string{"正常": "active", "在建": "active", "暂缓": "on_hold", "终止": "terminated", "": "active"}

var chainLabels = map[string]string{"建链": "build", "补链": "fill", "强链": "strengthen"}

// RowError names the row (as the spreadsheet numbers it) and the column.
type RowError struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// rowSource yields a ledger's rows one by one, each with its number as the
// spreadsheet shows it (1 is the header). A row's slice is reused by the
// next call; its strings are not.
type rowSource interface {
	next() ([]string, int, error) // io.EOF after the last row
	rows() int                    // rows read so far, counting blank ones within the table
	close()
}

// openLedger opens a CSV (UTF-8, with or without BOM, or GB18030 as Excel
// writes it on Chinese Windows) or the first sheet of an XLSX.
func openLedger(r io.Reader, filename string) (rowSource, error) {
	data, err := io.ReadAll(io.LimitReader(r, 200<<20))
	if err != nil {
		return nil, errs.Wrap(err, "read ledger")
	}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".xlsx":
		src, err := openXLSX(data)
		if err == errXLSX {
			return nil, errs.E(errs.Invalid, "无法读取 XLSX 文件", "cannot read the XLSX file").Field("file", "文件损坏或不是 XLSX", "not a readable XLSX")
		}
		if errs.Is(err, errs.TooLarge) {
			return nil, err
		}
		if err != nil {
			return nil, sheetError()
		}
		return bounded(src), nil
	case ".csv":
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
				return nil, errs.E(errs.Invalid, "CSV 编码无法识别（请用 UTF-8 或 GBK）", "unknown CSV encoding (use UTF-8 or GBK)")
			}
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		return bounded(&csvSource{r: cr}), nil
	}
	return nil, errs.E(errs.Invalid, "只接受 .xlsx 或 .csv 文件", "only .xlsx and .csv files").Field("file", "文件类型不支持", "unsupported type")
}

func sheetError() error {
	return errs.E(errs.Invalid, "无法读取工作表", "cannot read the sheet")
}

type csvSource struct {
	r *csv.Reader
	n int
}

func (c *csvSource) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, errs.E(errs.Invalid, "CSV 格式有误："+err.Error(), "malformed CSV: "+err.Error())
	}
	c.n++
	return rec, c.n, nil
}

func (c *csvSource) rows() int { return c.n }
func (c *csvSource) close()    {}

// headerIndex maps field → column index from the header row.
func headerIndex(header []string) (map[string]int, []RowError) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), "*"))
		for _, c := range ledgerColumns {
			if h == c.zh || h == c.field || strings.EqualFold(h, c.en) {
				idx[c.field] = i
			}
		}
	}
	var errsOut []RowError
	for _, c := range ledgerColumns {
		if _, ok := idx[c.field]; c.required && !ok {
			errsOut = append(errsOut, RowError{Row: 1, Column: c.zh, Message: "缺少必填列「" + c.zh + "」", MessageEn: "missing required column " + c.en})
		}
	}
	return idx, errsOut
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
	col := field
	for _, lc := range ledgerColumns {
		if lc.field == field {
			col = lc.zh
		}
	}
	return RowError{Row: line, Column: col, Message: zh, MessageEn: en}
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

// WriteErrorsCSV writes the row-error report (UTF-8 with BOM, so Excel on
// Chinese Windows opens it correctly).
func WriteErrorsCSV(path string, rowErrs []RowError) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString("\xef\xbb\xbf"); err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"行号", "列", "问题", "Problem"})
	for _, e := range rowErrs {
		_ = w.Write([]string{strconv.Itoa(e.Row), e.Column, e.Message, e.MessageEn})
	}
	w.Flush()
	return w.Error()
}
