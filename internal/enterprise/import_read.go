package enterprise

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/report"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Commercial enterprise data arrives as CSV (UTF-8, or GB18030 as Excel
// writes it on Chinese Windows) or XLSX, one enterprise a row, columns found
// by their header (Chinese as in the template, or the API field name).

type column struct {
	field, zh, en string
	required      bool
}

var columns = []column{
	{"credit_code", "统一社会信用代码", "Unified social credit code", true},
	{"name", "企业名称", "Name", true},
	{"former_names", "曾用名", "Former names", false},
	{"industry_code", "行业代码", "Industry code (GB/T 4754)", false},
	{"region_code", "总部所在地代码", "Headquarters division code", false},
	{"registered_capital", "注册资本（万元）", "Registered capital (10k CNY)", false},
	{"founded_on", "成立日期", "Founded on", false},
	{"revenue", "营业收入（万元）", "Revenue (10k CNY)", false},
	{"staff", "从业人数", "Staff", false},
	{"listing_code", "上市代码", "Listing code", false},
	{"tags", "企业标签", "Tags", false},
	{"expanded_on", "最近扩张日期", "Last expansion on", false},
}

// rowSource yields the rows of a table one by one.
type rowSource interface {
	Next() ([]string, error) // io.EOF at the end
	Close() error
}

type csvSource struct{ r *csv.Reader }

func (c csvSource) Next() ([]string, error) { return c.r.Read() }
func (c csvSource) Close() error            { return nil }

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
}

func (x *xlsxSource) Next() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	return x.rows.Columns(excelize.Options{RawCellValue: true})
}

func (x *xlsxSource) Close() error {
	x.rows.Close()
	return x.f.Close()
}

// openTable reads a CSV or XLSX by its file name's extension.
func openTable(r io.Reader, filename string) (rowSource, error) {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".xlsx":
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, errs.Wrap(err, "read upload")
		}
		if err := report.CheckXLSX(data, report.EnterpriseLimits); err != nil {
			return nil, err
		}
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: report.EnterpriseLimits.Uncompressed})
		if err != nil {
			return nil, errs.E(errs.Invalid, "无法读取 XLSX 文件", "cannot read the XLSX file").Field("file", "文件损坏或不是 XLSX", "not a readable XLSX")
		}
		rows, err := f.Rows(f.GetSheetName(0))
		if err != nil {
			f.Close()
			return nil, errs.E(errs.Invalid, "无法读取工作表", "cannot read the sheet").Field("file", "无法读取工作表", "cannot read the sheet")
		}
		return &boundedSource{rowSource: &xlsxSource{f: f, rows: rows}}, nil
	case ".csv":
		br := bufio.NewReaderSize(r, 1<<20)
		head, _ := br.Peek(64 << 10)
		head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
		var in io.Reader = br
		if len(head) > 0 && !utf8.Valid(trimPartialRune(head)) {
			in = simplifiedchinese.GB18030.NewDecoder().Reader(br)
		} else if bytes.HasPrefix(mustPeek(br, 3), []byte("\xef\xbb\xbf")) {
			br.Discard(3)
		}
		cr := csv.NewReader(in)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		return &boundedSource{rowSource: csvSource{cr}}, nil
	}
	return nil, errs.E(errs.Invalid, "只接受 .xlsx 或 .csv 文件", "only .xlsx and .csv files").Field("file", "文件类型不支持", "unsupported type")
}

// boundedSource stops a table at report.EnterpriseLimits' rows and columns.
type boundedSource struct {
	rowSource
	n int
}

func (b *boundedSource) Next() ([]string, error) {
	row, err := b.rowSource.Next()
	if err != nil {
		return row, err
	}
	b.n++
	if err := report.EnterpriseLimits.CheckRow(b.n, len(row)); err != nil {
		return nil, err
	}
	return row, nil
}

func mustPeek(br *bufio.Reader, n int) []byte {
	b, _ := br.Peek(n)
	return b
}

// trimPartialRune drops a rune cut off at the end of a peeked block.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < 3 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

// headerIndex maps field → column index from the header row.
func headerIndex(header []string) (map[string]int, []RowError) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), "*"))
		for _, c := range columns {
			if h == c.zh || h == c.field || strings.EqualFold(h, c.en) {
				idx[c.field] = i
			}
		}
	}
	var out []RowError
	for _, c := range columns {
		if _, ok := idx[c.field]; c.required && !ok {
			out = append(out, RowError{Row: 1, Column: c.zh, Message: "缺少必填列「" + c.zh + "」", MessageEn: "missing required column " + c.en})
		}
	}
	return idx, out
}

// RowError names the row (as the spreadsheet numbers it) and the column.
type RowError struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}
