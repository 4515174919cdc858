package report

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

type stamped struct {
	*httptest.ResponseRecorder
	text string
}

func (s stamped) WatermarkText() string { return s.text }

func part(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

const mark = "张三 (zhang&san) 2026-12-02 10:15"

// Every way out (a workbook built in memory, a streamed one, a document)
// carries the user and time; Excel reads the header back.
func TestExportsWatermarked(t *testing.T) {
	for _, stream := range []bool{false, true} {
		w := stamped{httptest.NewRecorder(), mark}
		var err error
		if stream {
			err = StreamXLSX(w, "x.xlsx", "项目", []string{"名称"}, func(add func([]any) error) error { return add([]any{"甲"}) })
		} else {
			err = ServeXLSX(w, "x.xlsx", Table{Sheet: "项目", Headers: []string{"名称"}, Rows: [][]any{{"甲"}}})
		}
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		hf, err := f.GetHeaderFooter("项目")
		if err != nil {
			t.Fatal(err)
		}
		want := "&L张三 (zhang&&san) 2026-12-02 10:15"
		if hf == nil || hf.OddHeader != want || !strings.HasPrefix(hf.OddFooter, want) {
			t.Errorf("stream %v: header/footer %+v, want %q", stream, hf, want)
		}
		if v, _ := f.GetCellValue("项目", "A2"); v != "甲" {
			t.Errorf("stream %v: A2 = %q", stream, v)
		}
	}
	d := &Doc{}
	d.Title("报告")
	w := stamped{httptest.NewRecorder(), mark}
	if err := ServeDOCX(w, "x.docx", d); err != nil {
		t.Fatal(err)
	}
	data := w.Body.Bytes()
	if h := part(t, data, "word/header_watermark.xml"); !strings.Contains(h, "张三 (zhang&amp;san) 2026-12-02 10:15") {
		t.Errorf("docx header: %s", h)
	}
	if doc := part(t, data, "word/document.xml"); !strings.Contains(doc, `<w:headerReference w:type="default" r:id="rIdWatermark"/>`) {
		t.Errorf("docx section has no header reference: %s", doc)
	}
	if ct := part(t, data, "[Content_Types].xml"); !strings.Contains(ct, "/word/header_watermark.xml") {
		t.Errorf("content types: %s", ct)
	}
	// Without a stamping writer (a stored record, a tool) nothing changes.
	plain := httptest.NewRecorder()
	if err := ServeDOCX(plain, "x.docx", d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.Body.String(), "header_watermark") {
		t.Error("unstamped download was watermarked")
	}
	var _ http.ResponseWriter = w
}
