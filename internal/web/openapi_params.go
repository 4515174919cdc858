package web

// The query parameters of the routes that take them, as the OpenAPI
// document describes them (Route.Body = IO{Query: …}). Each mirrors the
// parser of its capability (project.FilterOf, httpx.PageOf, periodOf …).

// pageQuery is a list's page (httpx.PageOf).
type pageQuery struct {
	Page     int `query:"page" doc:"from 1"`
	PageSize int `query:"page_size" doc:"rows a page, default 20, at most 200"`
}

// projectQuery is project.FilterOf's parameters and a page.
type projectQuery struct {
	Q              string `query:"q" doc:"part of the name, investor or code"`
	Stage          string `query:"stage" enum:"lead|negotiating|signed|registered|construction|production"`
	Status         string `query:"status" enum:"active|on_hold|terminated"`
	Channel        string `query:"channel" doc:"a channel dictionary code"`
	SourceRegion   string `query:"source_region" doc:"a source_region dictionary code"`
	Industry       string `query:"industry" doc:"a GB/T 4754-2017 code or its prefix"`
	Tag            string `query:"tag" doc:"a project_tag dictionary code"`
	IsKey          string `query:"is_key" enum:"1"`
	Verification   string `query:"verification" enum:"pending"`
	LocalityUnitID int64  `query:"locality_unit_id"`
	UnitID         int64  `query:"unit_id"`
	SignedFrom     string `query:"signed_from" doc:"YYYY-MM-DD"`
	SignedTo       string `query:"signed_to" doc:"YYYY-MM-DD"`
	Sort           string `query:"sort" enum:"name|-name|signed_on|-signed_on|contract_investment|-contract_investment|updated_at|-updated_at|code|-code|lead_on|-lead_on"`
	pageQuery
}

// ledgerImportQuery is the ledger import's parameters.
type ledgerImportQuery struct {
	Mode   string `query:"mode" enum:"all_or_nothing|valid_only"`
	DryRun string `query:"dry_run" enum:"1" doc:"check and preview only"`
}

// yearQuery is a year (the current one when left out).
type yearQuery struct {
	Year int `query:"year"`
}

// quarterQuery is a year's quarter.
type quarterQuery struct {
	Year    int `query:"year"`
	Quarter int `query:"quarter" enum:"1|2|3|4"`
}

// rowsQuery picks the figure whose project rows are listed.
type rowsQuery struct {
	UnitID int64  `query:"unit_id" doc:"the unit; 0 or none: the city"`
	YTD    string `query:"ytd" enum:"1" doc:"the year to date rather than the month"`
	AreaID int64  `query:"area_id"`
}

// warningQuery is the warnings' rule and a page.
type warningQuery struct {
	Rule string `query:"rule"`
	pageQuery
}

// campaignQuery is the campaigns' filter and a page.
type campaignQuery struct {
	Q    string `query:"q"`
	Kind string `query:"kind" doc:"a campaign_kind dictionary code"`
	Year int    `query:"year"`
	pageQuery
}

// noticeQuery is the notices' box and a page.
type noticeQuery struct {
	Box    string `query:"box" enum:"inbox|sent"`
	Unread string `query:"unread" enum:"1"`
	pageQuery
}
