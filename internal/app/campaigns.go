package app

import (
	"context"

	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
	"github.com/zhaoqing/attract/internal/web"
)

// The wiring of campaigns, notices and feedback, and the promotion network,
// in a file of their own.

func (a *App) newCampaigns() {
	a.Campaign = campaign.New(a.DB, a.Project)
	a.Notice = notice.New(a.DB)
	a.Network = network.New(a.DB)
}

func (a *App) serveCampaigns(srv *web.Server) {
	srv.Campaign = a.Campaign
	srv.Notice = a.Notice
	srv.Network = a.Network
}

// LoadCampaignDemo adds the campaigns' and the network's demo records after the demo projects.
func (a *App) LoadCampaignDemo(ctx context.Context) error {
	if err := demo.LoadCampaigns(ctx, a.Org, a.Campaign, a.Project); err != nil {
		return err
	}
	return demo.LoadNetwork(ctx, a.Org, a.Notice, a.Network, a.Project)
}
