package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

type projectBody struct {
	ID             int64
	Stage          string
	Status         string
	Version        int
	SignedOn       string `json:"signed_on"`
	Warnings       []struct{ Rule string }
	Handover       struct{ Status string }
	LocalityUnitID *int64 `json:"locality_unit_id"`
}

func decodeProject(t *testing.T, b []byte) projectBody {
	t.Helper()
	var p projectBody
	mustJSON(t, b, &p)
	return p
}

// TestStageRules walks a project from lead to production through HTTP,
// checking each rule on the way: one stage at a time, dates in order and
// not in the future, the evidence each step needs, back with a reason,
// hold and resume.
func TestStageRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("dz_staff")
		st, b := c.do("POST", "/api/v1/projects", map[string]any{"name": "宁德时代肇庆储能电池基地", "investor_name": "宁德时代新能源科技股份有限公司",
			"investor_uscc": "91350900587527783P", "channel": "business_referral", "lead_on": "2025-01-05", "industry_code": "3841"})
		if st != 201 {
			t.Fatalf("create: %d %s", st, b)
		}
		p := decodeProject(t, b)
		base := fmt.Sprintf("/api/v1/projects/%d", p.ID)
		move := func(body map[string]any, want int, why string) {
			t.Helper()
			body["version"] = p.Version
			st, b := c.do("POST", base+"/transitions", body)
			if st != want {
				t.Fatalf("%s: got %d want %d: %s", why, st, want, b)
			}
			if st == 200 {
				p = decodeProject(t, b)
			}
		}
		move(map[string]any{"action": "signed", "on": "2025-02-01"}, 422, "skipping a stage")
		move(map[string]any{"action": "negotiating", "on": "2024-12-31"}, 400, "before the lead date")
		move(map[string]any{"action": "negotiating", "on": "2999-01-01"}, 400, "in the future")
		move(map[string]any{"action": "negotiating", "on": "2025-01-05"}, 200, "same day as the lead")
		move(map[string]any{"action": "signed", "on": "2025-03-01"}, 422, "signing without locality and amount")
		var full struct {
			Name, InvestorName, InvestorUSCC, Channel string
			Version                                   int
		}
		h.as("dz_staff").get(base, &full)
		st, b = c.do("PUT", base, map[string]any{"name": "宁德时代肇庆储能电池基地", "investor_name": "宁德时代新能源科技股份有限公司",
			"investor_uscc": "91350900587527783P", "channel": "business_referral", "contract_investment": 1200000, "locality_unit_id": h.unitID("441202"),
			"introducers": []map[string]any{{"unit_id": h.unitID("441202"), "share": 60}, {"unit_id": h.unitID("WG-NEV"), "share": 40}}, "version": p.Version})
		if st != 200 {
			t.Fatalf("update: %d %s", st, b)
		}
		p = decodeProject(t, b)
		move(map[string]any{"action": "signed", "on": "2025-03-01"}, 422, "signing without an approved screening")
		h.approvedScreening(p.ID)
		move(map[string]any{"action": "signed", "on": "2025-03-01"}, 400, "signing without the agreement")
		st, b = c.do("POST", base+"/attachments", upload{kind: "photo", filename: "现场.pdf", data: pdf})
		if st != 201 {
			t.Fatalf("upload: %d %s", st, b)
		}
		var photo struct{ ID int64 }
		mustJSON(t, b, &photo)
		move(map[string]any{"action": "signed", "on": "2025-03-01", "attachment_id": photo.ID}, 400, "signing with a photo instead of the agreement")
		_, b = c.do("POST", base+"/attachments", upload{kind: "agreement", filename: "投资协议.pdf", data: pdf})
		var agreement struct{ ID int64 }
		mustJSON(t, b, &agreement)
		move(map[string]any{"action": "signed", "on": "2025-03-01", "attachment_id": agreement.ID}, 200, "signing")
		if p.SignedOn != "2025-03-01" || p.Stage != "signed" {
			t.Fatalf("signed: %+v", p)
		}
		move(map[string]any{"action": "back", "on": "2025-03-02"}, 400, "back without reason")
		move(map[string]any{"action": "back", "on": "2025-03-02", "reason": "协议需重签"}, 200, "back")
		if p.Stage != "negotiating" || p.SignedOn != "" {
			t.Fatalf("after back: %+v", p)
		}
		move(map[string]any{"action": "signed", "on": "2025-03-05", "attachment_id": agreement.ID}, 200, "signing again")
		move(map[string]any{"action": "hold", "on": "2025-03-06", "reason": "企业资金调整"}, 200, "hold")
		move(map[string]any{"action": "registered", "on": "2025-03-07"}, 422, "progress while on hold")
		move(map[string]any{"action": "resume", "on": "2025-04-01"}, 200, "resume")
		_, b = c.do("POST", base+"/attachments", upload{kind: "land_contract", filename: "土地出让合同.pdf", data: pdf})
		var land struct{ ID int64 }
		mustJSON(t, b, &land)
		move(map[string]any{"action": "registered", "on": "2025-04-02", "attachment_id": land.ID}, 200, "registered")
		move(map[string]any{"action": "construction", "on": "2025-05-01"}, 400, "construction without the permit number")
		move(map[string]any{"action": "construction", "on": "2025-05-01", "evidence": "441202202505010101"}, 200, "construction")
		_, b = c.do("POST", base+"/attachments", upload{kind: "production_proof", filename: "投产证明.pdf", data: pdf})
		var proof struct{ ID int64 }
		mustJSON(t, b, &proof)
		move(map[string]any{"action": "production", "on": "2025-10-01", "attachment_id": proof.ID}, 200, "production")
		move(map[string]any{"action": "production", "on": "2025-10-02"}, 422, "past the last stage")
		// A stale version answers 409 with the current record.
		st, b = c.do("POST", base+"/transitions", map[string]any{"action": "hold", "reason": "x", "version": p.Version - 1})
		if st != 409 || !strings.Contains(string(b), `"current"`) {
			t.Fatalf("stale: %d %s", st, b)
		}
		// The timeline shows each transition.
		var tl struct {
			Items []struct{ Kind, Title string }
		}
		c.get(base+"/timeline", &tl)
		n := 0
		for _, it := range tl.Items {
			if it.Kind == "transition" {
				n++
			}
		}
		if n != 9 { // negotiating, signed, back, signed, hold, resume, registered, construction, production
			t.Fatalf("timeline transitions: %d", n)
		}
	})
}

