package web_test

import (
	"bytes"
	"context"
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
