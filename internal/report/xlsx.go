// Package report renders tables to the formats users take away: XLSX now,
// DOCX and print views as capabilities need them.
package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a sheet: a title row of headers and rows of cells.
type Table struct {
	Sheet   string
	Headers []string
	Rows    [][]any
}

// WriteXLSX writes tables as the sheets of one workbook, each with a bold,
// frozen header row.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Sheet)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err != nil {
			return err
		}
		if err := writeSheet(f, bold, t); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	return canonicalZip(w, buf.Bytes())
}

// canonicalZip rewrites a zip with its entries in name order and no
// timestamps: excelize writes parts in map order, and a closed month's
// report must come out byte for byte the same every time.
func canonicalZip(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	zw := zip.NewWriter(w)
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		out, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err == nil {
			_, err = io.Copy(out, rc)
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeSheet(f *excelize.File, bold int, t Table) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(t.Headers))
	for i, h := range t.Headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, r := range t.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// ServeXLSX sends the table as a download named filename (UTF-8 names
// allowed). The workbook is built in memory first, so a failure still gets
// the one error shape instead of half a file.
func ServeXLSX(w http.ResponseWriter, filename string, tables ...Table) error {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tables...); err != nil {
		return err
	}
	data, err := stampedBytes(w, buf.Bytes(), XLSXType)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", XLSXType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(filename)))
	_, err = w.Write(data)
	return err
}

// StreamXLSX sends a workbook whose rows come from fill, one at a time:
// excelize's stream writer spills rows to a temporary file, so a 100,000-row
// export does not sit in memory.
func StreamXLSX(w http.ResponseWriter, filename, sheet string, headers []string, fill func(add func(row []any) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if text := watermarkOf(w); text != "" {
		// Set on the sheet before its rows stream out: no second pass over
		// a large file.
		t := strings.ReplaceAll(text, "&", "&&")
		if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: "&L" + t, OddFooter: "&L" + t + "&R&P / &N"}); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(headers))
	for i, h := range headers {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	err = fill(func(row []any) error {
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", XLSXType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(filename)))
	return f.Write(w)
}
