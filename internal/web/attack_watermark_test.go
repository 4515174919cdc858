package web_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// An export names who took it and when in every sheet's header and footer.
func TestExportWatermarked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		st, b := h.as("dz_staff").do("GET", "/api/v1/projects/export", nil)
		if st != 200 {
			t.Fatalf("export: %d %s", st, b)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		hf, err := f.GetHeaderFooter(f.GetSheetList()[0])
		if err != nil || hf == nil {
			t.Fatalf("no header/footer: %v", err)
		}
		var name string
		_ = d.Reader().QueryRowContext(context.Background(), `SELECT display_name FROM users WHERE username = 'dz_staff'`).Scan(&name)
		want := "&L" + name + " (dz_staff) 20"
		if !strings.HasPrefix(hf.OddHeader, want) || !strings.HasPrefix(hf.OddFooter, want) {
			t.Errorf("header %q footer %q, want them to start %q", hf.OddHeader, hf.OddFooter, want)
		}
	})
}

// A ledger CSV with a NUL in one row: that row is named (row and column),
// the file is not a 500, the other rows are valid — on both engines.
func TestLedgerCSVWithNUL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		csv := ledgerHeader +
			"端州NUL测试甲项目,甲投资有限公司,,1000,网络招商,端州区,,线索,2025-06-01,,\n" +
			"端州NUL测试乙\x00项目,乙投资有限公司,,1000,网络招商,端州区,,线索,2025-06-01,,\n" +
			"端州NUL测试丙项目,丙投资有限\x00公司,,1000,网络招商,端州区,,线索,2025-06-01,,\n"
		st, r, b := importCSV(t, h.as("zsb_staff"), csv, "dry_run=1")
		if st != 200 || r.Rows != 3 || r.Valid != 1 {
			t.Fatalf("preview: %d %s", st, b)
		}
		got := map[string]bool{}
		for _, e := range r.Errors {
			got[fmt.Sprintf("%d:%s", e.Row, e.Column)] = true
			if e.Row != 3 && e.Row != 4 {
				t.Errorf("an error on a good row: %+v", e)
			}
		}
		if !got["3:项目名称"] || !got["4:投资方"] {
			t.Errorf("errors name %v, want 3:项目名称 and 4:投资方", got)
		}
	})
}
