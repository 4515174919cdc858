package web_test

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/project"
)

// The campaigns' rows of the authorization matrix.

var (
	campaignReaders = []string{"zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff"}
	campaignWriters = []string{"zsb_staff", "wg_nev", "dz_staff"}
)

// freshCampaign registers a campaign organised by a user's unit.
func (h *harness) freshCampaign(username string) campaign.Campaign {
	h.t.Helper()
	c, err := h.app.Campaign.Create(context.Background(), h.actorOf(username), campaign.Input{Name: fmt.Sprintf("测试招商活动%d", next()),
		Kind: "themed_trip", StartsOn: civil.MustParse("2025-03-01"), EndsOn: civil.MustParse("2025-03-05"), Place: "深圳", SourceRegion: "shenzhen", Budget: 50_00})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// campaignInput is a valid request body for a campaign.
func campaignInput(version int) map[string]any {
	return map[string]any{"name": fmt.Sprintf("矩阵招商活动%d", next()), "kind": "fair", "starts_on": "2025-09-20", "ends_on": "2025-09-22",
		"place": "肇庆国际会展中心", "budget": 120, "spend": 98.5, "version": version}
}

// signProject carries a lead to signed through the services: negotiating,
// an approved screening, the agreement, signed.
func (h *harness) signProject(username string, p project.Project) project.Project {
	h.t.Helper()
	ctx := context.Background()
	a := h.actorOf(username)
	p, err := h.app.Project.Move(ctx, a, p.ID, project.Transition{Action: "negotiating", On: civil.MustParse("2025-02-01"), Version: p.Version})
	if err != nil {
		h.t.Fatal(err)
	}
	h.approvedScreening(p.ID)
	f, err := h.app.Project.Attach(ctx, a, p.ID, project.Upload{Kind: "agreement", Filename: "协议.pdf", Data: pdf})
	if err != nil {
		h.t.Fatal(err)
	}
	if p, err = h.app.Project.Move(ctx, a, p.ID, project.Transition{Action: "signed", On: civil.MustParse("2025-03-01"), AttachmentID: &f.ID, Version: p.Version}); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func init() {
	rows := map[string]access{
		"GET /api/v1/campaigns": {allowed: campaignReaders, prep: path("/api/v1/campaigns?year=2025")},
		"POST /api/v1/campaigns": {allowed: campaignWriters, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/campaigns", campaignInput(0)
		}},
		"GET /api/v1/campaigns/report":      {allowed: campaignReaders, prep: path("/api/v1/campaigns/report?by=campaign&from=2025-01-01")},
		"GET /api/v1/campaigns/report/xlsx": {allowed: campaignReaders, prep: path("/api/v1/campaigns/report/xlsx?by=channel")},
		"GET /api/v1/campaigns/{id}": {allowed: campaignReaders, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/campaigns/%d", h.freshCampaign("dz_staff").ID), nil
		}},
		// Organised by 端州区: a working group's scope does not reach it.
		"PUT /api/v1/campaigns/{id}": {allowed: campaignWriters, hidden: []string{"wg_nev"}, prep: func(h *harness, _ string) (string, any) {
			c := h.freshCampaign("dz_staff")
			return fmt.Sprintf("/api/v1/campaigns/%d", c.ID), campaignInput(c.Version)
		}},
		// Writes the project: project writers whose scope reaches the 端州区 project.
		"POST /api/v1/campaigns/{id}/projects": {allowed: projectWriters, hidden: outsideDZ, prep: func(h *harness, _ string) (string, any) {
			c, p := h.freshCampaign("zsb_staff"), h.freshProject("dz_staff", "441202")
			return fmt.Sprintf("/api/v1/campaigns/%d/projects", c.ID), map[string]any{"project_id": p.ID, "version": p.Version}
		}},
		"GET /api/v1/campaigns/{id}/projects": {allowed: campaignReaders, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/campaigns/%d/projects", h.freshCampaign("zsb_staff").ID), nil
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}
