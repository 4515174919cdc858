package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

// An import job answers 202 at once, then its progress and, once done, its
// result with the refused rows; someone else's job is not found.
func TestEnterpriseImportJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb := h.as("zsb_staff")
		data := enterpriseCSV(4)
		lines := strings.Split(string(data), "\n")
		lines[2] = strings.Replace(lines[2], ",", "X,", 1) // row 3: a credit code with one character too many
		st, b := zsb.do("POST", "/api/v1/enterprises/import", upload{filename: "企业.csv", data: []byte(strings.Join(lines, "\n"))})
		if st != 202 {
			t.Fatalf("start: %d %s", st, b)
		}
		var job struct {
			ID     int64
			Status string
			Result *struct {
				Inserted int
				Failed   int
				Errors   []struct {
					Row    int
					Column string
				}
			}
		}
		mustJSON(t, b, &job)
		deadline := time.Now().Add(20 * time.Second)
		for job.Status == "running" && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			zsb.get(fmt.Sprintf("/api/v1/enterprises/import/jobs/%d", job.ID), &job)
		}
		if job.Status != "done" || job.Result == nil || job.Result.Inserted != 3 || job.Result.Failed != 1 ||
			job.Result.Errors[0].Row != 3 || job.Result.Errors[0].Column != "统一社会信用代码" {
			t.Fatalf("job %+v %+v", job, job.Result)
		}
		if st, _ := h.as("wg_nev").do("GET", fmt.Sprintf("/api/v1/enterprises/import/jobs/%d", job.ID), nil); st != 404 {
			t.Errorf("another user's job: %d", st)
		}
	})
}

// An enterprise courted by a unit is changed only by users whose scope
// reaches that unit; everyone may still read it and record what they heard.
func TestEnterpriseOwnerScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz := h.unitID("441202")
		e, err := h.app.Enterprise.Create(context.Background(), h.actorOf("dz_staff"), enterprise.Input{CreditCode: freshCode(),
			Name: "端州对接的企业有限公司", OwnerUnitID: &dz})
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]any{"credit_code": e.CreditCode, "name": e.Name + "（改）", "owner_unit_id": dz, "version": e.Version}
		if st, b := h.as("wg_nev").do("PUT", fmt.Sprintf("/api/v1/enterprises/%d", e.ID), body); st != 403 {
			t.Errorf("another unit edits: %d %s", st, b)
		}
		if st, _ := h.as("wg_nev").do("GET", fmt.Sprintf("/api/v1/enterprises/%d", e.ID), nil); st != 200 {
			t.Errorf("another unit reads: %d", st)
		}
		if st, _ := h.as("wg_nev").do("POST", fmt.Sprintf("/api/v1/enterprises/%d/intentions", e.ID),
			map[string]any{"content": "拟扩产", "heard_on": "2025-12-01"}); st != 201 {
			t.Errorf("another unit records an intention: %d", st)
		}
		// Its projects list follows project scope: 端州's project is not 新能源组's.
		p := h.freshProject("dz_staff", "441202")
		in := project.Input{Name: p.Name, InvestorName: p.InvestorName, InvestorUSCC: e.CreditCode, Channel: "team",
			ContractInvestment: p.ContractInvestment, LocalityUnitID: p.LocalityUnitID, LeadOn: p.LeadOn, Version: p.Version}
		for _, i := range p.Introducers {
			in.Introducers = append(in.Introducers, project.IntroducerInput{UnitID: i.UnitID, Share: i.Share})
		}
		if _, err := h.app.Project.Update(context.Background(), h.actorOf("dz_staff"), p.ID, in); err != nil {
			t.Fatal(err)
		}
		for user, want := range map[string]int{"dz_staff": 1, "wg_nev": 0, "zsb_staff": 1} {
			var list struct{ Total int }
			h.as(user).get(fmt.Sprintf("/api/v1/enterprises/%d/projects", e.ID), &list)
			if list.Total != want {
				t.Errorf("%s sees %d of the enterprise's projects, want %d", user, list.Total, want)
			}
		}
		if st, b := h.as("dz_staff").do("PUT", fmt.Sprintf("/api/v1/enterprises/%d", e.ID), body); st != 200 {
			t.Errorf("the owner edits: %d %s", st, b)
		}
		// A stale version is refused with the current record.
		if st, b := h.as("zsb_staff").do("PUT", fmt.Sprintf("/api/v1/enterprises/%d", e.ID), body); st != 409 || !strings.Contains(string(b), "（改）") {
			t.Errorf("stale save: %d %s", st, b)
		}
	})
}
