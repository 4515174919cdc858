package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

type importResult struct {
	Rows, Valid, Imported int
	Errors                []struct {
		Row     int
		Column  string
		Message string
	}
}

const ledgerHeader = "项目名称*,投资方*,统一社会信用代码,合同投资额（万元）,招商方式*,落户地,引进单位及分成,阶段,线索日期,签约日期,状态\n"

func importCSV(t *testing.T, c *client, csv string, query string) (int, importResult, []byte) {
	t.Helper()
	st, b := c.do("POST", "/api/v1/projects/import?"+query, upload{kind: "", filename: "台账.csv", data: []byte(csv)})
	var r importResult
	_ = json.Unmarshal(b, &r)
	return st, r, b
}

// TestLedgerImport: errors name row and column; all-or-nothing writes
// nothing when a row is bad; valid-only writes the good rows; duplicates
// within the file and against the database are caught.
func TestLedgerImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("zsb_staff")
		csv := ledgerHeader +
			"肇庆储能电池基地,宁德时代新能源科技股份有限公司,91350900587527783P,1200000,以商引商,端州区,新能源汽车组:60;端州区:40,签约,2025-01-05,2025-03-01,正常\n" +
			"高要铝型材深加工,兴发铝业,,30000.5,小分队招商,高要区,,线索,2025/2/1,,\n" +
			"错误行一,某公司,91440300192317458E,abc,不存在的方式,火星,,签约,2025-01-01,,正常\n" +
			"肇庆储能电池基地项目,宁德时代新能源科技股份有限公司,,500,以商引商,端州区,,线索,2025-04-01,,\n"
		st, r, b := importCSV(t, c, csv, "dry_run=1&mode=all_or_nothing")
		if st != 200 || r.Rows != 4 || r.Valid != 2 || r.Imported != 0 {
			t.Fatalf("preview: %d %s", st, b)
		}
		cols := map[string]bool{}
		for _, e := range r.Errors {
			cols[fmt.Sprintf("%d:%s", e.Row, e.Column)] = true
		}
		for _, want := range []string{"4:统一社会信用代码", "4:合同投资额（万元）", "4:招商方式", "4:落户地", "4:签约日期", "5:项目名称"} { // row 5 repeats row 2
			if !cols[want] {
				t.Errorf("missing error %s in %v", want, cols)
			}
		}
		// All or nothing: a bad row stops everything.
		_, r, _ = importCSV(t, c, csv, "mode=all_or_nothing")
		var list struct{ Total int }
		c.get("/api/v1/projects", &list)
		if r.Imported != 0 || list.Total != 0 {
			t.Fatalf("all-or-nothing wrote %d (list %d)", r.Imported, list.Total)
		}
		// Valid rows only.
		_, r, b = importCSV(t, c, csv, "mode=valid_only")
		c.get("/api/v1/projects", &list)
		if r.Imported != 2 || list.Total != 2 {
			t.Fatalf("valid-only: %s (list %d)", b, list.Total)
		}
		var got struct {
			Items []struct {
				Name               string
				Stage              string
				SignedOn           string      `json:"signed_on"`
				ContractInvestment json.Number `json:"contract_investment"`
				Introducers        []struct {
					UnitName string `json:"unit_name"`
					Share    json.Number
				}
				Code string
			}
		}
		c.get("/api/v1/projects?sort=name", &got)
		p := got.Items[0] // 肇 (U+8087) sorts before 高 (U+9AD8)
		if got.Items[1].ContractInvestment.String() != "30000.50" || p.SignedOn != "2025-03-01" || p.Stage != "signed" ||
			!strings.HasPrefix(p.Code, "XM-2025-") || len(p.Introducers) != 2 || p.Introducers[0].Share.String() != "60.00" {
			t.Fatalf("imported rows: %+v", got.Items)
		}
		// Importing the same file again: every good row is now a duplicate.
		_, r, _ = importCSV(t, c, csv, "mode=valid_only")
		if r.Imported != 0 || r.Valid != 0 {
			t.Fatalf("re-import: %+v", r)
		}
		// The import is audited.
		var au struct{ Total int }
		h.as("auditadmin").get("/api/v1/audit?action=project.import", &au)
		if au.Total != 1 {
			t.Fatalf("audit entries: %d", au.Total)
		}
	})
}

func TestLedgerFormats(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("dz_staff")
		// GBK-encoded CSV, as Excel saves it on Chinese Windows.
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(ledgerHeader + "端州电子元件项目,风华高新科技股份有限公司,,8000,网络招商,端州区,,线索,2025-06-01,,\n")
		if err != nil {
			t.Fatal(err)
		}
		if _, r, b := importCSV(t, c, gbk, "mode=all_or_nothing"); r.Imported != 1 {
			t.Fatalf("GBK CSV: %s", b)
		}
		// The template, filled in, imports: Excel dates arrive as serial numbers.
		st, tpl := c.do("GET", "/api/v1/projects/import/template", nil)
		if st != 200 {
			t.Fatalf("template: %d", st)
		}
		f, err := excelize.OpenReader(bytes.NewReader(tpl))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		_ = f.SetCellValue(sheet, "U2", 45662) // 线索日期 as an Excel date: 2025-01-05
		_ = f.SetCellValue(sheet, "W2", "2025年3月1日")
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		st, b := c.do("POST", "/api/v1/projects/import?mode=all_or_nothing", upload{filename: "模板.xlsx", data: buf.Bytes()})
		var r importResult
		_ = json.Unmarshal(b, &r)
		if st != 200 || r.Imported != 1 {
			t.Fatalf("template import: %d %s", st, b)
		}
		var got struct {
			Items []struct {
				LeadOn   string `json:"lead_on"`
				SignedOn string `json:"signed_on"`
				Name     string
			}
		}
		c.get("/api/v1/projects?q=宁德", &got)
		if len(got.Items) != 1 || got.Items[0].LeadOn != "2025-01-05" || got.Items[0].SignedOn != "2025-03-01" {
			t.Fatalf("dates from the template: %+v", got.Items)
		}
		// A missing required column is reported on row 1.
		_, r, _ = importCSV(t, c, "项目名称,投资方\nx,y\n", "")
		if len(r.Errors) != 1 || r.Errors[0].Row != 1 || r.Errors[0].Column != "招商方式" {
			t.Fatalf("missing column: %+v", r.Errors)
		}
		// Not a spreadsheet.
		if st, _ := c.do("POST", "/api/v1/projects/import", upload{filename: "x.txt", data: []byte("hi")}); st != 400 {
			t.Fatalf("txt: %d", st)
		}
	})
}