func TestAttachmentChecks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		p := h.freshProject("dz_staff", "441202")
		c := h.as("dz_staff")
		base := fmt.Sprintf("/api/v1/projects/%d/attachments", p.ID)
		for name, tc := range map[string]struct {
			u    upload
			want int
		}{
			"script renamed to pdf": {upload{"agreement", "x.pdf", []byte("<script>alert(1)</script>")}, 400},
			"pdf renamed to exe":    {upload{"agreement", "x.exe", pdf}, 400},
			"unknown kind":          {upload{"selfie", "x.pdf", pdf}, 400},
			"empty":                 {upload{"agreement", "x.pdf", nil}, 400},
			"too large":             {upload{"agreement", "x.pdf", append(append([]byte{}, pdf...), make([]byte, project.MaxAttachment)...)}, 413},
			"png":                   {upload{"photo", "工地.png", []byte("\x89PNG\r\n\x1a\n0000000000000")}, 201},
		} {
			if st, b := c.do("POST", base, tc.u); st != tc.want {
				t.Errorf("%s: %d %s", name, st, b)
			}
		}
		var list struct{ Items []struct{ ID int64 } }
		c.get(base, &list)
		if len(list.Items) != 1 {
			t.Fatalf("stored: %d", len(list.Items))
		}
		// Download: in scope 200 with the bytes, out of scope 404.
		st, b := c.do("GET", fmt.Sprintf("/api/v1/attachments/%d", list.Items[0].ID), nil)
		if st != 200 || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Fatalf("download: %d", st)
		}
		if st, _ := h.as("gy_staff").do("GET", fmt.Sprintf("/api/v1/attachments/%d", list.Items[0].ID), nil); st != 404 {
			t.Fatalf("other locality downloads: %d", st)
		}
	})
}

