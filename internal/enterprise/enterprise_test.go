package enterprise_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

var all = &org.Actor{Username: "test", Scope: org.ScopeAll, Perms: map[string]bool{}}

func newApp(t *testing.T, d *db.DB) *app.App {
	t.Helper()
	a := app.New(d, app.Config{Auth: auth.Defaults()})
	ctx := context.Background()
	if _, err := a.Org.Bootstrap(ctx, "Admin-pass-2026", demo.Since); err != nil {
		t.Fatal(err)
	}
	if err := a.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 2, 10, 4, 0, 0, 0, time.UTC) }
	a.Enterprise.Now, a.Project.Now = now, now
	return a
}

func importRows(t *testing.T, a *app.App, rows []synth.Row) enterprise.ImportResult {
	t.Helper()
	var b bytes.Buffer
	if err := synth.WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	res, err := a.Enterprise.Import(context.Background(), all, &b, "e.csv", false, nil)
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, res.Errors)
	}
	return res
}

// scan is the plain substring scan the index must agree with.
func scan(t *testing.T, d *db.DB, q, industry string) (int, []int64) {
	t.Helper()
	like := "LIKE"
	if d.Dialect == db.Postgres {
		like = "ILIKE"
	}
	pat := "%" + q + "%"
	where := `archived = ? AND (name ` + like + ` ? OR former_names ` + like + ` ?)`
	args := []any{false, pat, pat}
	if industry != "" {
		where += ` AND industry_code LIKE ?`
		args = append(args, industry+"%")
	}
	var n int
	if err := d.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM enterprises WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Reader().QueryContext(context.Background(), `SELECT id FROM enterprises WHERE `+where+` ORDER BY registered_capital DESC, id LIMIT 20`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return n, ids
}

// The index answers exactly what a substring scan answers, for random two-
// and three-character pieces of real names (common and rare), with and
// without a filter, before and after edits.
func TestSearchAgreesWithScan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		ctx := context.Background()
		rows := synth.Rows(7, 6000)
		res := importRows(t, a, rows)
		if res.Inserted != 6000 || res.Failed != 0 {
			t.Fatalf("import: %+v", res)
		}
		r := rand.New(rand.NewPCG(1, 2))
		// A second server on the same database, which learns of every write
		// only through the table.
		other := app.New(d, app.Config{Auth: auth.Defaults()})
		searcher := a.Enterprise
		check := func(round string) {
			for i := 0; i < 150; i++ {
				name := []rune(rows[r.IntN(len(rows))].Name)
				n := 2 + r.IntN(3)
				at := r.IntN(len(name) - n + 1)
				q := string(name[at : at+n])
				industry := ""
				if i%2 == 0 {
					industry = synth.Trades[r.IntN(len(synth.Trades))].Industry[:2]
				}
				items, total, err := searcher.Search(ctx, enterprise.Query{Q: q, Industry: industry, Limit: 20})
				if err != nil {
					t.Fatal(err)
				}
				want, wantIDs := scan(t, d, q, industry)
				if total != want {
					t.Fatalf("%s: %q industry %q: index %d, scan %d", round, q, industry, total, want)
				}
				for k, e := range items {
					if e.ID != wantIDs[k] {
						t.Fatalf("%s: %q: row %d is %d, scan says %d", round, q, k, e.ID, wantIDs[k])
					}
				}
			}
		}
		check("after import")
		// Rename some and archive some: the index follows the table.
		for i := 0; i < 30; i++ {
			e, err := a.Enterprise.Get(ctx, int64(1+r.IntN(6000)))
			if err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 {
				if _, err := a.Enterprise.Archive(ctx, all, e.ID, true, e.Version); err != nil {
					t.Fatal(err)
				}
				continue
			}
			in := enterprise.Input{CreditCode: e.CreditCode, Name: "肇庆新名" + e.Name[len("x"):], IndustryCode: e.IndustryCode,
				RegionCode: e.RegionCode, RegisteredCapital: e.RegisteredCapital, Tags: e.Tags, Status: e.Status, Version: e.Version}
			in.Name = strings.ToValidUTF8(in.Name, "")
			if _, err := a.Enterprise.Update(ctx, all, e.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		check("after edits")
		searcher = other.Enterprise
		check("on the other server")
		searcher = a.Enterprise
		// A second large import rebuilds the index from the first's rows and
		// its own, updating some known ones on the way.
		more := synth.Rows(8, 4000)
		for i := range more {
			if i%10 == 0 {
				more[i].CreditCode = rows[i].CreditCode // known: updated
				more[i].Name = "肇庆二次导入" + more[i].Name
			}
		}
		res = importRows(t, a, more)
		// Codes repeat across seeds where row number and division agree, so
		// more than the 400 renamed rows are known.
		if res.Inserted+res.Updated != 4000 || res.Updated < 400 {
			t.Fatalf("second import: %d new, %d updated", res.Inserted, res.Updated)
		}
		rows = append(rows, more...)
		check("after a second import")
		searcher = other.Enterprise // more than a quarter changed: it rebuilds from what it held
		check("after a second import, on the other server")
		searcher = a.Enterprise
		checkLinks(t, a, d, r)
		// A former name is found too.
		e, _ := a.Enterprise.Get(ctx, 2)
		if e.Archived {
			e, _ = a.Enterprise.Get(ctx, 3)
		}
		in := enterprise.Input{CreditCode: e.CreditCode, Name: "端砚文化传播有限公司", Status: e.Status, Version: e.Version}
		if _, err := a.Enterprise.Update(ctx, all, e.ID, in); err != nil {
			t.Fatal(err)
		}
		items, total, _ := a.Enterprise.Search(ctx, enterprise.Query{Q: []string{string([]rune(e.Name)[:4])}[0], Limit: 200})
		found := false
		for _, it := range items {
			found = found || it.ID == e.ID
		}
		if !found {
			t.Fatalf("former name %q not found among %d", e.Name, total)
		}
	})
}

