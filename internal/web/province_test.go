package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/province"
)

func init() {
	matrix["GET /api/v1/reports/province"] = access{allowed: projectReaders, prep: path("/api/v1/reports/province?format=csv&from=2026-01-01")}
}

// TestProvinceReport: the signed projects of the period, in the caller's
// scope, one row each in the documented columns, the same in CSV and XLSX;
// a lead and a project signed outside the period are not in it.
func TestProvinceReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		signed, lead, early := h.freshProject("dz_staff", "441202"), h.freshProject("dz_staff", "441202"), h.freshProject("dz_staff", "441202")
		for id, on := range map[int64]string{signed.ID: "2026-03-05", early.ID: "2025-11-30"} {
			// The stage set directly: the report reads the table (signing's own rules are tested with the transitions).
			if _, err := d.W.ExecContext(ctx, d.Rebind(`UPDATE projects SET stage = 'signed', signed_on = ?, is_key = TRUE WHERE id = ?`), on, id); err != nil {
				t.Fatal(err)
			}
		}
		_ = lead
		st, b := h.as("zsb_staff").do("GET", "/api/v1/reports/province?format=csv&from=2026-01-01&to=2026-06-30", nil)
		if st != 200 || !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Fatalf("csv: %d %.200s", st, b)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(province.Columns, ",") {
			t.Fatalf("want the header and one row, got %d rows: %v", len(rows), rows)
		}
		want := map[string]string{"序号": "1", "项目编号": signed.Code, "项目名称": signed.Name, "投资方": signed.InvestorName, "合同投资额（万元）": "50000",
			"落户县（市、区）": "端州区", "项目阶段": "签约", "签约日期": "2026-03-05", "是否重点项目": "是", "落户日期": ""}
		col := map[string]int{}
		for i, c := range rows[0] {
			col[c] = i
		}
		for name, v := range want {
			if got := rows[1][col[name]]; got != v {
				t.Errorf("csv %s = %q, want %q", name, got, v)
			}
		}
		st, b = h.as("zsb_staff").do("GET", "/api/v1/reports/province?from=2026-01-01&to=2026-06-30", nil)
		if st != 200 {
			t.Fatalf("xlsx: %d", st)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		xr, _ := x.GetRows("项目报送")
		if len(xr) != 2 || xr[1][col["项目名称"]] != signed.Name || xr[1][col["合同投资额（万元）"]] != "50000" || xr[1][col["签约日期"]] != "2026-03-05" {
			t.Fatalf("xlsx rows %v", xr)
		}
		if st, b := h.as("wg_nev").do("GET", "/api/v1/reports/province?format=csv&from=2026-01-01&to=2026-06-30", nil); st != 200 || strings.Count(string(b), "\n") != 1 {
			t.Fatalf("outside the scope: %d %s", st, b)
		}
		for _, q := range []string{"format=pdf", "from=2026-13-01", "from=2026-06-01&to=2026-01-01"} {
			if st, _ := h.as("zsb_staff").do("GET", "/api/v1/reports/province?"+q, nil); st != 400 {
				t.Errorf("%s: %d, want 400", q, st)
			}
		}
	})
}