// TestProjectScopeAndHandover: who sees a project, and the hand-over.
func TestProjectScopeAndHandover(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz := h.freshProject("dz_staff", "441202")
		wg, err := h.app.Project.Create(context.Background(), h.actorOf("wg_nev"), project.Input{Name: "小鹏汽车零部件配套项目",
			InvestorName: "广州小鹏汽车科技有限公司", Channel: "team", ContractInvestment: 300000_00})
		if err != nil {
			t.Fatal(err)
		}
		sees := func(user string, id int64) bool {
			st, _ := h.as(user).do("GET", fmt.Sprintf("/api/v1/projects/%d", id), nil)
			return st == 200
		}
		for user, want := range map[string][2]bool{ // [sees dz's project, sees wg's project]
			"dz_staff": {true, false}, "gy_staff": {false, false}, "wg_nev": {false, true}, "leader": {true, true},
			"zsb_staff": {true, true}, "dept_staff": {false, false}, "wg_eqp": {false, false},
		} {
			if got := [2]bool{sees(user, dz.ID), sees(user, wg.ID)}; got != want {
				t.Errorf("%s sees %v want %v", user, got, want)
			}
		}
		// Hand over to 端州区: dz now sees it and may accept; gy may not decide.
		st, b := h.as("wg_nev").do("POST", fmt.Sprintf("/api/v1/projects/%d/handover", wg.ID), map[string]any{"to_unit_id": h.unitID("441202"), "version": wg.Version})
		if st != 200 {
			t.Fatalf("handover: %d %s", st, b)
		}
		p := decodeProject(t, b)
		if !sees("dz_staff", wg.ID) || sees("gy_staff", wg.ID) {
			t.Fatal("receiving locality must see the project, others not")
		}
		st, b = h.as("dz_staff").do("POST", fmt.Sprintf("/api/v1/projects/%d/handover/accept", wg.ID), map[string]any{"version": p.Version})
		if st != 200 {
			t.Fatalf("accept: %d %s", st, b)
		}
		p = decodeProject(t, b)
		if p.Handover.Status != "accepted" || p.LocalityUnitID == nil || *p.LocalityUnitID != h.unitID("441202") {
			t.Fatalf("after accept: %+v", p)
		}
		// Exact rows of the list per user.
		count := func(user string) int {
			var l struct{ Total int }
			h.as(user).get("/api/v1/projects", &l)
			return l.Total
		}
		for user, want := range map[string]int{"dz_staff": 2, "wg_nev": 1, "gy_staff": 0, "leader": 2, "dept_staff": 0} {
			if got := count(user); got != want {
				t.Errorf("%s lists %d projects, want %d", user, got, want)
			}
		}
	})
}

// TestDuplicateGuard: the same investor and a close name in another unit is
// flagged, showing only name and unit outside scope; confirming saves it.
func TestDuplicateGuard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		gy := h.unitID("441204")
		_, err := h.app.Project.Create(context.Background(), h.actorOf("gy_staff"), project.Input{Name: "比亚迪新能源汽车零部件项目",
			InvestorName: "比亚迪股份有限公司", InvestorUSCC: "91440300192317458F", Channel: "team", LocalityUnitID: &gy})
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]any{"name": "比亚迪新能源汽车零部件生产基地项目", "investor_name": "比亚迪 股份有限公司", "channel": "team"}
		st, b := h.as("dz_staff").do("POST", "/api/v1/projects", body)
		var e struct {
			Duplicates []map[string]any `json:"duplicates"`
		}
		_ = json.Unmarshal(b, &e)
		if st != 409 || len(e.Duplicates) != 1 || e.Duplicates[0]["unit_name"] != "高要区" || e.Duplicates[0]["investor_name"] != nil || e.Duplicates[0]["id"] != nil {
			t.Fatalf("duplicate outside scope: %d %s", st, b)
		}
		// In scope (the commission office) it sees the details.
		st, b = h.as("zsb_staff").do("POST", "/api/v1/projects/duplicates", map[string]any{"name": body["name"], "investor_uscc": "91440300192317458F", "investor_name": "BYD"})
		if st != 200 || !strings.Contains(string(b), `"in_scope":true`) || !strings.Contains(string(b), "比亚迪股份有限公司") {
			t.Fatalf("duplicate in scope: %d %s", st, b)
		}
		body["confirm_distinct"], body["distinct_reason"] = true, "端州区的配套项目，与高要区的整车项目不同"
		if st, b := h.as("dz_staff").do("POST", "/api/v1/projects", body); st != 201 {
			t.Fatalf("confirmed distinct: %d %s", st, b)
		}
		// A different project of the same investor is not a duplicate.
		if st, b := h.as("dz_staff").do("POST", "/api/v1/projects", map[string]any{"name": "比亚迪华南研发中心", "investor_name": "比亚迪股份有限公司", "channel": "team"}); st != 201 {
			t.Fatalf("distinct project flagged: %d %s", st, b)
		}
	})
}

