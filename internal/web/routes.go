package web

import (
	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/region"
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
	return append([]Route{
		{"GET", "/healthz", Public, "system", "Health check: 200 when the database answers", nil, s.healthz},
		{"GET", "/livez", Public, "system", "Liveness: 200 while the process serves HTTP (asks nothing of the database)", nil, s.livez},
		{"GET", "/readyz", Public, "system", "Readiness: 200 when the database takes a commit, the schema is current, disk is free and the mirror and index are loaded; 503 naming each failed check", nil, s.readyz},
		{"GET", "/metrics", Public, "system", "Prometheus metrics: requests by route and status, latencies, DB pool, mirror lag, backups", nil, s.serveMetrics},
		{"GET", "/api/v1/openapi.json", Public, "system", "This OpenAPI document", nil, s.openapi},

		{"POST", "/api/v1/auth/login", Public, "auth", "Sign in with username and password", auth.Credentials{}, au.Login},
		{"POST", "/api/v1/auth/logout", SignedIn, "auth", "Sign out (ends the session)", nil, au.Logout},
		{"GET", "/api/v1/auth/me", SignedIn, "auth", "The signed-in user, permissions and CSRF token", nil, au.Me},
		{"PUT", "/api/v1/me/password", SignedIn, "auth", "Change own password (ends other sessions)", auth.ChangePassword{}, au.ChangePassword},
		{"GET", "/api/v1/me/tokens", SignedIn, "auth", "List own API tokens", nil, au.ListTokens},
		{"POST", "/api/v1/me/tokens", SignedIn, "auth", "Create an API token (shown once)", auth.CreateToken{}, au.CreateToken},
		{"DELETE", "/api/v1/me/tokens/{id}", SignedIn, "auth", "Revoke an own API token", nil, au.RevokeToken},

		{"GET", "/api/v1/units", "unit:read", "org", "List units (now, or as of a date)", nil, o.ListUnits},
		{"POST", "/api/v1/units", "unit:write", "org", "Create a unit", org.CreateUnit{}, o.CreateUnit},
		{"GET", "/api/v1/units/{id}", "unit:read", "org", "Get a unit", nil, o.GetUnit},
		{"PUT", "/api/v1/units/{id}", "unit:write", "org", "Rename a unit (effective on a date)", org.RenameUnit{}, o.RenameUnit},
		{"POST", "/api/v1/units/{id}/move", "unit:write", "org", "Move a unit under another parent", org.MoveUnit{}, o.MoveUnit},
		{"POST", "/api/v1/units/{id}/close", "unit:write", "org", "Close a unit", org.CloseUnit{}, o.CloseUnit},
		{"GET", "/api/v1/units/{id}/history", "unit:read", "org", "A unit's history", nil, o.UnitHistory},

		{"GET", "/api/v1/users", "user:read", "org", "List users in scope", nil, o.ListUsers},
		{"POST", "/api/v1/users", "user:write", "org", "Create a user", org.CreateUser{}, o.CreateUser},
		{"GET", "/api/v1/users/{id}", "user:read", "org", "Get a user (404 outside scope)", nil, o.GetUser},
		{"PUT", "/api/v1/users/{id}", "user:write", "org", "Update a user", org.UpdateUser{}, o.UpdateUser},
		{"PUT", "/api/v1/users/{id}/roles", "user:assign", "org", "Replace a user's roles", org.SetRoles{}, o.SetUserRoles},
		{"POST", "/api/v1/users/{id}/disable", "user:write", "org", "Disable a user (ends their sessions)", org.VersionOnly{}, o.DisableUser},
		{"POST", "/api/v1/users/{id}/enable", "user:write", "org", "Enable a user", org.VersionOnly{}, o.EnableUser},
		{"POST", "/api/v1/users/{id}/unlock", "user:unlock", "org", "Lift a sign-in lockout", nil, o.UnlockUser},
		{"POST", "/api/v1/users/{id}/password", "user:write", "org", "Reset a user's password", org.ResetPassword{}, o.ResetPassword},

		{"GET", "/api/v1/roles", "role:read", "org", "List roles", nil, o.ListRoles},
		{"POST", "/api/v1/roles", "role:write", "org", "Create a role", org.RoleInput{}, o.CreateRole},
		{"GET", "/api/v1/roles/{id}", "role:read", "org", "Get a role", nil, o.GetRole},
		{"PUT", "/api/v1/roles/{id}", "role:write", "org", "Update a role", org.RoleInput{}, o.UpdateRole},
		{"GET", "/api/v1/permissions", "role:read", "org", "The permission catalogue", nil, o.ListPermissions},

		{"GET", "/api/v1/dictionary/types", SignedIn, "dictionary", "Dictionary types", nil, d.ListTypes},
		{"GET", "/api/v1/dictionary", SignedIn, "dictionary", "Dictionary items (?type=)", nil, d.List},
		{"POST", "/api/v1/dictionary", "dict:write", "dictionary", "Add a dictionary item", dictionary.Input{}, d.Create},
		{"PUT", "/api/v1/dictionary/{id}", "dict:write", "dictionary", "Change a dictionary item", dictionary.Input{}, d.Update},

		{"GET", "/api/v1/audit", "audit:read", "audit", "Search the audit log", nil, a.Search},
		{"GET", "/api/v1/audit/export", "audit:read", "audit", "Export the audit log (XLSX)", nil, a.Export},
		{"GET", "/api/v1/audit/verify", "audit:read", "audit", "Verify the audit hash chain", nil, a.Verify},
		{"GET", "/api/v1/signins", "signin:read", "audit", "Search the sign-in log", nil, a.Signins},

		{"GET", "/api/v1/industries", SignedIn, "reference", "GB/T 4754-2017 industry codes (?q=)", nil, industry.Handler},
		{"GET", "/api/v1/regions", SignedIn, "reference", "Administrative division codes (?q=)", nil, region.Handler},

		{"GET", "/api/v1/enterprises", "enterprise:read", "enterprise", "Search the target-enterprise library (q, filters, sort, exact total)", nil, en.Search},
		{"POST", "/api/v1/enterprises", "enterprise:write", "enterprise", "Add an enterprise", enterprise.Input{}, en.Create},
		{"GET", "/api/v1/enterprises/top", "enterprise:read", "enterprise", "Top enterprises of an industry by a measure (行业前30强)", nil, en.Top},
		{"GET", "/api/v1/enterprises/import/template", "enterprise:write", "enterprise", "The enterprise import template (XLSX)", nil, en.Template},
		{"POST", "/api/v1/enterprises/import", "enterprise:write", "enterprise", "Import enterprises (multipart file; ?dry_run=1 previews, else 202 with a job)", nil, en.Import},
		{"GET", "/api/v1/enterprises/import/jobs/{id}", "enterprise:write", "enterprise", "An import job's progress and result (own jobs)", nil, en.Job},
		{"GET", "/api/v1/enterprises/import/jobs/{id}/errors", "enterprise:write", "enterprise", "An import job's row-error report (XLSX)", nil, en.JobErrors},
		{"GET", "/api/v1/enterprises/{id}", "enterprise:read", "enterprise", "Get an enterprise", nil, en.Get},
		{"PUT", "/api/v1/enterprises/{id}", "enterprise:write", "enterprise", "Edit an enterprise (owner unit in scope)", enterprise.Input{}, en.Update},
		{"POST", "/api/v1/enterprises/{id}/archive", "enterprise:write", "enterprise", "Archive an enterprise", enterprise.VersionOnly{}, en.Archive},
		{"POST", "/api/v1/enterprises/{id}/restore", "enterprise:write", "enterprise", "Restore an archived enterprise", enterprise.VersionOnly{}, en.Restore},
		{"GET", "/api/v1/enterprises/{id}/intentions", "enterprise:read", "enterprise", "An enterprise's investment intentions", nil, en.Intentions},
		{"POST", "/api/v1/enterprises/{id}/intentions", "enterprise:write", "enterprise", "Record an investment intention", enterprise.IntentionInput{}, en.AddIntention},
		{"GET", "/api/v1/enterprises/{id}/visits", "enterprise:read", "enterprise", "An enterprise's visits", nil, en.Visits},
		{"POST", "/api/v1/enterprises/{id}/visits", "enterprise:write", "enterprise", "Record a visit", enterprise.VisitInput{}, en.AddVisit},
		{"GET", "/api/v1/enterprises/{id}/projects", "project:read", "enterprise", "Projects of the enterprise in scope", nil, en.Projects},
		{"POST", "/api/v1/enterprises/{id}/lead", "project:write", "enterprise", "Start a project lead from the enterprise", enterprise.LeadInput{}, en.StartLead},

		{"GET", "/api/v1/chains", "enterprise:read", "chain", "Industry chains", nil, ch.List},
		{"POST", "/api/v1/chains", "chain:write", "chain", "Add a chain", chain.ChainInput{}, ch.Create},
		{"GET", "/api/v1/chains/{id}", "enterprise:read", "chain", "A chain with its segments and links", nil, ch.Get},
		{"PUT", "/api/v1/chains/{id}", "chain:write", "chain", "Rename a chain", chain.ChainInput{}, ch.Update},
		{"POST", "/api/v1/chains/{id}/nodes", "chain:write", "chain", "Add a segment or link", chain.NodeInput{}, ch.AddNode},
		{"GET", "/api/v1/chains/{id}/map", "enterprise:read", "chain", "The chain map: enterprises and projects on each link, gaps", nil, ch.Map},
		{"PUT", "/api/v1/chain-nodes/{id}", "chain:write", "chain", "Change a segment or link", chain.NodeInput{}, ch.UpdateNode},
		{"DELETE", "/api/v1/chain-nodes/{id}", "chain:write", "chain", "Remove an empty link", nil, ch.DeleteNode},
		{"GET", "/api/v1/chain-nodes/{id}/recommendations", "enterprise:read", "chain", "Recommended target enterprises for a link, with score parts", nil, ch.Recommend},
		{"GET", "/api/v1/projects/{id}/chain-links", "project:read", "chain", "The chain links a project is placed on", nil, ch.ProjectLinks},
		{"PUT", "/api/v1/projects/{id}/chain-links", "project:write", "chain", "Place a project on chain links", chain.LinksInput{}, ch.SetProjectLinks},

		{"GET", "/api/v1/projects", "project:read", "project", "List projects in scope", nil, p.List},
		{"GET", "/api/v1/projects/export", "project:read", "project", "Export the filtered list (XLSX)", nil, p.Export},
		{"GET", "/api/v1/projects/import/template", "project:write", "project", "The ledger import template (XLSX)", nil, p.Template},
		{"POST", "/api/v1/projects/import", "project:write", "project", "Import a ledger (multipart file; ?mode=all_or_nothing|valid_only, ?dry_run=1 previews)", nil, p.Import},
		{"POST", "/api/v1/projects/verify", "project:verify", "project", "Verify several pending imported projects at once (all or none; each audited)", project.BulkVerify{}, p.VerifyAll},
		{"POST", "/api/v1/projects/{id}/verify", "project:verify", "project", "Verify a pending imported project (its agreement, or a reason for history before the first open month)", project.VerifyInput{}, p.Verify},
		{"GET", "/api/v1/assignments", "project:read", "project", "Open requests, approval steps and hand-overs assigned to the caller's unit (and below), with the project facts they need (?kind=)", nil, p.Assignments},
		{"POST", "/api/v1/projects/duplicates", "project:write", "project", "Check for duplicates before registering", project.DuplicateQuery{}, p.Duplicates},
		{"POST", "/api/v1/projects", "project:write", "project", "Register a project", project.Input{}, p.Create},
		{"GET", "/api/v1/projects/{id}", "project:read", "project", "Get a project with its warnings", nil, p.Get},
		{"PUT", "/api/v1/projects/{id}", "project:write", "project", "Edit a project", project.Input{}, p.Update},
		{"POST", "/api/v1/projects/{id}/transitions", "project:write", "project", "Move a project between stages", project.Transition{}, p.Move},
		{"POST", "/api/v1/projects/{id}/merge", "project:write", "project", "Merge a duplicate into another project", project.Merge{}, p.Merge},
		{"GET", "/api/v1/projects/{id}/timeline", "project:read", "project", "A project's timeline", nil, p.Timeline},
		{"GET", "/api/v1/projects/{id}/attachments", "project:read", "project", "A project's attachments", nil, p.Attachments},
		{"POST", "/api/v1/projects/{id}/attachments", "project:write", "project", "Upload an attachment (multipart: file, kind)", nil, p.Upload},
		{"GET", "/api/v1/attachments/{id}", "project:read", "project", "Download an attachment", nil, p.Download},
		{"POST", "/api/v1/projects/{id}/handover", "project:write", "project", "Hand a project over to a locality", project.HandoverInput{}, p.HandOver},
		{"POST", "/api/v1/projects/{id}/handover/accept", "project:accept", "project", "Accept a hand-over", project.Decision{}, p.Accept},
		{"POST", "/api/v1/projects/{id}/handover/decline", "project:accept", "project", "Decline a hand-over", project.Decision{}, p.Decline},
		{"GET", "/api/v1/projects/{id}/tracking-records", "project:read", "project", "A project's tracking records", nil, p.TrackingRecords},
		{"POST", "/api/v1/projects/{id}/tracking-records", "project:write", "project", "Add a tracking record", project.TrackingInput{}, p.Track},
		{"GET", "/api/v1/projects/{id}/requests", "project:read", "project", "A project's enterprise requests", nil, p.Requests},
		{"POST", "/api/v1/projects/{id}/requests", "project:write", "project", "Log an enterprise request", project.RequestInput{}, p.AddRequest},
		{"POST", "/api/v1/requests/{id}/resolve", "project:write", "project", "Resolve an enterprise request", project.Resolve{}, p.ResolveRequest},
		{"GET", "/api/v1/projects/{id}/approvals", "project:read", "project", "A project's approval steps", nil, p.Approvals},
		{"POST", "/api/v1/projects/{id}/approvals", "project:write", "project", "Record an approval step", project.ApprovalInput{}, p.AddApproval},
		{"PUT", "/api/v1/approvals/{id}", "project:write", "project", "Update an approval step", project.ApprovalInput{}, p.UpdateApproval},
		{"GET", "/api/v1/parcels", "project:read", "project", "Land parcels in scope (?park_unit_id, ?status, ?project_id)", nil, p.ListParcels},
		{"POST", "/api/v1/parcels", "parcel:write", "project", "Register a land parcel", project.ParcelInput{}, p.CreateParcel},
		{"POST", "/api/v1/parcels/{id}/actions", "parcel:write", "project", "Reserve, supply or release a parcel", project.ParcelAction{}, p.ActOnParcel},
		{"GET", "/api/v1/warnings", "project:read", "project", "Warnings in scope (?rule=)", nil, p.Warnings},
		{"GET", "/api/v1/settings/warnings", SignedIn, "project", "Warning thresholds", nil, p.GetSettings},
		{"PUT", "/api/v1/settings/warnings", "setting:write", "project", "Change warning thresholds", project.WarningSettings{}, p.PutSettings},

		{"GET", "/api/v1/stats/rules", "stats:read", "assess", "A year's counting rules, in words (?year=; versioned by year)", nil, st.GetRules},
		{"PUT", "/api/v1/stats/rules", "target:write", "assess", "Change a year's counting rules (body year)", assess.Rules{}, st.PutRules},
		{"GET", "/api/v1/targets", "stats:read", "assess", "A year's targets (?year=)", nil, st.GetTargets},
		{"PUT", "/api/v1/targets", "target:write", "assess", "Set a year's targets", assess.TargetSet{}, st.PutTargets},
		{"GET", "/api/v1/targets/xlsx", "stats:read", "assess", "A year's targets as the XLSX sheet to fill in (?year=)", nil, st.TargetsXLSX},
		{"POST", "/api/v1/targets/import", "target:write", "assess", "Import a year's targets from that sheet (multipart file; all or nothing)", nil, st.ImportTargets},
		{"GET", "/api/v1/stats/monthly/{period}", "stats:read", "assess", "Monthly statistics (YYYY-MM), scoped", nil, st.Monthly},
		{"GET", "/api/v1/stats/monthly/{period}/xlsx", "stats:read", "assess", "Monthly statistics as XLSX", nil, st.MonthlyXLSX},
		{"GET", "/api/v1/stats/monthly/{period}/rows", "stats:read", "assess", "The project rows behind a figure (?unit_id=, ?ytd=1, ?area_id=)", nil, st.Rows},
		{"GET", "/api/v1/stats/progress", "stats:read", "assess", "Statistics and target progress of the year to any day (?as_of=YYYY-MM-DD), scoped", nil, st.Progress},
		{"GET", "/api/v1/stats/progress/xlsx", "stats:read", "assess", "The same as XLSX", nil, st.ProgressXLSX},
		{"GET", "/api/v1/periods", "stats:read", "assess", "Closed and reopened months", nil, st.Closes},
		{"POST", "/api/v1/periods/{period}/close", "period:close", "assess", "Close a month (freezes its figures and rows)", nil, st.Close},
		{"POST", "/api/v1/periods/{period}/reopen", "period:reopen", "assess", "Reopen the last closed month", assess.ReopenInput{}, st.Reopen},
		{"GET", "/api/v1/projects/{id}/evaluations", "project:read", "evaluation", "A project's screenings", nil, ev.ForProject},
		{"POST", "/api/v1/projects/{id}/evaluations", "evaluation:write", "evaluation", "Start a screening", evaluation.Input{}, ev.Create},
		{"GET", "/api/v1/evaluations/summary", "project:read", "evaluation", "Screenings across projects in scope: verdicts by park and industry, failed rules, shortfalls", nil, ev.Summary},
		{"GET", "/api/v1/evaluations/{id}", "project:read", "evaluation", "A screening with its results", nil, ev.Get},
		{"GET", "/api/v1/evaluations/{id}/docx", "project:read", "evaluation", "The screening report (DOCX)", nil, ev.DOCX},
		{"PUT", "/api/v1/evaluations/{id}", "evaluation:write", "evaluation", "Revise a draft or returned screening", evaluation.Input{}, ev.Revise},
		{"POST", "/api/v1/evaluations/{id}/submit", "evaluation:write", "evaluation", "Submit a screening for review", evaluation.Step{}, ev.Submit()},
		{"POST", "/api/v1/evaluations/{id}/review", "evaluation:review", "evaluation", "Review a screening (checklist answers, conditions)", evaluation.Step{}, ev.Review()},
		{"POST", "/api/v1/evaluations/{id}/approve", "evaluation:approve", "evaluation", "Approve a reviewed screening", evaluation.Step{}, ev.Approve()},
		{"POST", "/api/v1/evaluations/{id}/return", "evaluation:review", "evaluation", "Return a screening for revision", evaluation.Step{}, ev.Return()},
		{"GET", "/api/v1/baselines", "project:read", "evaluation", "Baseline rule sets, every version", nil, ev.Sets},
		{"POST", "/api/v1/baselines", "baseline:write", "evaluation", "Add a baseline rule set version", evaluation.BaselineSet{}, ev.CreateSet},
		{"GET", "/api/v1/settings/screening-gate", SignedIn, "evaluation", "Whether signing requires an approved screening", nil, ev.GetGate},
		{"PUT", "/api/v1/settings/screening-gate", "setting:write", "evaluation", "Make the signing gate a requirement or a warning", evaluation.GateSetting{}, ev.PutGate},
		{"GET", "/api/v1/negative-list", "project:read", "evaluation", "The foreign-investment negative list", nil, ev.NegativeList},
		{"PUT", "/api/v1/negative-list/{id}", "baseline:write", "evaluation", "Correct a negative-list item", evaluation.NegativeItem{}, ev.UpdateNegative},
		{"GET", "/api/v1/stats/ranking", "stats:read", "assess", "Quarterly rankings (?year=&quarter=)", nil, st.Ranking},
		{"GET", "/api/v1/stats/bulletin/docx", "stats:read", "assess", "The quarterly bulletin as DOCX (?year=&quarter=; scope all)", nil, st.BulletinDOCX},
		{"GET", "/api/v1/stats/annual", "stats:read", "assess", "The annual evaluation: scores, ranks and the R15 lists (?year=&quarter=; scope all)", nil, st.AnnualJSON},
		{"GET", "/api/v1/stats/annual/docx", "stats:read", "assess", "The annual evaluation as DOCX (?year=; scope all); the published bytes once published", nil, st.AnnualDOCX},
		{"POST", "/api/v1/stats/annual/{year}/publish", "period:close", "assess", "Publish (freeze) a year's evaluation; December must be closed", nil, st.PublishAnnual},
		{"POST", "/api/v1/stats/annual/{year}/reopen", "period:reopen", "assess", "Reopen a published evaluation (with a reason)", assess.ReopenInput{}, st.ReopenAnnual},
		{"GET", "/api/v1/cockpit", "stats:read", "assess", "The cockpit's figures (?year=), for the city or the caller's unit", nil, st.CockpitJSON},
		{"GET", "/api/v1/cockpit/pipeline", "stats:read", "assess", "The projects the forecast counts, each with its rate (?year=), scoped", nil, st.PipelineJSON},
		{"GET", "/api/v1/cockpit/history", "stats:read", "assess", "The projects behind a forecast rate (?basis=lead|negotiating|overdue), scoped", nil, st.HistoryJSON},
		{"GET", "/api/v1/cockpit/map", "stats:read", "assess", "The city's map (GeoJSON of its counties)", nil, st.Map},
		{"GET", "/api/v1/stats/scheme", "stats:read", "assess", "A year's scoring scheme (?year=; versioned by year)", nil, st.GetScheme},
		{"PUT", "/api/v1/stats/scheme", "target:write", "assess", "Change a year's scoring scheme (body year; refused once the year is published)", assess.Scheme{}, st.PutScheme},
	}, append(s.campaignRoutes(), s.securityRoutes()...)...)
}
