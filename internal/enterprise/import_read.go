package enterprise

import (
	"io"

	"github.com/zhaoqing/attract/internal/platform/tabular"
)

// Commercial enterprise data arrives as CSV (UTF-8, or GB18030 as Excel
// writes it on Chinese Windows) or XLSX, one enterprise a row, columns found
// by their header (Chinese as in the template, or the API field name), read
// by the tabular package within tabular.EnterpriseLimits.

var columns = []tabular.Column{
	{Field: "credit_code", Zh: "统一社会信用代码", En: "Unified social credit code", Required: true},
	{Field: "name", Zh: "企业名称", En: "Name", Required: true},
	{Field: "former_names", Zh: "曾用名", En: "Former names"},
	{Field: "industry_code", Zh: "行业代码", En: "Industry code (GB/T 4754)"},
	{Field: "region_code", Zh: "总部所在地代码", En: "Headquarters division code"},
	{Field: "registered_capital", Zh: "注册资本（万元）", En: "Registered capital (10k CNY)"},
	{Field: "founded_on", Zh: "成立日期", En: "Founded on"},
	{Field: "revenue", Zh: "营业收入（万元）", En: "Revenue (10k CNY)"},
	{Field: "staff", Zh: "从业人数", En: "Staff"},
	{Field: "listing_code", Zh: "上市代码", En: "Listing code"},
	{Field: "tags", Zh: "企业标签", En: "Tags"},
	{Field: "expanded_on", Zh: "最近扩张日期", En: "Last expansion on"},
}

// openTable reads a CSV or XLSX by its file name's extension; a file is
// read where it lies (never whole into memory).
func openTable(r io.Reader, filename string) (tabular.Source, error) {
	return tabular.Open(r, filename, tabular.EnterpriseLimits)
}

// headerIndex maps field → column index from the header row.
func headerIndex(header []string) (map[string]int, []RowError) {
	return tabular.Header(header, columns)
}

// RowError names the row (as the spreadsheet numbers it) and the column.
type RowError = tabular.RowError
