package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// CSVWriter writes every CSV file the server hands out (exports, error
// files): UTF-8 with a byte-order mark, so that Excel on Chinese Windows
// opens it correctly; numbers as numbers; text through SafeCell, so that no
// cell is read as a formula.
type CSVWriter struct{ cw *csv.Writer }

// NewCSVWriter writes the byte-order mark and returns the writer.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
		return nil, err
	}
	return &CSVWriter{cw: csv.NewWriter(w)}, nil
}

// Write writes one row. Integers and floats are written as numbers (-5
// stays -5); everything else is text and goes through SafeCell.
func (c *CSVWriter) Write(row []any) error {
	cells := make([]string, len(row))
	for i, v := range row {
		cells[i] = CSVCell(v)
	}
	return c.cw.Write(cells)
}

// Flush writes what is buffered and answers the first error.
func (c *CSVWriter) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// CSVCell is how one value is written into a CSV cell.
func CSVCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return SafeCell(v)
	default:
		return SafeCell(fmt.Sprint(v))
	}
}

// plainNumber is a number as a spreadsheet reads one: it starts no formula.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// SafeCell keeps a text cell of a CSV from being read as a formula by a
// spreadsheet (OWASP's CSV injection rule): text starting with =, +, -, @,
// a tab or a carriage return is prefixed with an apostrophe, which Excel
// shows as text. Plain numbers ("-5") are left alone. XLSX needs no prefix:
// report writes every text as a string cell, never a formula.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !plainNumber.MatchString(s) {
		return "'" + s
	}
	return s
}