// Bad rows are reported by row and column; good rows land; a second import
// of the same codes updates instead of duplicating.
func TestImportReportsBadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		ctx := context.Background()
		rows := synth.Rows(3, 5)
		rows[1].CreditCode = rows[1].CreditCode[:17] + "0"
		if rows[1].CreditCode == synth.Rows(3, 5)[1].CreditCode {
			rows[1].CreditCode = rows[1].CreditCode[:17] + "1"
		}
		rows[3].Industry = "9999"
		rows[4].Capital = "12.345"
		var b bytes.Buffer
		synth.WriteCSV(&b, rows)
		res, err := a.Enterprise.Import(ctx, all, &b, "bad.csv", false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 5 || res.Valid != 2 || res.Failed != 3 || res.Inserted != 2 {
			t.Fatalf("result %+v", res)
		}
		got := fmt.Sprint(res.Errors[0].Row, res.Errors[0].Column, res.Errors[1].Row, res.Errors[1].Column, res.Errors[2].Row, res.Errors[2].Column)
		if got != "3统一社会信用代码5行业代码6注册资本（万元）" {
			t.Fatalf("errors %s: %+v", got, res.Errors)
		}
		// Re-import with a new name: updated, old name kept as former.
		good := synth.Rows(3, 1)
		old := good[0].Name
		good[0].Name = "肇庆更名后有限公司"
		good[0].Capital = ""
		res = importRows(t, a, good)
		if res.Inserted != 0 || res.Updated != 1 {
			t.Fatalf("second import %+v", res)
		}
		items, total, err := a.Enterprise.Search(ctx, enterprise.Query{Q: "更名后", Limit: 5})
		if err != nil || total != 1 {
			t.Fatalf("search after rename: %d %v", total, err)
		}
		if items[0].FormerNames[0] != old || items[0].RegisteredCapital == 0 {
			t.Fatalf("rename kept %+v / capital %v", items[0].FormerNames, items[0].RegisteredCapital)
		}
		// A whole credit code finds its enterprise; a filter it fails hides it.
		byCode, n, err := a.Enterprise.Search(ctx, enterprise.Query{Q: strings.ToLower(good[0].CreditCode), Limit: 5})
		if err != nil || n != 1 || byCode[0].ID != items[0].ID {
			t.Fatalf("by credit code: %d %v", n, err)
		}
		if _, n, _ := a.Enterprise.Search(ctx, enterprise.Query{Q: good[0].CreditCode, Industry: "A", Limit: 5}); n != 0 {
			t.Fatalf("by credit code with a filter it fails: %d", n)
		}
	})
}

