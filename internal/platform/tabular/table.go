// Package tabular reads the tables users upload — CSV (UTF-8, with or
// without a byte-order mark, or GB18030 as Excel writes it on Chinese
// Windows) and the first sheet of an XLSX — row by row, within Limits, for
// every import (ledger, enterprises, targets, intelligence). Columns are
// found by their header (Header), row errors name the row and the column
// (RowError) and go to the error file (WriteErrorsCSV).
package tabular

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Source yields a table's rows one by one, each with its number as the
// spreadsheet shows it (1 is the header). A row's slice is reused by the
// next call; its strings are not. Read errors name the row.
type Source interface {
	Next() ([]string, int, error) // io.EOF after the last row
	Rows() int                    // rows read so far, counting blank ones within the table
	Close() error
}

// Open reads a CSV or XLSX, by its file name's extension, within lim. A
// file or a bytes.Reader is read where it lies; any other reader is read
// into memory first (an XLSX is a zip: it needs its end first).
func Open(r io.Reader, filename string, lim Limits) (Source, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	if _, seekable := r.(io.ReaderAt); !seekable && ext == ".csv" {
		// A stream (a pipe) is read as it comes: its encoding is told from
		// its first 64 kB.
		return &bounded{Source: streamCSV(r), lim: lim}, nil
	}
	ra, size, err := readerAt(r)
	if err != nil {
		return nil, err
	}
	var src Source
	switch ext {
	case ".xlsx":
		x, err := openXLSX(ra, size, lim)
		if err == errXLSX {
			return nil, errs.E(errs.Invalid, "无法读取 XLSX 文件", "cannot read the XLSX file").Field("file", "文件损坏或不是 XLSX", "not a readable XLSX")
		}
		if errs.Is(err, errs.TooLarge) {
			return nil, err
		}
		if err != nil {
			return nil, errs.E(errs.Invalid, "无法读取工作表", "cannot read the sheet").Field("file", "无法读取工作表", "cannot read the sheet")
		}
		src = x
	case ".csv":
		c, err := openCSV(ra, size)
		if err != nil {
			return nil, err
		}
		src = c
	default:
		return nil, errs.E(errs.Invalid, "只接受 .xlsx 或 .csv 文件", "only .xlsx and .csv files").Field("file", "文件类型不支持", "unsupported type")
	}
	return &bounded{Source: src, lim: lim}, nil
}

func readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	switch v := r.(type) {
	case *bytes.Reader:
		return v, v.Size(), nil
	case *os.File:
		st, err := v.Stat()
		if err != nil {
			return nil, 0, errs.Wrap(err, "read upload")
		}
		return v, st.Size(), nil
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, errs.Wrap(err, "read upload")
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// bounded stops a table at its limits' rows and columns: a file of
// millions of short rows would otherwise answer millions of row errors.
type bounded struct {
	Source
	lim Limits
	n   int
}

func (b *bounded) Next() ([]string, int, error) {
	row, line, err := b.Source.Next()
	if err != nil {
		return row, line, err
	}
	b.n++
	if err := b.lim.checkRow(b.n-1, line, len(row)); err != nil {
		return nil, 0, err
	}
	return row, line, nil
}

// ReadAll reads a small table whole (targets, intelligence), header
// first: out[i] is row i+1 (a row without a value is empty).
func ReadAll(src Source) ([][]string, error) {
	var out [][]string
	for {
		row, line, err := src.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for len(out) < line-1 {
			out = append(out, nil)
		}
		out = append(out, append([]string(nil), row...))
	}
}

func sheetError(line int) error {
	return errs.E(errs.Invalid, fmt.Sprintf("无法读取工作表（第 %d 行附近）", line), fmt.Sprintf("cannot read the sheet (near row %d)", line)).
		Field("file", "工作表格式有误", "malformed sheet")
}
