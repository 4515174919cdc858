package web

import (
	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
)

// campaignRoutes are issue 7's routes: campaigns and the channel report,
// notices and feedback reports, advisors, partners, intelligence, staff and
// training (docs/api-campaigns.md).
func (s *Server) campaignRoutes() []Route {
	c := campaign.Handlers{S: s.Campaign}
	n := notice.Handlers{S: s.Notice}
	w := network.Handlers{S: s.Network}
	return []Route{
		{"GET", "/api/v1/campaigns", "campaign:read", "campaign", "List campaigns (?q, ?kind, ?year) with their results in scope", nil, c.List},
		{"POST", "/api/v1/campaigns", "campaign:write", "campaign", "Register a campaign", campaign.Input{}, c.Create},
		{"GET", "/api/v1/campaigns/report", "campaign:read", "campaign", "Compare channels, campaigns, source regions or offices away (?by, ?from, ?to on lead dates), scoped", nil, c.Report},
		{"GET", "/api/v1/campaigns/report/xlsx", "campaign:read", "campaign", "The comparison report as XLSX (same parameters)", nil, c.ReportXLSX},
		{"GET", "/api/v1/campaigns/{id}", "campaign:read", "campaign", "A campaign with its results funnel in scope", nil, c.Get},
		{"PUT", "/api/v1/campaigns/{id}", "campaign:write", "campaign", "Edit a campaign (organiser in scope)", campaign.Input{}, c.Update},
		{"GET", "/api/v1/campaigns/{id}/projects", "campaign:read", "campaign", "The projects of a campaign in scope", nil, c.Projects},
		{"POST", "/api/v1/campaigns/{id}/projects", "project:write", "campaign", "Attach a project in scope (a lead met there) to a campaign", campaign.LinkInput{}, c.Link},

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

		{"GET", "/api/v1/advisors", "network:read", "network", "Advisors (?q) with the projects each referred in scope", nil, w.Advisors},
		{"POST", "/api/v1/advisors", "network:write", "network", "Appoint an advisor", network.AdvisorInput{}, w.CreateAdvisor},
		{"PUT", "/api/v1/advisors/{id}", "network:write", "network", "Edit or renew an advisor", network.AdvisorInput{}, w.UpdateAdvisor},
		{"GET", "/api/v1/partners", "network:read", "network", "Partner organisations (?q) with the projects each referred in scope", nil, w.Partners},
		{"POST", "/api/v1/partners", "network:write", "network", "Register a partner organisation", network.PartnerInput{}, w.CreatePartner},
		{"PUT", "/api/v1/partners/{id}", "network:write", "network", "Edit a partner organisation", network.PartnerInput{}, w.UpdatePartner},
		{"GET", "/api/v1/referral-rewards", "network:read", "network", "Referral rewards under the rule in force, projects in scope (?from, ?to); computed, never paid", nil, w.Rewards},
		{"GET", "/api/v1/settings/referral-reward", "network:read", "network", "The referral-reward rule", nil, w.GetRewardRule},
		{"PUT", "/api/v1/settings/referral-reward", "network:write", "network", "Change the referral-reward rule", network.RewardRule{}, w.PutRewardRule},
		{"GET", "/api/v1/intelligence", "network:read", "network", "Search the intelligence feed (?q, ?region, ?enterprise_id, ?from, ?to)", nil, w.Items},
		{"POST", "/api/v1/intelligence", "network:write", "network", "Add an intelligence item", network.ItemInput{}, w.CreateItem},
		{"PUT", "/api/v1/intelligence/{id}", "network:write", "network", "Edit an intelligence item", network.ItemInput{}, w.UpdateItem},
		{"POST", "/api/v1/intelligence/import", "network:write", "network", "Import intelligence from CSV (multipart file; valid rows kept, refused rows listed)", nil, w.ImportItems},
		{"GET", "/api/v1/staff", "network:read", "network", "Promotion staff of units in scope (?unit_id, ?kind)", nil, w.StaffList},
		{"POST", "/api/v1/staff", "network:write", "network", "Add a staff member to a unit in scope", network.StaffInput{}, w.CreateStaff},
		{"PUT", "/api/v1/staff/{id}", "network:write", "network", "Edit a staff member (unit in scope)", network.StaffInput{}, w.UpdateStaff},
		{"GET", "/api/v1/trainings", "network:read", "network", "Training sessions and who attended", nil, w.Trainings},
		{"POST", "/api/v1/trainings", "network:write", "network", "Record a training session", network.TrainingInput{}, w.CreateTraining},
		{"PUT", "/api/v1/trainings/{id}", "network:write", "network", "Edit a training session (organiser in scope)", network.TrainingInput{}, w.UpdateTraining},
	}
}
