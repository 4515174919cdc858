package tabular

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// xlsxSource streams the rows of an XLSX's first sheet, giving each cell the
// value excelize's GetRows(RawCellValue) gives it (shared and inline strings,
// raw numbers, the _xHHHH_ escapes), row by row, with the spreadsheet's row
// numbers. Rows without a value are left out (the caller skips blank rows).

var errSheet = errors.New("unreadable sheet")

type xlsxSource struct {
	rc     io.ReadCloser
	x      *xmlScanner
	sst    []string
	cells  []string
	line   int // the last row's number
	last   int // the last row with a value: the table's length
	inData bool
}

// openXLSX finds the first sheet as excelize does: the workbook named by the
// package relationships, its first <sheet>, that sheet's relationship target.
func openXLSX(r io.ReaderAt, size int64, lim Limits) (*xlsxSource, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, errXLSX
	}
	if err := checkZip(zr, lim); err != nil {
		return nil, err
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if strings.EqualFold(name, "xl/sharedStrings.xml") {
			name = "xl/sharedStrings.xml"
		}
		parts[name] = f
	}
	sheet, err := firstSheet(parts)
	if err != nil {
		return nil, err
	}
	sst, err := readSharedStrings(parts["xl/sharedStrings.xml"])
	if err != nil {
		return nil, errSheet
	}
	rc, err := sheet.Open()
	if err != nil {
		return nil, errSheet
	}
	return &xlsxSource{rc: rc, x: newXMLScanner(rc), sst: sst}, nil
}

var errXLSX = errors.New("not a readable XLSX")

type xlsxRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xlsxWorkbook struct {
	Sheets []struct {
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

func firstSheet(parts map[string]*zip.File) (*zip.File, error) {
	var root xlsxRels
	if err := readSmallXML(parts["_rels/.rels"], &root); err != nil {
		return nil, errSheet
	}
	wb := ""
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wb = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	var book xlsxWorkbook
	var rels xlsxRels
	relsPath := strings.TrimPrefix(path.Dir(wb)+"/_rels/"+path.Base(wb)+".rels", "./")
	if wb == "" || readSmallXML(parts[wb], &book) != nil || len(book.Sheets) == 0 || readSmallXML(parts[relsPath], &rels) != nil {
		return nil, errSheet
	}
	id := ""
	for _, a := range book.Sheets[0].Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			id = a.Value
		}
	}
	for _, r := range rels.Rels {
		if r.ID != id {
			continue
		}
		p := path.Clean(path.Dir(wb) + "/" + r.Target)
		if strings.HasPrefix(r.Target, "/") {
			p = path.Clean(r.Target)
		}
		if f := parts[strings.TrimPrefix(strings.ReplaceAll(p, `\`, "/"), "/")]; f != nil {
			return f, nil
		}
	}
	return nil, errSheet
}

// readSmallXML decodes a part of a few kilobytes (relationships, workbook).
func readSmallXML(f *zip.File, v any) error {
	if f == nil {
		return errSheet
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v)
}

// readSharedStrings reads the shared strings (none when the part is missing).
func readSharedStrings(f *zip.File) ([]string, error) {
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	x := newXMLScanner(rc)
	var out []string
	for {
		t, err := x.tag()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if t.is("si") && !t.end {
			s := ""
			if !t.empty {
				if s, err = x.richText(); err != nil {
					return nil, err
				}
			}
			out = append(out, s)
		}
	}
}

// richText reads a shared or inline string (<si>, <is>) after its start
// tag: its <t>, then the <t> of each run <r>, phonetic runs left out.
func (x *xmlScanner) richText() (string, error) {
	var b strings.Builder
	t0 := ""
	for {
		t, err := x.tag()
		if err != nil {
			return "", unexpected(err)
		}
		switch {
		case t.end:
			return bstrUnescape(t0 + b.String()), nil
		case t.is("t") && t.empty:
			t0 = ""
		case t.is("t"):
			if t0, err = x.chardata(); err != nil {
				return "", err
			}
		case t.is("r") && !t.empty:
			run, err := x.run()
			if err != nil {
				return "", err
			}
			b.WriteString(run)
		case !t.empty:
			if err := x.skip(); err != nil {
				return "", err
			}
		}
	}
}

// run reads a rich-text run after <r>: the text of its (last) <t>.
func (x *xmlScanner) run() (string, error) {
	s := ""
	for {
		t, err := x.tag()
		if err != nil {
			return "", unexpected(err)
		}
		switch {
		case t.end:
			return s, nil
		case t.is("t") && t.empty:
			s = ""
		case t.is("t"):
			if s, err = x.chardata(); err != nil {
				return "", err
			}
		case !t.empty:
			if err := x.skip(); err != nil {
				return "", err
			}
		}
	}
}

var bstrEscape = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnescape undoes Excel's _xHHHH_ escapes of characters XML cannot
// carry, as excelize does (_x005F_ is the underscore itself).
func bstrUnescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	return bstrEscape.ReplaceAllStringFunc(s, func(m string) string {
		if m == "_x005F_" {
			return "_"
		}
		v, _ := strconv.Unquote(`"\u` + m[2:6] + `"`)
		return v
	})
}

// Next returns the next row with a value and its number.
func (s *xlsxSource) Next() ([]string, int, error) {
	row, line, err := s.scan()
	if err != nil && err != io.EOF {
		return nil, 0, sheetError(s.line + 1) // malformed XML, a bad cell reference, a broken zip stream
	}
	return row, line, err
}

func (s *xlsxSource) scan() ([]string, int, error) {
	for {
		t, err := s.x.tag()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			return nil, 0, errSheet
		}
		switch {
		case t.is("sheetData"):
			if t.end || t.empty {
				s.inData = false
				return nil, 0, io.EOF
			}
			s.inData = true
		case t.is("row") && s.inData && !t.end:
			if err := s.startRow(t); err != nil {
				return nil, 0, err
			}
			if t.empty {
				continue
			}
			if err := s.readRow(); err != nil {
				return nil, 0, err
			}
			if len(s.cells) > 0 {
				s.last = s.line
				return s.cells, s.line, nil
			}
		}
	}
}

// totalRows is the number of rows a sheet may have (Excel's and excelize's).
const totalRows = 1048576

// startRow numbers a row: its r attribute, or the one after the last (rows
// out of order are taken as the next one).
func (s *xlsxSource) startRow(t xmlTag) error {
	s.cells = s.cells[:0]
	n := 0
	if v, ok := attr(t.attrs, "r"); ok {
		var err error
		if n, err = atoi(v); err != nil || n < 0 || n > totalRows {
			return errSheet
		}
	}
	if n > s.line {
		s.line = n
	} else {
		s.line++
	}
	return nil
}

// readRow reads the cells up to </row>.
func (s *xlsxSource) readRow() error {
	col := 0
	for {
		t, err := s.x.tag()
		if err != nil {
			return errSheet
		}
		if t.end && t.is("row") {
			return nil
		}
		if !t.is("c") || t.end {
			continue
		}
		col++
		if r, ok := attr(t.attrs, "r"); ok && len(r) > 0 {
			if col, err = cellColumn(r); err != nil {
				return errSheet
			}
		}
		typ := cellString // what the t attribute says (read now: attrs point into the buffer)
		if v, _ := attr(t.attrs, "t"); string(v) == "s" {
			typ = cellShared
		} else if string(v) == "inlineStr" {
			typ = cellInline
		}
		v, hasF := "", false
		if !t.empty {
			if v, hasF, err = s.cell(typ); err != nil {
				return errSheet
			}
		}
		if v != "" || hasF {
			for len(s.cells) < col-1 {
				s.cells = append(s.cells, "")
			}
			s.cells = append(s.cells, v)
		}
	}
}

// cell reads a cell's content after <c …>: its value as excelize reads it
// raw, and whether it has a formula.
func (s *xlsxSource) cell(typ cellType) (string, bool, error) {
	var v, is string
	var hasF, hasIS bool
	for {
		t, err := s.x.tag()
		if err != nil {
			return "", false, unexpected(err)
		}
		switch {
		case t.end:
			return s.value(typ, v, is, hasIS), hasF, nil
		case t.is("f"):
			hasF = true
			if !t.empty {
				err = s.x.skip()
			}
		case t.is("v") && t.empty:
			v = ""
		case t.is("v"):
			v, err = s.x.chardata()
		case t.is("is"):
			hasIS, is = true, ""
			if !t.empty {
				is, err = s.x.richText()
			}
		case !t.empty:
			err = s.x.skip()
		}
		if err != nil {
			return "", false, err
		}
	}
}

// cellType is how a cell holds its value: in <v> (numbers, booleans,
// errors, dates, formula strings), as a shared string's index, or inline.
type cellType int

const (
	cellString cellType = iota
	cellShared
	cellInline
)

func (s *xlsxSource) value(typ cellType, v, is string, hasIS bool) string {
	switch typ {
	case cellShared:
		if v == "" {
			return ""
		}
		i, _ := strconv.Atoi(strings.TrimSpace(v))
		if i < 0 || i >= len(s.sst) {
			return ""
		}
		return s.sst[i]
	case cellInline:
		if hasIS {
			return is
		}
	}
	return v
}

// cellColumn is the column number of a cell reference ("AB12" → 28), with
// excelize's rules: letters (and $), then a row number from 1 to totalRows.
func cellColumn(ref []byte) (int, error) {
	alpha := func(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '$' }
	i := len(ref) - 1
	for i >= 0 && !alpha(ref[i]) {
		i--
	}
	if !alpha(ref[0]) || i < 0 || i >= len(ref)-1 {
		return 0, errSheet
	}
	row, err := atoi(ref[i+1:])
	if err != nil || row <= 0 || row > totalRows {
		return 0, errSheet
	}
	col, letters := 0, 0
	for _, c := range ref[:i+1] {
		switch {
		case c == '$':
			continue
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case c < 'A' || c > 'Z':
			return 0, errSheet
		}
		letters++
		if col = col*26 + int(c-'A'+1); col > 16384 {
			return 0, errSheet
		}
	}
	if letters == 0 {
		return 0, errSheet
	}
	return col, nil
}

// atoi is strconv.Atoi on bytes, without a copy for plain digits.
func atoi(b []byte) (int, error) {
	if len(b) == 0 || len(b) > 9 {
		return strconv.Atoi(string(b))
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return strconv.Atoi(string(b))
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

func (s *xlsxSource) Rows() int    { return s.last }
func (s *xlsxSource) Close() error { return s.rc.Close() }
