package web_test

import (
	"context"
	"fmt"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/project"
)

// actorOf loads a demo user as the services see them.
func (h *harness) actorOf(username string) *org.Actor {
	h.t.Helper()
	a, err := h.app.Org.LoadActor(context.Background(), h.userID(username))
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// freshProject registers a lead as a user, landing in the given locality.
func (h *harness) freshProject(username, localityCode string) project.Project {
	h.t.Helper()
	loc := h.unitID(localityCode)
	p, err := h.app.Project.Create(context.Background(), h.actorOf(username), project.Input{
		Name: fmt.Sprintf("测试项目%d号", next()), InvestorName: fmt.Sprintf("测试投资方%d有限公司", next()), Channel: "team",
		ContractInvestment: 50000_00, LocalityUnitID: &loc, LeadOn: civil.MustParse("2025-01-10")})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

var (
	projectReaders = []string{"zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff"}
	projectWriters = []string{"zsb_staff", "wg_nev", "dz_staff", "dept_staff"}
	// Users whose scope does not reach a project of 端州区.
	outsideDZ = []string{"wg_nev", "dept_staff"}
)

// dzProject: a fresh 端州区 project, for routes on one project.
func dzProject(suffix string, body func(h *harness, p project.Project) any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		p := h.freshProject("dz_staff", "441202")
		var b any
		if body != nil {
			b = body(h, p)
		}
		return fmt.Sprintf("/api/v1/projects/%d%s", p.ID, suffix), b
	}
}

func init() {
	rows := map[string]access{
		"GET /api/v1/industries":      {allowed: everyone, prep: path("/api/v1/industries?q=新能源")},
		"GET /api/v1/projects":        {allowed: projectReaders, prep: path("/api/v1/projects")},
		"GET /api/v1/projects/export": {allowed: projectReaders, prep: path("/api/v1/projects/export")},
		"POST /api/v1/projects/duplicates": {allowed: projectWriters, prep: func(*harness, string) (string, any) {
			return "/api/v1/projects/duplicates", map[string]string{"name": "x", "investor_name": "比亚迪股份有限公司"}
		}},
		"POST /api/v1/projects": {allowed: projectWriters, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/projects", map[string]any{"name": fmt.Sprintf("矩阵项目%d", next()), "investor_name": fmt.Sprintf("矩阵投资方%d", next()), "channel": "online"}
		}},
		"GET /api/v1/projects/import/template": {allowed: projectWriters, prep: path("/api/v1/projects/import/template")},
		"POST /api/v1/projects/import": {allowed: projectWriters, prep: func(*harness, string) (string, any) {
			return "/api/v1/projects/import?dry_run=1", upload{filename: "台账.csv", data: []byte(ledgerHeader + "项目,公司,,100,网络招商,端州区,,线索,2025-01-01,,\n")}
		}},
		"GET /api/v1/projects/{id}": {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("", nil)},
		"PUT /api/v1/projects/{id}": {allowed: projectWriters, hidden: outsideDZ, prep: dzProject("", func(h *harness, p project.Project) any {
			return map[string]any{"name": p.Name + "（调整）", "investor_name": p.InvestorName, "channel": "team", "locality_unit_id": p.LocalityUnitID,
				"introducers": []map[string]any{{"unit_id": h.unitID("441202"), "share": 100}}, "version": p.Version}
		})},
		"POST /api/v1/projects/{id}/transitions": {allowed: projectWriters, hidden: outsideDZ, prep: dzProject("/transitions", func(_ *harness, p project.Project) any {
			return map[string]any{"action": "negotiating", "on": "2025-02-01", "version": p.Version}
		})},
		"POST /api/v1/projects/{id}/merge": {allowed: projectWriters, hidden: outsideDZ, prep: func(h *harness, _ string) (string, any) {
			dup, into := h.freshProject("dz_staff", "441202"), h.freshProject("dz_staff", "441202")
			return fmt.Sprintf("/api/v1/projects/%d/merge", dup.ID), map[string]any{"into_id": into.ID, "version": dup.Version}
		}},
		"GET /api/v1/projects/{id}/timeline":    {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/timeline", nil)},
		"GET /api/v1/projects/{id}/attachments": {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/attachments", nil)},
		"POST /api/v1/projects/{id}/attachments": {allowed: projectWriters, hidden: outsideDZ, status: 201, prep: dzProject("/attachments", func(*harness, project.Project) any {
			return upload{kind: "agreement", filename: "协议.pdf", data: pdf}
		})},
		"GET /api/v1/attachments/{id}": {allowed: projectReaders, hidden: outsideDZ, prep: func(h *harness, _ string) (string, any) {
			p := h.freshProject("dz_staff", "441202")
			f, err := h.app.Project.Attach(context.Background(), h.actorOf("dz_staff"), p.ID, project.Upload{Kind: "photo", Filename: "a.pdf", Data: pdf})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/attachments/%d", f.ID), nil
		}},
		"POST /api/v1/projects/{id}/handover": {allowed: projectWriters, hidden: outsideDZ, prep: dzProject("/handover", func(h *harness, p project.Project) any {
			return map[string]any{"to_unit_id": h.unitID("441204"), "version": p.Version}
		})},
		"POST /api/v1/projects/{id}/handover/accept":  {allowed: []string{"dz_staff"}, prep: handedToDZ(nil)},
		"POST /api/v1/projects/{id}/handover/decline": {allowed: []string{"dz_staff"}, prep: handedToDZ(map[string]any{"reason": "用地指标不足"})},
		"GET /api/v1/projects/{id}/tracking-records":  {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/tracking-records", nil)},
		"POST /api/v1/projects/{id}/tracking-records": {allowed: projectWriters, hidden: outsideDZ, status: 201, prep: dzProject("/tracking-records", func(*harness, project.Project) any {
			return map[string]any{"kind": "visit", "on": "2025-03-01", "summary": "走访企业，了解用地需求"}
		})},
		"GET /api/v1/projects/{id}/requests": {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/requests", nil)},
		"POST /api/v1/projects/{id}/requests": {allowed: projectWriters, hidden: outsideDZ, status: 201, prep: dzProject("/requests", func(*harness, project.Project) any {
			return map[string]any{"title": "协调电力增容", "deadline": civil.Of(time.Now()).AddDays(30)}
		})},
		"POST /api/v1/requests/{id}/resolve": {allowed: projectWriters, hidden: outsideDZ, prep: func(h *harness, _ string) (string, any) {
			p := h.freshProject("dz_staff", "441202")
			r, err := h.app.Project.AddRequest(context.Background(), h.actorOf("dz_staff"), p.ID, project.RequestInput{Title: "协调道路接驳", Deadline: civil.Of(time.Now()).AddDays(30)})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/requests/%d/resolve", r.ID), map[string]any{"resolution": "已协调交通部门", "version": r.Version}
		}},
		"GET /api/v1/projects/{id}/approvals": {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/approvals", nil)},
		"POST /api/v1/projects/{id}/approvals": {allowed: projectWriters, hidden: outsideDZ, status: 201, prep: dzProject("/approvals", func(*harness, project.Project) any {
			return map[string]any{"kind": "eia", "status": "in_progress", "submitted_on": "2025-02-01"}
		})},
		"PUT /api/v1/approvals/{id}": {allowed: projectWriters, hidden: outsideDZ, prep: func(h *harness, _ string) (string, any) {
			p := h.freshProject("dz_staff", "441202")
			x, err := h.app.Project.AddApproval(context.Background(), h.actorOf("dz_staff"), p.ID, project.ApprovalInput{Kind: "eia", Status: "pending"})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/approvals/%d", x.ID), map[string]any{"kind": "eia", "status": "approved", "submitted_on": "2025-02-01",
				"approved_on": "2025-03-01", "document_no": "肇环审〔2025〕12号", "version": x.Version}
		}},
		"GET /api/v1/parcels": {allowed: projectReaders, prep: path("/api/v1/parcels")},
		"POST /api/v1/parcels": {allowed: []string{"zsb_staff", "dz_staff"}, status: 201, prep: func(h *harness, _ string) (string, any) {
			return "/api/v1/parcels", map[string]any{"park_unit_id": h.unitID("441202"), "code": fmt.Sprintf("DZ-%d", next()), "area_mu": 55.5, "land_use": "industrial"}
		}},
		"POST /api/v1/parcels/{id}/actions": {allowed: []string{"zsb_staff", "dz_staff"}, prep: func(h *harness, _ string) (string, any) {
			l := h.freshParcel("441202", "industrial")
			p := h.freshProject("dz_staff", "441202")
			return fmt.Sprintf("/api/v1/parcels/%d/actions", l.ID), map[string]any{"action": "reserve", "project_id": p.ID, "version": l.Version}
		}},
		"GET /api/v1/warnings":          {allowed: projectReaders, prep: path("/api/v1/warnings")},
		"GET /api/v1/settings/warnings": {allowed: everyone, prep: path("/api/v1/settings/warnings")},
		"PUT /api/v1/settings/warnings": {allowed: []string{"sysadmin"}, prep: func(h *harness, _ string) (string, any) {
			cfg, err := h.app.Project.Settings(context.Background())
			if err != nil {
				h.t.Fatal(err)
			}
			cfg.NoTrackingDays = 45
			return "/api/v1/settings/warnings", cfg
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}

// handedToDZ: a working group's project handed over to 端州区, pending.
func handedToDZ(body map[string]any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		p := h.freshProject("wg_nev", "441202")
		p, err := h.app.Project.HandOver(context.Background(), h.actorOf("wg_nev"), p.ID, project.HandoverInput{ToUnitID: h.unitID("441202"), Version: p.Version})
		if err != nil {
			h.t.Fatal(err)
		}
		b := map[string]any{"version": p.Version}
		for k, v := range body {
			b[k] = v
		}
		suffix := "/handover/accept"
		if body != nil {
			suffix = "/handover/decline"
		}
		return fmt.Sprintf("/api/v1/projects/%d%s", p.ID, suffix), b
	}
}

// freshParcel registers an available parcel in a park or locality.
func (h *harness) freshParcel(unitCode, use string) project.Parcel {
	h.t.Helper()
	l, err := h.app.Project.CreateParcel(context.Background(), system, project.ParcelInput{ParkUnitID: h.unitID(unitCode),
		Code: fmt.Sprintf("P-%d", next()), AreaMu: 80_00, LandUse: use})
	if err != nil {
		h.t.Fatal(err)
	}
	return l
}
