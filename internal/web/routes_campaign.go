package web

import (
	"github.com/zhaoqing/attract/internal/campaign"
)

// campaignRoutes are issue 7's routes: campaigns and the channel report,
// notices and feedback reports, advisors, partners, intelligence, staff and
// training (docs/api-campaigns.md).
func (s *Server) campaignRoutes() []Route {
	c := campaign.Handlers{S: s.Campaign}
	return []Route{
		{"GET", "/api/v1/campaigns", "campaign:read", "campaign", "List campaigns (?q, ?kind, ?year) with their results in scope", nil, c.List},
		{"POST", "/api/v1/campaigns", "campaign:write", "campaign", "Register a campaign", campaign.Input{}, c.Create},
		{"GET", "/api/v1/campaigns/report", "campaign:read", "campaign", "Compare channels, campaigns, source regions or offices away (?by, ?from, ?to on lead dates), scoped", nil, c.Report},
		{"GET", "/api/v1/campaigns/{id}", "campaign:read", "campaign", "A campaign with its results funnel in scope", nil, c.Get},
		{"PUT", "/api/v1/campaigns/{id}", "campaign:write", "campaign", "Edit a campaign (organiser in scope)", campaign.Input{}, c.Update},
		{"GET", "/api/v1/campaigns/{id}/projects", "campaign:read", "campaign", "The projects of a campaign in scope", nil, c.Projects},
	}
}