// The browser test's fixture: rows 3 and 5 are refused, naming the column.
func TestImportFixtureXLSX(t *testing.T) {
	d := dbtest.SQLite(t)
	a := newApp(t, d)
	f, err := os.Open("../../web/e2e/fixtures/enterprises-two-bad.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := a.Enterprise.Import(context.Background(), all, f, "enterprises-two-bad.xlsx", true, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(len(res.Errors), res.Errors[0].Row, res.Errors[0].Column, res.Errors[1].Row, res.Errors[1].Column, res.Valid)
	if got != "2 3统一社会信用代码5行业代码3" {
		t.Fatalf("fixture: %s %+v", got, res.Errors)
	}
}

func TestRecordAmountsInWan(t *testing.T) {
	rev := int64(250)
	b, err := json.Marshal(enterprise.Record{Name: "x", Capital: 123456, Revenue: &rev})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"registered_capital":1234.56`) || !strings.Contains(s, `"revenue":2.5`) || strings.Count(s, "registered_capital") != 1 {
		t.Fatalf("record JSON %s", s)
	}
	// A job's stored result reads back the same.
	var back enterprise.Record
	if err := json.Unmarshal(b, &back); err != nil || back.Capital != 123456 || *back.Revenue != 250 || back.Name != "x" {
		t.Fatalf("read back %+v: %v", back, err)
	}
}

// checkLinks compares the chain map's link counts with a count row by row.
func checkLinks(t *testing.T, a *app.App, d *db.DB, r *rand.Rand) {
	t.Helper()
	type row struct {
		text, industry string
		target         bool
	}
	var all []row
	rs, err := d.Reader().QueryContext(context.Background(), `SELECT name, former_names, industry_code, is_target FROM enterprises WHERE archived = ?`, false)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var name, former string
		var x row
		rs.Scan(&name, &former, &x.industry, &x.target)
		x.text = name + "\x00" + former
		all = append(all, x)
	}
	rs.Close()
	var links []enterprise.LinkSpec
	for i := 0; i < 40; i++ {
		var l enterprise.LinkSpec
		for k := r.IntN(3); k > 0; k-- {
			l.Codes = append(l.Codes, synth.Trades[r.IntN(len(synth.Trades))].Industry[:2+r.IntN(3)])
		}
		for k := r.IntN(3); k > 0; k-- {
			tr := synth.Trades[r.IntN(len(synth.Trades))]
			l.Keywords = append(l.Keywords, tr.Words[r.IntN(len(tr.Words))])
		}
		links = append(links, l)
	}
	got, err := a.Enterprise.CountLinks(context.Background(), links)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range links {
		var want enterprise.LinkCount
		for _, x := range all {
			fit := false
			for _, c := range l.Codes {
				fit = fit || strings.HasPrefix(x.industry, c)
			}
			for _, k := range l.Keywords {
				fit = fit || strings.Contains(x.text, k)
			}
			if fit && x.target {
				want.Target++
			} else if fit {
				want.Local++
			}
		}
		if got[i] != want {
			t.Errorf("link %+v: index %+v, rows %+v", l, got[i], want)
		}
	}
}
