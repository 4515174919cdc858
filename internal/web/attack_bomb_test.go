package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/tabular"
)

// sharedStringsBomb is a real XLSX of a few hundred kilobytes whose shared
// strings unpack to sstMB megabytes (one long string, highly compressible),
// every cell of its rows pointing at it.
func sharedStringsBomb(t *testing.T, sstMB int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	put("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r := 1; r <= 2000; r++ {
		fmt.Fprintf(&sheet, `<row r="%d">`, r)
		for c := 0; c < 20; c++ {
			fmt.Fprintf(&sheet, `<c r="%c%d" t="s"><v>0</v></c>`, 'A'+c, r)
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	put("xl/worksheets/sheet1.xml", sheet.String())
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(`<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`))
	chunk := bytes.Repeat([]byte("炸"), 1<<20/3)
	for i := 0; i < sstMB; i++ {
		_, _ = w.Write(chunk)
	}
	_, _ = w.Write([]byte(`</t></si></sst>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Every import refuses a shared-strings bomb before unpacking it (413
// naming the file), and stops a table at its row bound.
func TestImportBombs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		bomb := sharedStringsBomb(t, 300)
		if len(bomb) > 2<<20 {
			t.Fatalf("the bomb is %d bytes: not a bomb", len(bomb))
		}
		for _, tc := range []struct{ user, path string }{
			{"dz_staff", "/api/v1/projects/import?dry_run=1"},
			{"zsb_staff", "/api/v1/enterprises/import?dry_run=1"},
			{"zsb_staff", "/api/v1/targets/import?year=2026"},
		} {
			st, b := h.as(tc.user).do("POST", tc.path, upload{filename: "bomb.xlsx", data: bomb})
			var e errBody
			_ = json.Unmarshal(b, &e)
			if st != 413 || e.Error.Fields["file"] == "" {
				t.Errorf("%s: %d %s, want 413 naming the file", tc.path, st, b)
			}
		}
		// The background job refuses it too, with the reason.
		_, err := h.app.Enterprise.Import(context.Background(), h.actorOf("zsb_staff"), bytes.NewReader(bomb), "bomb.xlsx", false, nil)
		if !errs.Is(err, errs.TooLarge) {
			t.Errorf("enterprise import of the bomb: %v", err)
		}

		// Rows past the bound: refused, not millions of row errors.
		var many strings.Builder
		many.WriteString("项目名称,投资方,招商方式\n")
		for i := 0; i <= tabular.LedgerLimits.Rows; i++ {
			many.WriteString("x\n")
		}
		st, b := h.as("dz_staff").do("POST", "/api/v1/projects/import?dry_run=1", upload{filename: "many.csv", data: []byte(many.String())})
		if st != 413 {
			t.Errorf("ledger of %d rows: %d %.200s", tabular.LedgerLimits.Rows+1, st, b)
		}
	})
}

// A ledger with more bad rows than the JSON shows answers the first ones,
// their exact count, and the full list as the error file.
func TestLedgerErrorListCapped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var f strings.Builder
		f.WriteString("项目名称,投资方,招商方式\n")
		bad := tabular.MaxErrorsShown + 500
		for i := 0; i < bad; i++ {
			fmt.Fprintf(&f, "项目%d,,以商引商\n", i) // no investor: one error per row at least
		}
		dz := h.as("dz_staff")
		st, b := dz.do("POST", "/api/v1/projects/import?dry_run=1", upload{filename: "bad.csv", data: []byte(f.String())})
		var res struct {
			Errors          []json.RawMessage `json:"errors"`
			ErrorsTotal     int               `json:"errors_total"`
			ErrorsTruncated bool              `json:"errors_truncated"`
		}
		mustJSON(t, b, &res)
		if st != 200 || len(res.Errors) != tabular.MaxErrorsShown || !res.ErrorsTruncated || res.ErrorsTotal < bad {
			t.Fatalf("capped answer: %d, %d errors, total %d, truncated %v", st, len(res.Errors), res.ErrorsTotal, res.ErrorsTruncated)
		}
		st, b = dz.do("POST", "/api/v1/projects/import?errors=csv", upload{filename: "bad.csv", data: []byte(f.String())})
		lines := strings.Count(string(b), "\n")
		if st != 200 || lines != res.ErrorsTotal+1 || !strings.HasPrefix(string(b), "\xef\xbb\xbf行号,列,问题,Problem") {
			t.Errorf("error file: %d, %d lines for %d errors", st, lines, res.ErrorsTotal)
		}
		if n := countRows(h, "projects"); n != 0 {
			t.Errorf("the error file wrote %d projects", n)
		}
	})
}
