package web

import (
	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/province"
	"github.com/zhaoqing/attract/internal/region"
	"github.com/zhaoqing/attract/internal/webhook"
)

// Routes is the table of contents of the API. Every route has a permission
// (or SignedIn / Public); the authorization matrix test walks this table.
func (s *Server) Routes() []Route {
	au := auth.Handlers{S: s.Auth, TrustedProxies: s.TrustedProxies}
	o := org.Handlers{S: s.Org}
	d := dictionary.Handlers{S: s.Dict}
	p := project.Handlers{S: s.Project}
	st := assess.Handlers{S: s.Assess}
	ev := evaluation.Handlers{S: s.Evaluation}
	a := audit.Handlers{DB: s.DB}
	en := enterprise.Handlers{S: s.Enterprise}
	ch := chain.Handlers{S: s.Chain, Projects: s.Project}
	c := campaign.Handlers{S: s.Campaign}
	n := notice.Handlers{S: s.Notice}
	w := network.Handlers{S: s.Network}
	wh := webhook.Handlers{S: s.Webhook}
	pr := province.Handlers{Projects: s.Project}
	return []Route{
		{"GET", "/healthz", Public, "system", "Health check: 200 when the database answers", nil, s.healthz},
		{"GET", "/livez", Public, "system", "Liveness: 200 while the process serves HTTP (asks nothing of the database)", nil, s.livez},
		{"GET", "/readyz", Public, "system", "Readiness: 200 when the database takes a commit, the schema is current, disk is free and the mirror is loaded; 503 naming each failed check; search says whether searches take the index or SQL while it builds", IO{Resp: readiness{}}, s.readyz},
		{"GET", "/metrics", Public, "system", "Prometheus metrics: requests by route and status, latencies, DB pool, mirror lag, backups", nil, s.serveMetrics},
		{"GET", "/api/v1/openapi.json", Public, "system", "This OpenAPI document", nil, s.openapi},

		{"POST", "/api/v1/auth/login", Public, "auth", "Sign in with username and password", IO{Body: auth.Credentials{}, Resp: auth.SessionInfo{}}, au.Login},
		{"GET", "/api/v1/auth/sso", Public, "auth", "Whether single sign-on with the city's identity platform is on, and its button's label", IO{Resp: auth.SSOInfo{}}, au.SSOInfo},
		{"GET", "/api/v1/auth/sso/start", Public, "auth", "Single sign-on: 302 to the identity platform (state, nonce and PKCE in a short-lived HttpOnly cookie); 404 when not configured", IO{Status: 302}, au.SSOStart},
		{"GET", "/api/v1/auth/sso/callback", Public, "auth", "Single sign-on: the platform's return; 302 to / signed in (session cookie), or to /login?sso_error=REASON; 404 when not configured", IO{Query: struct {
			Code  string `query:"code"`
			State string `query:"state"`
			Error string `query:"error"`
		}{}, Status: 302}, au.SSOCallback},
		{"POST", "/api/v1/auth/logout", SignedIn, "auth", "Sign out (ends the session)", IO{Status: 204}, au.Logout},
		{"GET", "/api/v1/auth/me", SignedIn, "auth", "The signed-in user, permissions and CSRF token", IO{Resp: auth.SessionInfo{}}, au.Me},
		{"PUT", "/api/v1/me/password", SignedIn, "auth", "Change own password (ends other sessions)", IO{Body: auth.ChangePassword{}, Resp: csrfAnswer{}}, au.ChangePassword},
		{"GET", "/api/v1/me/tokens", SignedIn, "auth", "List own API tokens", IO{Resp: httpx.List[auth.Token]{}}, au.ListTokens},
		{"POST", "/api/v1/me/tokens", SignedIn, "auth", "Create an API token (shown once)", IO{Body: auth.CreateToken{}, Resp: auth.NewToken{}, Status: 201}, au.CreateToken},
		{"DELETE", "/api/v1/me/tokens/{id}", SignedIn, "auth", "Revoke an own API token", IO{Status: 204}, au.RevokeToken},

		{"GET", "/api/v1/units", "unit:read", "org", "List units (now, or as of a date)", IO{Resp: httpx.List[org.Unit]{}, Or: httpx.List[org.UnitState]{}}, o.ListUnits},
		{"POST", "/api/v1/units", "unit:write", "org", "Create a unit", IO{Body: org.CreateUnit{}, Resp: org.Unit{}, Status: 201}, o.CreateUnit},
		{"GET", "/api/v1/units/{id}", "unit:read", "org", "Get a unit", IO{Resp: org.Unit{}}, o.GetUnit},
		{"PUT", "/api/v1/units/{id}", "unit:write", "org", "Rename a unit (effective on a date)", IO{Body: org.RenameUnit{}, Resp: org.Unit{}}, o.RenameUnit},
		{"POST", "/api/v1/units/{id}/move", "unit:write", "org", "Move a unit under another parent", IO{Body: org.MoveUnit{}, Resp: org.Unit{}}, o.MoveUnit},
		{"POST", "/api/v1/units/{id}/close", "unit:write", "org", "Close a unit", IO{Body: org.CloseUnit{}, Resp: org.Unit{}}, o.CloseUnit},
		{"GET", "/api/v1/units/{id}/history", "unit:read", "org", "A unit's history", IO{Resp: httpx.List[org.UnitState]{}}, o.UnitHistory},

		{"GET", "/api/v1/users", "user:read", "org", "List users in scope", IO{Resp: httpx.List[org.User]{}}, o.ListUsers},
		{"POST", "/api/v1/users", "user:write", "org", "Create a user", IO{Body: org.CreateUser{}, Resp: org.User{}, Status: 201}, o.CreateUser},
		{"GET", "/api/v1/users/{id}", "user:read", "org", "Get a user (404 outside scope)", IO{Resp: org.User{}}, o.GetUser},
		{"PUT", "/api/v1/users/{id}", "user:write", "org", "Update a user", IO{Body: org.UpdateUser{}, Resp: org.User{}}, o.UpdateUser},
		{"PUT", "/api/v1/users/{id}/roles", "user:assign", "org", "Replace a user's roles", IO{Body: org.SetRoles{}, Resp: org.User{}}, o.SetUserRoles},
		{"POST", "/api/v1/users/{id}/disable", "user:write", "org", "Disable a user (ends their sessions)", IO{Body: org.VersionOnly{}, Resp: org.User{}}, o.DisableUser},
		{"POST", "/api/v1/users/{id}/enable", "user:write", "org", "Enable a user", IO{Body: org.VersionOnly{}, Resp: org.User{}}, o.EnableUser},
		{"POST", "/api/v1/users/{id}/unlock", "user:unlock", "org", "Lift a sign-in lockout", IO{Resp: org.User{}}, o.UnlockUser},
		{"POST", "/api/v1/users/{id}/password", "user:write", "org", "Reset a user's password", IO{Body: org.ResetPassword{}, Status: 204}, o.ResetPassword},

		{"GET", "/api/v1/roles", "role:read", "org", "List roles", IO{Resp: httpx.List[org.Role]{}}, o.ListRoles},
		{"POST", "/api/v1/roles", "role:write", "org", "Create a role", IO{Body: org.RoleInput{}, Resp: org.Role{}, Status: 201}, o.CreateRole},
		{"GET", "/api/v1/roles/{id}", "role:read", "org", "Get a role", IO{Resp: org.Role{}}, o.GetRole},
		{"PUT", "/api/v1/roles/{id}", "role:write", "org", "Update a role", IO{Body: org.RoleInput{}, Resp: org.Role{}}, o.UpdateRole},
		{"GET", "/api/v1/permissions", "role:read", "org", "The permission catalogue", IO{Resp: httpx.List[org.Permission]{}}, o.ListPermissions},

		{"GET", "/api/v1/dictionary/types", SignedIn, "dictionary", "Dictionary types", IO{Resp: httpx.List[dictionary.Type]{}}, d.ListTypes},
		{"GET", "/api/v1/dictionary", SignedIn, "dictionary", "Dictionary items (?type=)", IO{Query: struct {
			Type string `query:"type"`
		}{}, Resp: httpx.List[dictionary.Item]{}}, d.List},
		{"POST", "/api/v1/dictionary", "dict:write", "dictionary", "Add a dictionary item", IO{Body: dictionary.Input{}, Resp: dictionary.Item{}, Status: 201}, d.Create},
		{"PUT", "/api/v1/dictionary/{id}", "dict:write", "dictionary", "Change a dictionary item", IO{Body: dictionary.Input{}, Resp: dictionary.Item{}}, d.Update},

		{"GET", "/api/v1/audit", "audit:read", "audit", "Search the audit log", IO{Resp: httpx.List[audit.Row]{}}, a.Search},
		{"GET", "/api/v1/audit/export", "audit:read", "audit", "Export the audit log (XLSX)", nil, a.Export},
		{"GET", "/api/v1/audit/verify", "audit:read", "audit", "Verify the audit hash chain", IO{Resp: audit.VerifyResult{}}, a.Verify},
		{"GET", "/api/v1/signins", "signin:read", "audit", "Search the sign-in log", IO{Resp: httpx.List[audit.Signin]{}}, a.Signins},

		{"GET", "/api/v1/industries", SignedIn, "reference", "GB/T 4754-2017 industry codes (?q=)", IO{Resp: httpx.List[industry.Code]{}}, industry.Handler},
		{"GET", "/api/v1/regions", SignedIn, "reference", "Administrative division codes (?q=)", IO{Resp: httpx.List[region.Division]{}}, region.Handler},

		{"GET", "/api/v1/enterprises", "enterprise:read", "enterprise", "Search the target-enterprise library (q, filters, sort, exact total)", IO{Resp: httpx.List[enterprise.Enterprise]{}}, en.Search},
		{"POST", "/api/v1/enterprises", "enterprise:write", "enterprise", "Add an enterprise", IO{Body: enterprise.Input{}, Resp: enterprise.Enterprise{}, Status: 201}, en.Create},
		{"GET", "/api/v1/enterprises/top", "enterprise:read", "enterprise", "Top enterprises of an industry by a measure (行业前30强)", IO{Resp: httpx.List[enterprise.Ranked]{}}, en.Top},
		{"GET", "/api/v1/enterprises/import/template", "enterprise:write", "enterprise", "The enterprise import template (XLSX)", nil, en.Template},
		{"POST", "/api/v1/enterprises/import", "enterprise:write", "enterprise", "Import enterprises (multipart file; ?dry_run=1 previews, else 202 with a job)", IO{Multipart: []string{"file"}, Status: 202, Resp: enterprise.Job{}}, en.Import},
		{"GET", "/api/v1/enterprises/import/jobs/{id}", "enterprise:write", "enterprise", "An import job's progress and result (own jobs)", IO{Resp: enterprise.Job{}}, en.Job},
		{"GET", "/api/v1/enterprises/import/jobs/{id}/errors", "enterprise:write", "enterprise", "An import job's row-error report (XLSX)", nil, en.JobErrors},
		{"GET", "/api/v1/enterprises/{id}", "enterprise:read", "enterprise", "Get an enterprise", IO{Resp: enterprise.Enterprise{}}, en.Get},
		{"PUT", "/api/v1/enterprises/{id}", "enterprise:write", "enterprise", "Edit an enterprise (owner unit in scope)", IO{Body: enterprise.Input{}, Resp: enterprise.Enterprise{}}, en.Update},
		{"POST", "/api/v1/enterprises/{id}/archive", "enterprise:write", "enterprise", "Archive an enterprise", IO{Body: enterprise.VersionOnly{}, Resp: enterprise.Enterprise{}}, en.Archive},
		{"POST", "/api/v1/enterprises/{id}/restore", "enterprise:write", "enterprise", "Restore an archived enterprise", IO{Body: enterprise.VersionOnly{}, Resp: enterprise.Enterprise{}}, en.Restore},
		{"GET", "/api/v1/enterprises/{id}/intentions", "enterprise:read", "enterprise", "An enterprise's investment intentions", IO{Resp: httpx.List[enterprise.Intention]{}}, en.Intentions},
		{"POST", "/api/v1/enterprises/{id}/intentions", "enterprise:write", "enterprise", "Record an investment intention", IO{Body: enterprise.IntentionInput{}, Resp: enterprise.Intention{}, Status: 201}, en.AddIntention},
		{"GET", "/api/v1/enterprises/{id}/visits", "enterprise:read", "enterprise", "An enterprise's visits", IO{Resp: httpx.List[enterprise.Visit]{}}, en.Visits},
		{"POST", "/api/v1/enterprises/{id}/visits", "enterprise:write", "enterprise", "Record a visit", IO{Body: enterprise.VisitInput{}, Resp: enterprise.Visit{}, Status: 201}, en.AddVisit},
		{"GET", "/api/v1/enterprises/{id}/projects", "project:read", "enterprise", "Projects of the enterprise in scope", IO{Resp: httpx.List[enterprise.ProjectRef]{}}, en.Projects},
		{"POST", "/api/v1/enterprises/{id}/lead", "project:write", "enterprise", "Start a project lead from the enterprise", IO{Body: enterprise.LeadInput{}, Resp: project.Project{}, Status: 201}, en.StartLead},

		{"GET", "/api/v1/chains", "enterprise:read", "chain", "Industry chains", IO{Resp: httpx.List[chain.Chain]{}}, ch.List},
		{"POST", "/api/v1/chains", "chain:write", "chain", "Add a chain", IO{Body: chain.ChainInput{}, Resp: chain.Chain{}, Status: 201}, ch.Create},
		{"GET", "/api/v1/chains/{id}", "enterprise:read", "chain", "A chain with its segments and links", IO{Resp: chain.Chain{}}, ch.Get},
		{"PUT", "/api/v1/chains/{id}", "chain:write", "chain", "Rename a chain", IO{Body: chain.ChainInput{}, Resp: chain.Chain{}}, ch.Update},
		{"POST", "/api/v1/chains/{id}/nodes", "chain:write", "chain", "Add a segment or link", IO{Body: chain.NodeInput{}, Resp: chain.Node{}, Status: 201}, ch.AddNode},
		{"GET", "/api/v1/chains/{id}/map", "enterprise:read", "chain", "The chain map: enterprises and projects on each link, gaps", IO{Resp: chain.Map{}}, ch.Map},
		{"PUT", "/api/v1/chain-nodes/{id}", "chain:write", "chain", "Change a segment or link", IO{Body: chain.NodeInput{}, Resp: chain.Node{}}, ch.UpdateNode},
		{"DELETE", "/api/v1/chain-nodes/{id}", "chain:write", "chain", "Remove an empty link", IO{Status: 204}, ch.DeleteNode},
		{"GET", "/api/v1/chain-nodes/{id}/recommendations", "enterprise:read", "chain", "Recommended target enterprises for a link, with score parts", IO{Resp: chain.Recommendations{}}, ch.Recommend},
		{"GET", "/api/v1/projects/{id}/chain-links", "project:read", "chain", "The chain links a project is placed on", IO{Resp: httpx.List[chain.Node]{}}, ch.ProjectLinks},
		{"PUT", "/api/v1/projects/{id}/chain-links", "project:write", "chain", "Place a project on chain links", IO{Body: chain.LinksInput{}, Resp: httpx.List[chain.Node]{}}, ch.SetProjectLinks},

		{"GET", "/api/v1/projects", "project:read", "project", "List projects in scope", IO{Query: projectQuery{}, Resp: httpx.List[project.Project]{}}, p.List},
		{"GET", "/api/v1/projects/export", "project:read", "project", "Export the filtered list (XLSX)", IO{Query: projectQuery{}}, p.Export},
		{"GET", "/api/v1/projects/import/template", "project:write", "project", "The ledger import template (XLSX)", nil, p.Template},
		{"POST", "/api/v1/projects/import", "project:write", "project", "Import a ledger (multipart file; ?mode=all_or_nothing|valid_only, ?dry_run=1 previews)", IO{Query: ledgerImportQuery{}, Multipart: []string{"file"}, Resp: project.CappedResult{}}, p.Import},
		{"POST", "/api/v1/projects/verify", "project:verify", "project", "Verify several pending imported projects at once (all or none; each audited)", IO{Body: project.BulkVerify{}, Resp: project.BulkVerified{}}, p.VerifyAll},
		{"POST", "/api/v1/projects/{id}/verify", "project:verify", "project", "Verify a pending imported project (its agreement, or a reason for history before the first open month)", IO{Body: project.VerifyInput{}, Resp: project.Project{}}, p.Verify},
		{"GET", "/api/v1/assignments", "project:read", "project", "Open requests, approval steps and hand-overs assigned to the caller's unit (and below), with the project facts they need (?kind=)", IO{Resp: httpx.List[project.Assignment]{}}, p.Assignments},
		{"POST", "/api/v1/projects/duplicates", "project:write", "project", "Check for duplicates before registering", IO{Body: project.DuplicateQuery{}, Resp: httpx.List[project.Duplicate]{}}, p.Duplicates},
		{"POST", "/api/v1/projects", "project:write", "project", "Register a project", IO{Body: project.Input{}, Resp: project.Project{}, Status: 201}, p.Create},
		{"GET", "/api/v1/projects/{id}", "project:read", "project", "Get a project with its warnings", IO{Resp: project.Project{}}, p.Get},
		{"PUT", "/api/v1/projects/{id}", "project:write", "project", "Edit a project", IO{Body: project.Input{}, Resp: project.Project{}}, p.Update},
		{"POST", "/api/v1/projects/{id}/transitions", "project:write", "project", "Move a project between stages", IO{Body: project.Transition{}, Resp: project.Project{}}, p.Move},
		{"POST", "/api/v1/projects/{id}/merge", "project:write", "project", "Merge a duplicate into another project", IO{Body: project.Merge{}, Resp: project.Project{}}, p.Merge},
		{"GET", "/api/v1/projects/{id}/timeline", "project:read", "project", "A project's timeline", IO{Resp: httpx.List[project.TimelineItem]{}}, p.Timeline},
		{"GET", "/api/v1/projects/{id}/attachments", "project:read", "project", "A project's attachments", IO{Resp: httpx.List[project.Attachment]{}}, p.Attachments},
		{"POST", "/api/v1/projects/{id}/attachments", "project:write", "project", "Upload an attachment (multipart: file, kind)", IO{Multipart: []string{"file", "kind"}, Status: 201, Resp: project.Attachment{}}, p.Upload},
		{"GET", "/api/v1/attachments/{id}", "project:read", "project", "Download an attachment", nil, p.Download},
		{"POST", "/api/v1/projects/{id}/handover", "project:write", "project", "Hand a project over to a locality", IO{Body: project.HandoverInput{}, Resp: project.Project{}}, p.HandOver},
		{"POST", "/api/v1/projects/{id}/handover/accept", "project:accept", "project", "Accept a hand-over", IO{Body: project.Decision{}, Resp: project.Project{}}, p.Accept},
		{"POST", "/api/v1/projects/{id}/handover/decline", "project:accept", "project", "Decline a hand-over", IO{Body: project.Decision{}, Resp: project.Project{}}, p.Decline},
		{"GET", "/api/v1/projects/{id}/tracking-records", "project:read", "project", "A project's tracking records", IO{Resp: httpx.List[project.TrackingRecord]{}}, p.TrackingRecords},
		{"POST", "/api/v1/projects/{id}/tracking-records", "project:write", "project", "Add a tracking record", IO{Body: project.TrackingInput{}, Resp: project.TrackingRecord{}, Status: 201}, p.Track},
		{"GET", "/api/v1/projects/{id}/requests", "project:read", "project", "A project's enterprise requests", IO{Resp: httpx.List[project.Request]{}}, p.Requests},
		{"POST", "/api/v1/projects/{id}/requests", "project:write", "project", "Log an enterprise request", IO{Body: project.RequestInput{}, Resp: project.Request{}, Status: 201}, p.AddRequest},
		{"POST", "/api/v1/requests/{id}/resolve", "project:write", "project", "Resolve an enterprise request", IO{Body: project.Resolve{}, Resp: project.Request{}}, p.ResolveRequest},
		{"GET", "/api/v1/projects/{id}/approvals", "project:read", "project", "A project's approval steps", IO{Resp: httpx.List[project.Approval]{}}, p.Approvals},
		{"POST", "/api/v1/projects/{id}/approvals", "project:write", "project", "Record an approval step", IO{Body: project.ApprovalInput{}, Resp: project.Approval{}, Status: 201}, p.AddApproval},
		{"PUT", "/api/v1/approvals/{id}", "project:write", "project", "Update an approval step", IO{Body: project.ApprovalInput{}, Resp: project.Approval{}}, p.UpdateApproval},
		{"GET", "/api/v1/parcels", "project:read", "project", "Land parcels in scope (?park_unit_id, ?status, ?project_id)", IO{Resp: httpx.List[project.Parcel]{}}, p.ListParcels},
		{"POST", "/api/v1/parcels", "parcel:write", "project", "Register a land parcel", IO{Body: project.ParcelInput{}, Resp: project.Parcel{}, Status: 201}, p.CreateParcel},
		{"POST", "/api/v1/parcels/{id}/actions", "parcel:write", "project", "Reserve, supply or release a parcel", IO{Body: project.ParcelAction{}, Resp: project.Parcel{}}, p.ActOnParcel},
		{"GET", "/api/v1/warnings", "project:read", "project", "Warnings in scope (?rule=)", IO{Query: warningQuery{}, Resp: httpx.List[project.Warning]{}}, p.Warnings},
		{"GET", "/api/v1/settings/warnings", SignedIn, "project", "Warning thresholds", IO{Resp: project.WarningSettings{}}, p.GetSettings},
		{"PUT", "/api/v1/settings/warnings", "setting:write", "project", "Change warning thresholds", IO{Body: project.WarningSettings{}, Resp: project.WarningSettings{}}, p.PutSettings},

		{"GET", "/api/v1/stats/rules", "stats:read", "assess", "A year's counting rules, in words (?year=; versioned by year)", IO{Resp: assess.RulesAnswer{}}, st.GetRules},
		{"PUT", "/api/v1/stats/rules", "target:write", "assess", "Change a year's counting rules (body year)", IO{Body: assess.Rules{}, Resp: assess.Rules{}}, st.PutRules},
		{"GET", "/api/v1/targets", "stats:read", "assess", "A year's targets (?year=)", IO{Resp: assess.TargetSet{}}, st.GetTargets},
		{"PUT", "/api/v1/targets", "target:write", "assess", "Set a year's targets", IO{Body: assess.TargetSet{}, Resp: assess.TargetSet{}}, st.PutTargets},
		{"GET", "/api/v1/targets/xlsx", "stats:read", "assess", "A year's targets as the XLSX sheet to fill in (?year=)", IO{Query: yearQuery{}}, st.TargetsXLSX},
		{"POST", "/api/v1/targets/import", "target:write", "assess", "Import a year's targets from that sheet (multipart file; all or nothing)", IO{Query: yearQuery{}, Multipart: []string{"file"}, Resp: assess.TargetSet{}}, st.ImportTargets},
		{"GET", "/api/v1/stats/monthly/{period}", "stats:read", "assess", "Monthly statistics (YYYY-MM), scoped", IO{Resp: assess.Report{}}, st.Monthly},
		{"GET", "/api/v1/stats/monthly/{period}/xlsx", "stats:read", "assess", "Monthly statistics as XLSX", nil, st.MonthlyXLSX},
		{"GET", "/api/v1/stats/monthly/{period}/rows", "stats:read", "assess", "The project rows behind a figure (?unit_id=, ?ytd=1, ?area_id=)", IO{Query: rowsQuery{}, Resp: httpx.List[assess.Credit]{}}, st.Rows},
		{"GET", "/api/v1/stats/progress", "stats:read", "assess", "Statistics and target progress of the year to any day (?as_of=YYYY-MM-DD), scoped", IO{Resp: assess.Report{}}, st.Progress},
		{"GET", "/api/v1/stats/progress/xlsx", "stats:read", "assess", "The same as XLSX", nil, st.ProgressXLSX},
		{"GET", "/api/v1/periods", "stats:read", "assess", "Closed and reopened months", IO{Resp: httpx.List[assess.CloseInfo]{}}, st.Closes},
		{"POST", "/api/v1/periods/{period}/close", "period:close", "assess", "Close a month (freezes its figures and rows)", IO{Resp: assess.Report{}}, st.Close},
		{"POST", "/api/v1/periods/{period}/reopen", "period:reopen", "assess", "Reopen the last closed month", IO{Body: assess.ReopenInput{}, Status: 204}, st.Reopen},
		{"GET", "/api/v1/projects/{id}/evaluations", "project:read", "evaluation", "A project's screenings", IO{Resp: httpx.List[evaluation.Evaluation]{}}, ev.ForProject},
		{"POST", "/api/v1/projects/{id}/evaluations", "evaluation:write", "evaluation", "Start a screening", IO{Body: evaluation.Input{}, Resp: evaluation.Evaluation{}, Status: 201}, ev.Create},
		{"GET", "/api/v1/evaluations/summary", "project:read", "evaluation", "Screenings across projects in scope: verdicts by park and industry, failed rules, shortfalls", IO{Resp: evaluation.Summary{}}, ev.Summary},
		{"GET", "/api/v1/evaluations/{id}", "project:read", "evaluation", "A screening with its results", IO{Resp: evaluation.Evaluation{}}, ev.Get},
		{"GET", "/api/v1/evaluations/{id}/docx", "project:read", "evaluation", "The screening report (DOCX)", nil, ev.DOCX},
		{"PUT", "/api/v1/evaluations/{id}", "evaluation:write", "evaluation", "Revise a draft or returned screening", IO{Body: evaluation.Input{}, Resp: evaluation.Evaluation{}}, ev.Revise},
		{"POST", "/api/v1/evaluations/{id}/submit", "evaluation:write", "evaluation", "Submit a screening for review", IO{Body: evaluation.Step{}, Resp: evaluation.Evaluation{}}, ev.Submit()},
		{"POST", "/api/v1/evaluations/{id}/review", "evaluation:review", "evaluation", "Review a screening (checklist answers, conditions)", IO{Body: evaluation.Step{}, Resp: evaluation.Evaluation{}}, ev.Review()},
		{"POST", "/api/v1/evaluations/{id}/approve", "evaluation:approve", "evaluation", "Approve a reviewed screening", IO{Body: evaluation.Step{}, Resp: evaluation.Evaluation{}}, ev.Approve()},
		{"POST", "/api/v1/evaluations/{id}/return", "evaluation:review", "evaluation", "Return a screening for revision", IO{Body: evaluation.Step{}, Resp: evaluation.Evaluation{}}, ev.Return()},
		{"GET", "/api/v1/baselines", "project:read", "evaluation", "Baseline rule sets, every version", IO{Resp: httpx.List[evaluation.BaselineSet]{}}, ev.Sets},
		{"POST", "/api/v1/baselines", "baseline:write", "evaluation", "Add a baseline rule set version", IO{Body: evaluation.BaselineSet{}, Resp: evaluation.BaselineSet{}, Status: 201}, ev.CreateSet},
		{"GET", "/api/v1/settings/screening-gate", SignedIn, "evaluation", "Whether signing requires an approved screening", IO{Resp: evaluation.GateSetting{}}, ev.GetGate},
		{"PUT", "/api/v1/settings/screening-gate", "setting:write", "evaluation", "Make the signing gate a requirement or a warning", IO{Body: evaluation.GateSetting{}, Resp: evaluation.GateSetting{}}, ev.PutGate},
		{"GET", "/api/v1/negative-list", "project:read", "evaluation", "The foreign-investment negative list", IO{Resp: httpx.List[evaluation.NegativeItem]{}}, ev.NegativeList},
		{"PUT", "/api/v1/negative-list/{id}", "baseline:write", "evaluation", "Correct a negative-list item", IO{Body: evaluation.NegativeItem{}, Resp: evaluation.NegativeItem{}}, ev.UpdateNegative},
		{"GET", "/api/v1/stats/ranking", "stats:read", "assess", "Quarterly rankings (?year=&quarter=)", IO{Query: quarterQuery{}, Resp: assess.Ranking{}}, st.Ranking},
		{"GET", "/api/v1/stats/bulletin/docx", "stats:read", "assess", "The quarterly bulletin as DOCX (?year=&quarter=; scope all)", nil, st.BulletinDOCX},
		{"GET", "/api/v1/stats/annual", "stats:read", "assess", "The annual evaluation: scores, ranks and the R15 lists (?year=&quarter=; scope all)", IO{Resp: assess.Annual{}}, st.AnnualJSON},
		{"GET", "/api/v1/stats/annual/docx", "stats:read", "assess", "The annual evaluation as DOCX (?year=; scope all); the published bytes once published", nil, st.AnnualDOCX},
		{"POST", "/api/v1/stats/annual/{year}/publish", "period:close", "assess", "Publish (freeze) a year's evaluation; December must be closed", IO{Resp: assess.Annual{}}, st.PublishAnnual},
		{"POST", "/api/v1/stats/annual/{year}/reopen", "period:reopen", "assess", "Reopen a published evaluation (with a reason)", IO{Body: assess.ReopenInput{}, Status: 204}, st.ReopenAnnual},
		{"GET", "/api/v1/cockpit", "stats:read", "assess", "The cockpit's figures (?year=), for the city or the caller's unit", IO{Query: yearQuery{}, Resp: assess.Cockpit{}}, st.CockpitJSON},
		{"GET", "/api/v1/cockpit/pipeline", "stats:read", "assess", "The projects the forecast counts, each with its rate (?year=), scoped", IO{Resp: httpx.List[assess.PipelineRow]{}}, st.PipelineJSON},
		{"GET", "/api/v1/cockpit/history", "stats:read", "assess", "The projects behind a forecast rate (?basis=lead|negotiating|overdue), scoped", IO{Resp: assess.HistoryAnswer{}}, st.HistoryJSON},
		{"GET", "/api/v1/cockpit/map", "stats:read", "assess", "The city's map (GeoJSON of its counties)", nil, st.Map},
		{"GET", "/api/v1/stats/scheme", "stats:read", "assess", "A year's scoring scheme (?year=; versioned by year)", IO{Resp: assess.Scheme{}}, st.GetScheme},
		{"PUT", "/api/v1/stats/scheme", "target:write", "assess", "Change a year's scoring scheme (body year; refused once the year is published)", IO{Body: assess.Scheme{}, Resp: assess.Scheme{}}, st.PutScheme},

		{"GET", "/api/v1/campaigns", "campaign:read", "campaign", "List campaigns (?q, ?kind, ?year) with their results in scope", IO{Query: campaignQuery{}, Resp: httpx.List[campaign.Campaign]{}}, c.List},
		{"POST", "/api/v1/campaigns", "campaign:write", "campaign", "Register a campaign", IO{Body: campaign.Input{}, Resp: campaign.Campaign{}, Status: 201}, c.Create},
		{"GET", "/api/v1/campaigns/report", "campaign:read", "campaign", "Compare channels, campaigns, source regions or offices away (?by, ?from, ?to on lead dates), scoped", IO{Resp: campaign.Report{}}, c.Report},
		{"GET", "/api/v1/campaigns/report/xlsx", "campaign:read", "campaign", "The comparison report as XLSX (same parameters)", nil, c.ReportXLSX},
		{"GET", "/api/v1/campaigns/{id}", "campaign:read", "campaign", "A campaign with its results funnel in scope", IO{Resp: campaign.Campaign{}}, c.Get},
		{"PUT", "/api/v1/campaigns/{id}", "campaign:write", "campaign", "Edit a campaign (organiser in scope)", IO{Body: campaign.Input{}, Resp: campaign.Campaign{}}, c.Update},
		{"GET", "/api/v1/campaigns/{id}/projects", "campaign:read", "campaign", "The projects of a campaign in scope", IO{Resp: httpx.List[campaign.ProjectRow]{}}, c.Projects},
		{"POST", "/api/v1/campaigns/{id}/projects", "project:write", "campaign", "Attach a project in scope (a lead met there) to a campaign", IO{Body: campaign.LinkInput{}, Resp: project.Project{}}, c.Link},

		{"GET", "/api/v1/notices", "notice:read", "notice", "Notices received (?box=inbox, ?unread=1) or sent from units in scope (?box=sent)", IO{Query: noticeQuery{}, Resp: httpx.List[notice.Notice]{}}, n.List},
		{"POST", "/api/v1/notices", "notice:write", "notice", "Send a notice from the caller's unit to units", IO{Body: notice.Input{}, Resp: notice.Notice{}, Status: 201}, n.Send},
		{"GET", "/api/v1/notices/{id}", "notice:read", "notice", "A notice received or sent (404 otherwise)", IO{Resp: notice.Notice{}}, n.Get},
		{"POST", "/api/v1/notices/{id}/read", "notice:read", "notice", "Mark a received notice read (the read receipt)", IO{Resp: notice.Notice{}}, n.Read},
		{"GET", "/api/v1/notices/{id}/receipts", "notice:read", "notice", "Who read a notice sent from a unit in scope, and when", IO{Resp: httpx.List[notice.Receipt]{}}, n.Receipts},
		{"GET", "/api/v1/feedback-reports", "notice:read", "notice", "Monthly feedback reports in scope (?period=YYYY-MM)", IO{Resp: httpx.List[notice.Report]{}}, n.Reports},
		{"POST", "/api/v1/feedback-reports", "feedback:write", "notice", "Submit a unit's monthly feedback report", IO{Body: notice.ReportInput{}, Resp: notice.Report{}, Status: 201}, n.Submit},
		{"PUT", "/api/v1/feedback-reports/{id}", "feedback:write", "notice", "Revise a feedback report", IO{Body: notice.ReportInput{}, Resp: notice.Report{}}, n.Revise},
		{"GET", "/api/v1/feedback-reports/status", "notice:read", "notice", "A month's expected reporters in scope: on time, late, missing, pending (?period=YYYY-MM)", IO{Resp: notice.Status{}}, n.Status},
		{"GET", "/api/v1/settings/feedback", "notice:read", "notice", "The feedback schedule (due day, reporting unit kinds)", IO{Resp: notice.Schedule{}}, n.GetSchedule},
		{"PUT", "/api/v1/settings/feedback", "notice:write", "notice", "Change the feedback schedule", IO{Body: notice.Schedule{}, Resp: notice.Schedule{}}, n.PutSchedule},

		{"GET", "/api/v1/advisors", "network:read", "network", "Advisors (?q) with the projects each referred in scope", IO{Resp: httpx.List[network.Advisor]{}}, w.Advisors},
		{"POST", "/api/v1/advisors", "network:write", "network", "Appoint an advisor", IO{Body: network.AdvisorInput{}, Resp: network.Advisor{}, Status: 201}, w.CreateAdvisor},
		{"PUT", "/api/v1/advisors/{id}", "network:write", "network", "Edit or renew an advisor", IO{Body: network.AdvisorInput{}, Resp: network.Advisor{}}, w.UpdateAdvisor},
		{"GET", "/api/v1/partners", "network:read", "network", "Partner organisations (?q) with the projects each referred in scope", IO{Resp: httpx.List[network.Partner]{}}, w.Partners},
		{"POST", "/api/v1/partners", "network:write", "network", "Register a partner organisation", IO{Body: network.PartnerInput{}, Resp: network.Partner{}, Status: 201}, w.CreatePartner},
		{"PUT", "/api/v1/partners/{id}", "network:write", "network", "Edit a partner organisation", IO{Body: network.PartnerInput{}, Resp: network.Partner{}}, w.UpdatePartner},
		{"GET", "/api/v1/referral-rewards", "network:read", "network", "Referral rewards under the rule in force, projects in scope (?from, ?to); computed, never paid", IO{Resp: network.RewardReport{}}, w.Rewards},
		{"GET", "/api/v1/settings/referral-reward", "network:read", "network", "The referral-reward rule", IO{Resp: network.RewardRule{}}, w.GetRewardRule},
		{"PUT", "/api/v1/settings/referral-reward", "network:write", "network", "Change the referral-reward rule", IO{Body: network.RewardRule{}, Resp: network.RewardRule{}}, w.PutRewardRule},
		{"GET", "/api/v1/intelligence", "network:read", "network", "Search the intelligence feed (?q, ?region, ?enterprise_id, ?from, ?to)", IO{Resp: httpx.List[network.Item]{}}, w.Items},
		{"POST", "/api/v1/intelligence", "network:write", "network", "Add an intelligence item", IO{Body: network.ItemInput{}, Resp: network.Item{}, Status: 201}, w.CreateItem},
		{"PUT", "/api/v1/intelligence/{id}", "network:write", "network", "Edit an intelligence item", IO{Body: network.ItemInput{}, Resp: network.Item{}}, w.UpdateItem},
		{"POST", "/api/v1/intelligence/import", "network:write", "network", "Import intelligence from CSV (multipart file; valid rows kept, refused rows listed)", IO{Multipart: []string{"file"}, Resp: network.ImportResult{}}, w.ImportItems},
		{"GET", "/api/v1/staff", "network:read", "network", "Promotion staff of units in scope (?unit_id, ?kind)", IO{Resp: httpx.List[network.Staff]{}}, w.StaffList},
		{"POST", "/api/v1/staff", "network:write", "network", "Add a staff member to a unit in scope", IO{Body: network.StaffInput{}, Resp: network.Staff{}, Status: 201}, w.CreateStaff},
		{"PUT", "/api/v1/staff/{id}", "network:write", "network", "Edit a staff member (unit in scope)", IO{Body: network.StaffInput{}, Resp: network.Staff{}}, w.UpdateStaff},
		{"GET", "/api/v1/trainings", "network:read", "network", "Training sessions and who attended", IO{Resp: httpx.List[network.Training]{}}, w.Trainings},
		{"POST", "/api/v1/trainings", "network:write", "network", "Record a training session", IO{Body: network.TrainingInput{}, Resp: network.Training{}, Status: 201}, w.CreateTraining},
		{"PUT", "/api/v1/trainings/{id}", "network:write", "network", "Edit a training session (organiser in scope)", IO{Body: network.TrainingInput{}, Resp: network.Training{}}, w.UpdateTraining},

		{"GET", "/api/v1/reports/province", "project:read", "project", "Signed projects for the province's return (?from, ?to signing dates; ?format=xlsx|csv), scoped", nil, pr.Report},
		{"GET", "/api/v1/webhooks", "setting:write", "system", "List webhook subscriptions (secrets never shown)", IO{Resp: httpx.List[webhook.Subscription]{}}, wh.List},
		{"POST", "/api/v1/webhooks", "setting:write", "system", "Add a webhook subscription", IO{Body: webhook.Input{}, Resp: webhook.Subscription{}, Status: 201}, wh.Create},
		{"GET", "/api/v1/webhooks/events", "setting:write", "system", "The events and formats a subscription can choose", IO{Resp: webhook.EventCatalogue{}}, wh.EventList},
		{"GET", "/api/v1/webhooks/deliveries", "setting:write", "system", "The delivery log, newest first (?subscription_id, ?status, paged)", IO{Resp: httpx.List[webhook.Delivery]{}}, wh.Deliveries},
		{"PUT", "/api/v1/webhooks/{id}", "setting:write", "system", "Change a webhook subscription (empty secret keeps it)", IO{Body: webhook.Input{}, Resp: webhook.Subscription{}}, wh.Update},
		{"DELETE", "/api/v1/webhooks/{id}", "setting:write", "system", "Delete a webhook subscription with its delivery log", IO{Status: 204}, wh.Delete},
		{"POST", "/api/v1/webhooks/{id}/test", "setting:write", "system", "Send a test message now and answer its delivery", IO{Resp: webhook.Delivery{}}, wh.SendTest},

		{"POST", "/api/v1/auth/totp", SignedIn, "auth", "Complete a sign-in with the TOTP code or a recovery code (new cookie)", IO{Body: auth.SecondFactor{}, Resp: auth.SessionInfo{}}, au.VerifyTOTP},
		{"POST", "/api/v1/me/totp", SignedIn, "auth", "Start enrolling a TOTP second factor: a new secret and its QR code", IO{Resp: auth.Enrolment{}}, au.StartTOTP},
		{"POST", "/api/v1/me/totp/confirm", SignedIn, "auth", "Confirm the enrolment with a first code; answers the recovery codes (once)", IO{Body: auth.SecondFactor{}, Resp: auth.RecoveryCodes{}}, au.ConfirmTOTP},
		{"POST", "/api/v1/me/totp/disable", SignedIn, "auth", "Turn the own second factor off with a current code (refused where required)", IO{Body: auth.SecondFactor{}, Status: 204}, au.DisableTOTP},
		{"POST", "/api/v1/users/{id}/totp/reset", "user:unlock", "org", "Clear a user's second factor (lost phone); ends their sessions", IO{Status: 204}, au.ResetTOTP},
		{"POST", "/api/v1/users/{id}/sessions/end", "user:unlock", "org", "End every session of a user now", IO{Resp: endedAnswer{}}, au.EndSessions},
		{"GET", "/api/v1/settings/security", auth.PermSecurityPolicy, "auth", "The security policy (second factor for all, password age, session cap)", IO{Resp: auth.Policy{}}, au.GetPolicy},
		{"PUT", "/api/v1/settings/security", auth.PermSecurityPolicy, "auth", "Change the security policy", IO{Body: auth.Policy{}, Resp: auth.Policy{}}, au.PutPolicy},
		{"GET", "/api/v1/users/{id}/personal", org.PermPersonalData, "org", "A user's phone and e-mail in full (404 outside scope; each view audited)", IO{Resp: org.Contact{}}, o.PersonalData},
		{"GET", "/api/v1/advisors/{id}/contact", org.PermPersonalData, "network", "An advisor's contact line in full (each view audited)", IO{Resp: network.FullContact{}}, w.AdvisorContact},
		{"GET", "/api/v1/partners/{id}/contact", org.PermPersonalData, "network", "A partner's contact line in full (each view audited)", IO{Resp: network.FullContact{}}, w.PartnerContact},
		{"GET", "/api/v1/staff/{id}/contact", org.PermPersonalData, "network", "A staff member's contact line in full (unit in scope; each view audited)", IO{Resp: network.FullContact{}}, w.StaffContact},
	}
}
