package web

import (
	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/notice"
)

// campaignRoutes are issue 7's routes: campaigns and the channel report,
// notices and feedback reports, advisors, partners, intelligence, staff and
// training (docs/api-campaigns.md).
func (s *Server) campaignRoutes() []Route {
	c := campaign.Handlers{S: s.Campaign}
	n := notice.Handlers{S: s.Notice}
	return []Route{
		{"GET", "/api/v1/campaigns", "campaign:read", "campaign", "List campaigns (?q, ?kind, ?year) with their results in scope", nil, c.List},
		{"POST", "/api/v1/campaigns", "campaign:write", "campaign", "Register a campaign", campaign.Input{}, c.Create},
		{"GET", "/api/v1/campaigns/report", "campaign:read", "campaign", "Compare channels, campaigns, source regions or offices away (?by, ?from, ?to on lead dates), scoped", nil, c.Report},
		{"GET", "/api/v1/campaigns/{id}", "campaign:read", "campaign", "A campaign with its results funnel in scope", nil, c.Get},
		{"PUT", "/api/v1/campaigns/{id}", "campaign:write", "campaign", "Edit a campaign (organiser in scope)", campaign.Input{}, c.Update},
		{"GET", "/api/v1/campaigns/{id}/projects", "campaign:read", "campaign", "The projects of a campaign in scope", nil, c.Projects},

		{"GET", "/api/v1/notices", "notice:read", "notice", "Notices received (?box=inbox, ?unread=1) or sent from units in scope (?box=sent)", nil, n.List},
		{"POST", "/api/v1/notices", "notice:write", "notice", "Send a notice from the caller's unit to units", notice.Input{}, n.Send},
		{"GET", "/api/v1/notices/{id}", "notice:read", "notice", "A notice received or sent (404 otherwise)", nil, n.Get},
		{"POST", "/api/v1/notices/{id}/read", "notice:read", "notice", "Mark a received notice read (the read receipt)", nil, n.Read},
		{"GET", "/api/v1/notices/{id}/receipts", "notice:read", "notice", "Who read a notice sent from a unit in scope, and when", nil, n.Receipts},
		{"GET", "/api/v1/feedback-reports", "notice:read", "notice", "Monthly feedback reports in scope (?period=YYYY-MM)", nil, n.Reports},
		{"POST", "/api/v1/feedback-reports", "feedback:write", "notice", "Submit a unit's monthly feedback report", notice.ReportInput{}, n.Submit},
		{"PUT", "/api/v1/feedback-reports/{id}", "feedback:write", "notice", "Revise a feedback report", notice.ReportInput{}, n.Revise},
		{"GET", "/api/v1/feedback-reports/status", "notice:read", "notice", "A month's expected reporters in scope: on time, late, missing, pending (?period=YYYY-MM)", nil, n.Status},
		{"GET", "/api/v1/settings/feedback", "notice:read", "notice", "The feedback schedule (due day, reporting unit kinds)", nil, n.GetSchedule},
		{"PUT", "/api/v1/settings/feedback", "notice:write", "notice", "Change the feedback schedule", notice.Schedule{}, n.PutSchedule},
	}
}
