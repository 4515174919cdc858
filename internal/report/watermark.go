package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Exports carry who took them and when: each XLSX sheet's printed header
// and footer and each DOCX page's header name the user and the time, as
// such offices expect of documents leaving the system. The web layer puts
// the text on the response writer (Stamped); the Serve and Stream
// functions here, which every export goes through, apply it. Stored
// documents (ServeBytes: a published evaluation) are served as recorded.

// Stamper is a response writer that knows the watermark of its request.
type Stamper interface {
	WatermarkText() string
}

func watermarkOf(w http.ResponseWriter) string {
	if s, ok := w.(Stamper); ok {
		return s.WatermarkText()
	}
	return ""
}

// Watermark returns an XLSX or DOCX package (by its media type) with text
// in its headers and footers; other media types come back unchanged.
func Watermark(data []byte, mediaType, text string) ([]byte, error) {
	if text == "" || (mediaType != XLSXType && mediaType != DOCXType) {
		return data, nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	parts := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		parts[f.Name] = b
		names = append(names, f.Name)
	}
	if mediaType == XLSXType {
		stampSheets(parts, text)
	} else {
		names = stampDocument(parts, names, text)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range names {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(parts[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// XLSXType is the media type of a .xlsx file.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sheetAfterHeaderFooter are the worksheet elements that come after
// headerFooter in the schema's order: it goes before the first of them.
var sheetAfterHeaderFooter = []string{"<rowBreaks", "<colBreaks", "<customProperties", "<cellWatches", "<ignoredErrors",
	"<smartTags", "<drawing", "<legacyDrawing", "<legacyDrawingHF", "<picture", "<oleObjects", "<controls",
	"<webPublishItems", "<tableParts", "<extLst", "</worksheet>"}

func stampSheets(parts map[string][]byte, text string) {
	// In header codes & starts a code: a literal one is &&.
	t := esc(strings.ReplaceAll(text, "&", "&&"))
	hf := "<headerFooter><oddHeader>&amp;L" + t + "</oddHeader><oddFooter>&amp;L" + t + "&amp;R&amp;P / &amp;N</oddFooter></headerFooter>"
	for name, b := range parts {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") || bytes.Contains(b, []byte("<headerFooter")) {
			continue
		}
		s := string(b)
		at := len(s)
		for _, tag := range sheetAfterHeaderFooter {
			if i := strings.Index(s, tag); i >= 0 && i < at {
				at = i
			}
		}
		parts[name] = []byte(s[:at] + hf + s[at:])
	}
}

const (
	headerPart = "word/header_watermark.xml"
	headerRel  = `<Relationship Id="rIdWatermark" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header_watermark.xml"/>`
	docRels    = "word/_rels/document.xml.rels"
)

// stampDocument adds a page header part holding text, relates it to the
// document and names it in every section.
func stampDocument(parts map[string][]byte, names []string, text string) []string {
	doc, ok := parts["word/document.xml"]
	if !ok {
		return names
	}
	parts[headerPart] = []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="right"/></w:pPr>` +
		`<w:r><w:rPr><w:color w:val="A0A0A0"/><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p></w:hdr>`)
	names = append(names, headerPart)
	if rels, ok := parts[docRels]; ok {
		parts[docRels] = bytes.Replace(rels, []byte("</Relationships>"), []byte(headerRel+"</Relationships>"), 1)
	} else {
		parts[docRels] = []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + headerRel + `</Relationships>`)
		names = append(names, docRels)
	}
	ct := parts["[Content_Types].xml"]
	parts["[Content_Types].xml"] = bytes.Replace(ct, []byte("</Types>"),
		[]byte(`<Override PartName="/`+headerPart+`" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>`), 1)
	s := string(doc)
	root := s
	if i := strings.Index(s, "<w:document"); i >= 0 {
		root = s[i : i+strings.Index(s[i:], ">")]
	}
	if !strings.Contains(root, "xmlns:r=") {
		s = strings.Replace(s, "<w:document ", `<w:document xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" `, 1)
	}
	s = strings.ReplaceAll(s, "<w:sectPr>", `<w:sectPr><w:headerReference w:type="default" r:id="rIdWatermark"/>`)
	parts["word/document.xml"] = []byte(s)
	return names
}

// stampedBytes applies the request's watermark to a generated file.
func stampedBytes(w http.ResponseWriter, data []byte, mediaType string) ([]byte, error) {
	out, err := Watermark(data, mediaType, watermarkOf(w))
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	return out, nil
}
