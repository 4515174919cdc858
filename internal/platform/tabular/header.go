package tabular

import (
	"io"
	"strings"
)

// Column is one column of an import's template: found by its Chinese
// header, its API field name or its English header (a trailing "*", the
// template's mark of a required column, is ignored).
type Column struct {
	Field, Zh, En string
	Required      bool
}

// RowError names the row (as the spreadsheet numbers it) and the column.
type RowError struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Header maps field → column index from the header row; a missing
// required column is an error of row 1.
func Header(header []string, cols []Column) (map[string]int, []RowError) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), "*"))
		for _, c := range cols {
			if h == c.Zh || h == c.Field || strings.EqualFold(h, c.En) {
				idx[c.Field] = i
			}
		}
	}
	var out []RowError
	for _, c := range cols {
		if _, ok := idx[c.Field]; c.Required && !ok {
			out = append(out, RowError{Row: 1, Column: c.Zh, Message: "缺少必填列「" + c.Zh + "」", MessageEn: "missing required column " + c.En})
		}
	}
	return idx, out
}

// ColumnName is how the template heads a field (the field itself when it
// is none of cols).
func ColumnName(cols []Column, field string) string {
	for _, c := range cols {
		if c.Field == field {
			return c.Zh
		}
	}
	return field
}

// Blank says whether a row holds only spaces.
func Blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// WriteErrorsCSV writes the error file: every row error, through the
// export writer (CSVWriter).
func WriteErrorsCSV(w io.Writer, rowErrs []RowError) error {
	cw, err := NewCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write([]any{"行号", "列", "问题", "Problem"}); err != nil {
		return err
	}
	for _, e := range rowErrs {
		if err := cw.Write([]any{e.Row, e.Column, e.Message, e.MessageEn}); err != nil {
			return err
		}
	}
	return cw.Flush()
}
