package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Doc is a simple Word document: headings, paragraphs and tables, in the
// plain layout of an official draft the office will edit. No Go library for
// DOCX is both well kept and released; WordprocessingML for these three
// elements is small, so it is written here.
type Doc struct {
	body strings.Builder
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func run(text string, bold bool, size int) string {
	props := fmt.Sprintf(`<w:rPr><w:rFonts w:ascii="SimSun" w:eastAsia="SimSun" w:hAnsi="SimSun"/>%s<w:sz w:val="%d"/></w:rPr>`,
		map[bool]string{true: "<w:b/>", false: ""}[bold], size)
	return `<w:r>` + props + `<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`
}

// Title adds a centred bold title.
func (d *Doc) Title(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr>` + run(text, true, 36) + `</w:p>`)
}

// Heading adds a bold section heading.
func (d *Doc) Heading(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:spacing w:before="240" w:after="120"/></w:pPr>` + run(text, true, 28) + `</w:p>`)
}

// Para adds a paragraph with a first-line indent of two characters.
func (d *Doc) Para(text string) {
	d.body.WriteString(`<w:p><w:pPr><w:ind w:firstLineChars="200" w:firstLine="480"/><w:spacing w:line="360" w:lineRule="auto"/></w:pPr>` + run(text, false, 24) + `</w:p>`)
}

// Table adds a bordered table whose first row is the header.
func (d *Doc) Table(headers []string, rows [][]string) {
	cell := func(text string, bold bool) string {
		return `<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p>` + run(text, bold, 21) + `</w:p></w:tc>`
	}
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders></w:tblPr><w:tr>`)
	for _, h := range headers {
		b.WriteString(cell(h, true))
	}
	b.WriteString(`</w:tr>`)
	for _, r := range rows {
		b.WriteString(`<w:tr>`)
		for _, c := range r {
			b.WriteString(cell(c, false))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:p/>`)
	d.body.WriteString(b.String())
}

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	docHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	docTail = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`
)

// Write writes the document as a .docx package; the same document gives the
// same bytes.
func (d *Doc) Write(w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rootRels}, {"word/document.xml", docHead + d.body.String() + docTail},
	} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, part.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// DOCXType is the media type of a .docx file.
const DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// Bytes is the document as a .docx file.
func (d *Doc) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	err := d.Write(&buf)
	return buf.Bytes(), err
}

// ServeDOCX sends the document as a download.
func ServeDOCX(w http.ResponseWriter, filename string, d *Doc) error {
	data, err := d.Bytes()
	if err != nil {
		return err
	}
	if data, err = stampedBytes(w, data, DOCXType); err != nil {
		return err
	}
	return ServeBytes(w, filename, DOCXType, data)
}

// ServeBytes sends a stored file (a published document) as a download.
func ServeBytes(w http.ResponseWriter, filename, mediaType string, data []byte) error {
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(filename)))
	_, err := w.Write(data)
	return err
}
