package project

import "github.com/zhaoqing/attract/internal/platform/tabular"

// CappedResult is the JSON answer of an import: the first
// tabular.MaxErrorsShown errors, their exact count, and whether the full
// list (the error file, ?errors=csv) holds more.
type CappedResult struct {
	ImportResult
	ErrorsTotal     int  `json:"errors_total"`
	ErrorsTruncated bool `json:"errors_truncated"`
}

func capErrors(res ImportResult) CappedResult {
	out := CappedResult{ImportResult: res, ErrorsTotal: len(res.Errors)}
	if len(res.Errors) > tabular.MaxErrorsShown {
		out.Errors, out.ErrorsTruncated = res.Errors[:tabular.MaxErrorsShown], true
	}
	return out
}