// TestProjectInputRules: amounts exact to two decimals, shares summing to 100,
// codes from the dictionary and the classification.
func TestProjectInputRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("zsb_staff")
		ok := map[string]any{"name": "示例项目", "investor_name": "示例公司", "channel": "team"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for a, b := range ok {
				m[a] = b
			}
			m[k] = v
			return m
		}
		for field, body := range map[string]map[string]any{
			"contract_investment": with("contract_investment", 1.234),
			"introducers":         with("introducers", []map[string]any{{"unit_id": h.unitID("WG-NEV"), "share": 50}, {"unit_id": h.unitID("441202"), "share": 49.99}}),
			"channel":             with("channel", "pigeon"),
			"industry_code":       with("industry_code", "9999"),
			"investor_uscc":       with("investor_uscc", "91440300192317458E"),
			"foreign_capital":     with("foreign_capital", 100),
			"chain_role":          with("chain_role", "break"),
		} {
			st, b := c.do("POST", "/api/v1/projects", body)
			var e errBody
			_ = json.Unmarshal(b, &e)
			if st != 400 || e.Error.Fields[field] == "" {
				t.Errorf("%s: %d %s", field, st, b)
			}
		}
		st, b := c.do("POST", "/api/v1/projects", with("contract_investment", "12345.67"))
		if st != 201 || !strings.Contains(string(b), `"contract_investment":12345.67`) {
			t.Fatalf("exact amount: %d %s", st, b)
		}
	})
}

// TestWarnings: each rule fires exactly past its threshold, in scope only.
func TestWarnings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		today := civil.Of(time.Now())
		dz := h.unitID("441202")
		a := h.actorOf("dz_staff")
		mk := func(name string, stage string, on civil.Date) project.Project {
			p, err := h.app.Project.Create(ctx, a, project.Input{Name: name, InvestorName: name + "公司", Channel: "team",
				ContractInvestment: 1000_00, LocalityUnitID: &dz, LeadOn: on})
			if err != nil {
				t.Fatal(err)
			}
			// Milestones set directly: the rules read only the stage and its day.
			h.exec(t, `UPDATE projects SET stage = ?, signed_on = ?, registered_on = ?, last_tracking_on = ? WHERE id = ?`, stage, on, on, today, p.ID)
			return p
		}
		sixMonths := today.AddMonths(-6)
		mk("签约满六个月", "signed", sixMonths)
		mk("签约差一天六个月", "signed", sixMonths.AddDays(1))
		mk("落户满六个月", "registered", sixMonths)
		quiet := mk("久未跟踪", "signed", today)
		h.exec(t, `UPDATE projects SET last_tracking_on = ? WHERE id = ?`, today.AddDays(-60), quiet.ID)
		late := mk("诉求超期", "lead", today)
		// Logged with a deadline of today, which has since passed.
		r, err := h.app.Project.AddRequest(ctx, a, late.ID, project.RequestInput{Title: "办理环评", Deadline: today})
		if err != nil {
			t.Fatal(err)
		}
		h.exec(t, `UPDATE project_requests SET deadline = ? WHERE id = ?`, today.AddDays(-1), r.ID)
		if _, err := h.app.Project.AddRequest(ctx, a, late.ID, project.RequestInput{Title: "协调用电", Deadline: today}); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Items []project.Warning
			Total int
		}
		h.as("dz_staff").get("/api/v1/warnings?page_size=200", &got)
		rules := map[string][]string{}
		for _, w := range got.Items {
			rules[w.Rule] = append(rules[w.Rule], w.ProjectName)
		}
		want := map[string]string{"signed_not_registered": "签约满六个月", "registered_no_construction": "落户满六个月",
			"no_tracking": "久未跟踪", "request_overdue": "诉求超期"}
		for rule, name := range want {
			if len(rules[rule]) != 1 || rules[rule][0] != name {
				t.Errorf("%s: %v", rule, rules[rule])
			}
		}
		if got.Total != 4 {
			t.Errorf("total %d: %+v", got.Total, rules)
		}
		// Another locality sees none of them.
		h.as("gy_staff").get("/api/v1/warnings", &got)
		if got.Total != 0 {
			t.Errorf("gy sees %d warnings", got.Total)
		}
	})
}

