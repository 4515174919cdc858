package project

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/zhaoqing/attract/internal/report"
)

// boundedSource stops a ledger at report.LedgerLimits' rows and columns:
// a file of millions of short rows would otherwise answer millions of
// row errors.
type boundedSource struct {
	rowSource
	n int
}

func bounded(src rowSource) rowSource { return &boundedSource{rowSource: src} }

func (b *boundedSource) next() ([]string, int, error) {
	row, line, err := b.rowSource.next()
	if err != nil {
		return row, line, err
	}
	b.n++
	if err := report.LedgerLimits.CheckRow(b.n, len(row)); err != nil {
		return nil, 0, err
	}
	return row, line, nil
}

// cappedResult is the JSON answer of an import: the first
// report.MaxErrorsShown errors, their exact count, and whether the full
// list (the error file, ?errors=csv) holds more.
type cappedResult struct {
	ImportResult
	ErrorsTotal     int  `json:"errors_total"`
	ErrorsTruncated bool `json:"errors_truncated"`
}

func capErrors(res ImportResult) cappedResult {
	out := cappedResult{ImportResult: res, ErrorsTotal: len(res.Errors)}
	if len(res.Errors) > report.MaxErrorsShown {
		out.Errors, out.ErrorsTruncated = res.Errors[:report.MaxErrorsShown], true
	}
	return out
}

// serveErrorsCSV sends every row error as the error file (UTF-8 with BOM,
// as WriteErrorsCSV writes it for the command line).
func serveErrorsCSV(w http.ResponseWriter, rowErrs []RowError) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ledger-errors.csv"`)
	if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"行号", "列", "问题", "Problem"})
	for _, e := range rowErrs {
		_ = cw.Write([]string{strconv.Itoa(e.Row), report.SafeCell(e.Column), report.SafeCell(e.Message), report.SafeCell(e.MessageEn)})
	}
	cw.Flush()
	return cw.Error()
}
