package tabular

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The XLSX reader must give what excelize's GetRows(RawCellValue) gives,
// the reader it replaces; these tests compare the two.

// excelizeTable is the first sheet as the ledger read it before.
func excelizeTable(t testing.TB, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("excelize: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("excelize rows: %v", err)
	}
	return rows
}

// streamedTable is the first sheet as openXLSX streams it, laid out as
// GetRows does (a row's index is its number less one).
func streamedTable(data []byte) ([][]string, error) {
	src, err := openXLSX(bytes.NewReader(data), int64(len(data)), LedgerLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var out [][]string
	for {
		row, line, err := src.Next()
		if err == io.EOF {
			if src.Rows() != len(out) {
				return nil, fmt.Errorf("Rows() = %d, table has %d", src.Rows(), len(out))
			}
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

func sameTable(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func compareReaders(t *testing.T, data []byte) {
	t.Helper()
	want := excelizeTable(t, data)
	got, err := streamedTable(data)
	if err != nil {
		t.Fatalf("streamed: %v", err)
	}
	if !sameTable(got, want) {
		t.Fatalf("streamed\n%q\nexcelize\n%q", got, want)
	}
}

// A workbook as excelize writes it: shared strings, numbers, booleans,
// formulas, rich text, escapes, gaps between rows and columns.
func TestXLSXLikeExcelize(t *testing.T) {
	f := excelize.NewFile()
	s := f.GetSheetName(0)
	set := func(cell string, v any) {
		if err := f.SetCellValue(s, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "项目名称*")
	set("B1", "投资方")
	set("D1", "合同投资额（万元）")
	set("A2", "肇庆 & <储能> \"基地\"")
	set("B2", "宁德时代\r\n新能源")
	set("D2", 1200000.5)
	set("E2", true)
	set("F2", "_x000D_ and _x005F_x0041_")
	set("G2", 45662)
	set("A4", "  spaced  ")
	set("C4", "项目名称*") // a repeated shared string
	if err := f.SetCellFormula(s, "H2", "D2*2"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellRichText(s, "B4", []excelize.RichTextRun{{Text: "粗"}, {Text: "体", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	set("XFD5", "last column")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	compareReaders(t, buf.Bytes())
}

// A workbook as excelize's stream writer (and the bench) writes it: inline
// strings.
func TestXLSXStreamWriter(t *testing.T) {
	compareReaders(t, streamedWorkbook(t, [][]any{{"名称", "投资方", "", 3841, "强链", 1200000.5}, {"b&c", nil, "<x>"}, nil, {"after a gap"}}))
}

func streamedWorkbook(t testing.TB, rows [][]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withSheet replaces a workbook's sheet (and shared strings) with hand-written
// XML, for what other programs write.
func withSheet(t *testing.T, base []byte, sheet, sst string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		switch f.Name {
		case "xl/worksheets/sheet1.xml":
			io.WriteString(w, sheet)
		case "xl/sharedStrings.xml":
			io.WriteString(w, sst)
		default:
			rc, _ := f.Open()
			io.Copy(w, rc)
			rc.Close()
		}
	}
	zw.Close()
	return buf.Bytes()
}

func TestXLSXOtherWriters(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetCellValue("Sheet1", "A1", "x") // so the package has shared strings
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	sst := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>项目名称</t></si><si><t xml:space="preserve"> 投资方 </t></si>
<si><r><rPr><b/><sz val="11"/></rPr><t>富</t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si>
<si><t/></si><si><t><![CDATA[a<b]]>&amp;&#x4E2D;&#22269;</t></si></sst>`
	for name, sheet := range map[string]string{
		"excel": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:C3"/><sheetData>
<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c></row>
<row r="3"><c r="A3" s="1"><v>45662</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3"><f>A3+1</f><v>45663</v></c><c r="E3"><f>""</f></c><c r="F3" t="s"><v>3</v></c><c r="G3" t="s"><v>4</v></c><c r="H3" t="s"><v>99</v></c></row>
<!-- a comment --><row r="4"/><row r="5"><c r="$B$5" t="inlineStr"><is><t>inline</t></is></c><c t="str"><v>next col</v></c><c r="E5" t="inlineStr"><v>no is</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`,
		"prefixed": `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row><x:c t="inlineStr"><x:is><x:t>a&#10;b</x:t></x:is></x:c><x:c><x:v>1.5e3</x:v></x:c></x:row>
<x:row><x:c r="C2" t='inlineStr'><x:is><x:r><x:t>r1</x:t></x:r><x:r><x:t>r2</x:t></x:r></x:is></x:c></x:row>
</x:sheetData></x:worksheet>`,
		"crlf": "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c></row></sheetData></worksheet>",
	} {
		t.Run(name, func(t *testing.T) { compareReaders(t, withSheet(t, base.Bytes(), sheet, sst)) })
	}
	// Broken XML is refused (excelize stopped reading there, silently).
	for _, bad := range []string{
		`<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a &bogus; b</t></is></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="x"><c><v>1</v></c></row></sheetData></worksheet>`,
		"<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>\x01</t></is></c></row></sheetData></worksheet>",
		`<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>unterminated`,
		`<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>` + strings.Repeat("长", 6<<20) + `</t></is></c></row></sheetData></worksheet>`,
	} {
		if _, err := streamedTable(withSheet(t, base.Bytes(), bad, sst)); err == nil {
			t.Errorf("accepted %q", bad[:min(len(bad), 200)])
		}
	}
}

// FuzzXLSX writes fuzzed cells with excelize, as shared strings and as
// the stream writer's inline strings, and reads them back both ways.
func FuzzXLSX(f *testing.F) {
	f.Add("项目名称\t投资方\n宁德时代 & <基地>\t12.5\n\n_x000D_\t=SUM(1)")
	f.Add("a\r\nb\t\t\tc\n \t\x00")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4000 {
			return
		}
		var rows [][]any
		for _, line := range strings.Split(s, "\n") {
			var row []any
			for _, c := range strings.Split(line, "\t") {
				row = append(row, c)
			}
			rows = append(rows, row)
		}
		xf := excelize.NewFile()
		for i, r := range rows {
			for j, c := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if xf.SetCellValue("Sheet1", cell, c) != nil {
					return // a value excelize will not store
				}
			}
		}
		var buf bytes.Buffer
		if err := xf.Write(&buf); err != nil {
			return
		}
		compareReaders(t, buf.Bytes())
		if data := streamedWorkbookOrNil(rows); data != nil {
			compareReaders(t, data)
		}
	})
}

func streamedWorkbookOrNil(rows [][]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if sw.SetRow(cell, r) != nil {
			return nil
		}
	}
	if sw.Flush() != nil {
		return nil
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil
	}
	return buf.Bytes()
}

// BenchmarkXLSXRead reads a 50,000-row ledger laid out as the bench writes it.
func BenchmarkXLSXRead(b *testing.B) {
	rows := make([][]any, 50_001)
	for i := range rows {
		rows[i] = []any{fmt.Sprintf("肇庆第%d号储能电池基地项目", i), "宁德时代新能源科技股份有限公司", "91350900587527783P", "3841", "强链", 1200000.5, 800000,
			"", "", "长三角", "以商引商", "", "重点项目、链主", 500, 2000000, 80000, 1500, "端州区", "新能源汽车组:50;端州区:50", "签约",
			"2025-01-05", "2025-02-10", "2025-03-01", "", "", "", "正常", "是"}
	}
	data := streamedWorkbook(b, rows)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		src, err := openXLSX(bytes.NewReader(data), int64(len(data)), LedgerLimits)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, _, err := src.Next()
			if err != nil {
				break
			}
			n++
		}
		src.Close()
		if n != len(rows) {
			b.Fatal(n)
		}
	}
}

// A sheet larger than the scanner's buffer, so that tags and values
// straddle its refills.
func TestXLSXLarge(t *testing.T) {
	rows := make([][]any, 6000)
	for i := range rows {
		rows[i] = []any{fmt.Sprintf("项目 %d &amp; <x>", i), i, float64(i) / 7, "", strings.Repeat("长", i%50), true, fmt.Sprintf("2025-01-%02d", i%28+1)}
	}
	data := streamedWorkbook(t, rows)
	compareReaders(t, data)
	f := excelize.NewFile()
	for i, r := range rows[:3000] {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	compareReaders(t, buf.Bytes())
}

// FuzzSheetXML feeds arbitrary worksheet XML (and shared strings)
// to the scanner: no panic, no endless loop, rows in ascending order.
func FuzzSheetXML(f *testing.F) {
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><t>a&amp;b</t></is></c></row></sheetData></worksheet>`,
		`<sst><si><t>x</t></si></sst>`)
	f.Add(`<x:worksheet><x:sheetData><x:row><x:c><x:v><![CDATA[1]]></x:v></x:c></x:row><row r="9"/></x:sheetData>`, `<sst><si><r><t>a</t></r><rPh><t>b</t></rPh></si>`)
	xf := excelize.NewFile()
	_ = xf.SetCellValue("Sheet1", "A1", "x")
	var base bytes.Buffer
	if err := xf.Write(&base); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		zr, _ := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range zr.File {
			switch zf.Name {
			case "xl/worksheets/sheet1.xml":
				w, _ := zw.Create(zf.Name)
				io.WriteString(w, sheet)
			case "xl/sharedStrings.xml":
				w, _ := zw.Create(zf.Name)
				io.WriteString(w, sst)
			case "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels": // all the reader needs besides
				w, _ := zw.Create(zf.Name)
				rc, _ := zf.Open()
				io.Copy(w, rc)
				rc.Close()
			}
		}
		zw.Close()
		src, err := openXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), LedgerLimits)
		if err != nil {
			return
		}
		defer src.Close()
		last := 0
		for {
			row, line, err := src.Next()
			if err != nil {
				return
			}
			if line <= last || len(row) == 0 || line > totalRows {
				t.Fatalf("row %d after %d: %q", line, last, row)
			}
			last = line
		}
	})
}