// TestMergeDuplicate: the duplicate's records move to the survivor and the
// duplicate is terminated, pointing at it.
func TestMergeDuplicate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		a := h.actorOf("dz_staff")
		dup, into := h.freshProject("dz_staff", "441202"), h.freshProject("dz_staff", "441202")
		if _, err := h.app.Project.Track(ctx, a, dup.ID, project.TrackingInput{Kind: "call", On: civil.MustParse("2025-02-01"), Summary: "电话了解进度"}); err != nil {
			t.Fatal(err)
		}
		st, b := h.as("dz_staff").do("POST", fmt.Sprintf("/api/v1/projects/%d/merge", dup.ID), map[string]any{"into_id": into.ID, "version": dup.Version})
		if st != 200 || !strings.Contains(string(b), `"status":"terminated"`) {
			t.Fatalf("merge: %d %s", st, b)
		}
		recs, err := h.app.Project.TrackingRecords(ctx, a, into.ID)
		if err != nil || len(recs) != 1 {
			t.Fatalf("records moved: %d %v", len(recs), err)
		}
		if st, _ := h.as("dz_staff").do("POST", fmt.Sprintf("/api/v1/projects/%d/merge", into.ID), map[string]any{"into_id": into.ID, "version": into.Version}); st != 400 {
			t.Fatalf("merge into itself: %d", st)
		}
	})
}

// TestKeywordSearch: two-character Chinese keywords go through the bigram
// index and find exactly what a substring scan finds.
func TestKeywordSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		a := h.actorOf("zsb_staff")
		for _, n := range [][2]string{{"宁德时代肇庆储能电池基地", "宁德时代新能源科技股份有限公司"}, {"高要铝型材深加工", "广东兴发铝业有限公司"},
			{"四会电子元件项目", "风华高新科技股份有限公司"}, {"储 能 示范", "某公司"}} {
			if _, err := h.app.Project.Create(context.Background(), a, project.Input{Name: n[0], InvestorName: n[1], Channel: "team", ConfirmDistinct: true}); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int{"储能": 1, "宁德": 1, "铝业": 1, "有限公司": 3, "肇储": 0, "能电": 1, "电": 2, "XM-": 4, "科技股份": 2} {
			var l struct{ Total int }
			h.as("zsb_staff").get("/api/v1/projects?q="+url.QueryEscape(q), &l)
			if l.Total != want {
				t.Errorf("%q: %d want %d", q, l.Total, want)
			}
		}
	})
}

// TestExportIsScoped: the XLSX export holds exactly the caller's projects.
func TestExportIsScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.freshProject("dz_staff", "441202")
		h.freshProject("dz_staff", "441202")
		h.freshProject("gy_staff", "441204")
		for user, want := range map[string]int{"dz_staff": 2, "gy_staff": 1, "zsb_staff": 3, "dept_staff": 0} {
			st, b := h.as(user).do("GET", "/api/v1/projects/export", nil)
			if st != 200 {
				t.Fatalf("%s export: %d", user, st)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(f.GetSheetName(0))
			if len(rows)-1 != want {
				t.Errorf("%s exported %d projects, want %d", user, len(rows)-1, want)
			}
		}
	})
}
