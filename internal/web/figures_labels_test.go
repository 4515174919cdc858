package web_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestExportsSpeakTheReadersLanguage: the ledger export writes stages,
// statuses, channels and source regions as words in the reader's language,
// and an import error names the stage in words.
func TestExportsSpeakTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		p := h.freshProject("zsb_staff", "441202")
		h.exec(t, `UPDATE projects SET status = 'on_hold', source_region = 'other', channel = 'office_away' WHERE id = ?`, p.ID)
		for lang, want := range map[string][]string{
			"zh-CN": {"线索", "暂缓", "驻外机构招商", "其他"},
			"en":    {"lead", "on hold", "Office away", "Other"},
		} {
			c := h.as("zsb_staff")
			c.lang = lang
			st, b := c.do("GET", "/api/v1/projects/export", nil)
			if st != 200 {
				t.Fatalf("export %s: %d", lang, st)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(f.GetSheetName(0))
			if len(rows) != 2 || len(rows[1]) < 14 {
				t.Fatalf("%s rows: %v", lang, rows)
			}
			got := []string{rows[1][5], rows[1][6], rows[1][12], rows[1][13]}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%s: stage/status/channel/region %v, want %v", lang, got, want)
					break
				}
			}
		}
		c := h.as("zsb_staff")
		c.lang = ""
		_, r, b := importCSV(t, c, ledgerHeader+"测试签约项目,某某公司,,1000,小分队招商,端州区,,签约,2025-01-05,,正常\n", "dry_run=1")
		found := false
		for _, e := range r.Errors {
			found = found || (e.Column == "签约日期" && e.Message == "阶段为「签约」时须填写此日期")
		}
		if !found {
			t.Errorf("import error: %s", b)
		}
	})
}
