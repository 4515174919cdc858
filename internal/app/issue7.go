package app

import (
	"context"

	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
	"github.com/zhaoqing/attract/internal/web"
)

// Issue 7's wiring (campaigns, notices and feedback, the promotion network),
// kept apart from the rest so that it merges cleanly.

func (a *App) newIssue7() {
	a.Campaign = campaign.New(a.DB, a.Project)
	a.Notice = notice.New(a.DB)
	a.Network = network.New(a.DB)
}

func (a *App) serveIssue7(srv *web.Server) {
	srv.Campaign = a.Campaign
	srv.Notice = a.Notice
	srv.Network = a.Network
}

// LoadCampaignDemo adds issue 7's demo records after the demo projects.
func (a *App) LoadCampaignDemo(ctx context.Context) error {
	if err := demo.LoadCampaigns(ctx, a.Org, a.Campaign, a.Project); err != nil {
		return err
	}
	return demo.LoadNetwork(ctx, a.Org, a.Notice, a.Network, a.Project)
}
