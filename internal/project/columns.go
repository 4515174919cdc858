package project

import (
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// The projects table is named column by column here, each column next to
// what fills it or what it fills. Every statement that lists columns —
// the select with its scan targets, register (INSERT), edit (UPDATE), the
// ledger import's multi-row INSERT (SQLite) and COPY (PostgreSQL) — is
// generated from these lists, so that a column is added in one place and
// two columns cannot be swapped in one statement only.

// facts is what a project's Input writes: the input and the normalised
// names the duplicate guard matches on (the ledger import has them already).
type facts struct {
	in                *Input
	nameNorm, invNorm string
}

func factsOf(in *Input) facts { return facts{in, NormName(in.Name), NormInvestor(in.InvestorName)} }

// factColumns are the columns an Input sets, in the order every write
// names them.
var factColumns = []struct {
	name string
	val  func(f facts) any
}{
	{"name", func(f facts) any { return f.in.Name }},
	{"name_norm", func(f facts) any { return f.nameNorm }},
	{"investor_name", func(f facts) any { return f.in.InvestorName }},
	{"investor_norm", func(f facts) any { return f.invNorm }},
	{"investor_uscc", func(f facts) any { return f.in.InvestorUSCC }},
	{"industry_code", func(f facts) any { return f.in.IndustryCode }},
	{"chain_role", func(f facts) any { return f.in.ChainRole }},
	{"contract_investment", func(f facts) any { return f.in.ContractInvestment }},
	{"fixed_asset_investment", func(f facts) any { return f.in.FixedAssetInvestment }},
	{"foreign_capital", func(f facts) any { return f.in.ForeignCapital }},
	{"funds_in_place", func(f facts) any { return f.in.FundsInPlace }},
	{"is_foreign", func(f facts) any { return f.in.IsForeign }},
	{"source_region", func(f facts) any { return f.in.SourceRegion }},
	{"channel", func(f facts) any { return f.in.Channel }},
	{"referrer", func(f facts) any { return f.in.Referrer }},
	{"tags", func(f facts) any { return strings.Join(f.in.Tags, ",") }},
	{"land_area_mu", func(f facts) any { return f.in.LandAreaMu }},
	{"expected_output", func(f facts) any { return f.in.ExpectedOutput }},
	{"expected_tax", func(f facts) any { return f.in.ExpectedTax }},
	{"expected_jobs", func(f facts) any { return f.in.ExpectedJobs }},
	{"locality_unit_id", func(f facts) any { return f.in.LocalityUnitID }},
	{"leader_user_id", func(f facts) any { return f.in.LeaderUserID }},
	{"intro_officer_user_id", func(f facts) any { return f.in.IntroOfficerID }},
	{"locality_officer_user_id", func(f facts) any { return f.in.LocalityOfficerID }},
	{"is_key", func(f facts) any { return f.in.IsKey }},
	{"lead_on", func(f facts) any { return f.in.LeadOn }},
	{"expected_sign_on", func(f facts) any { return f.in.ExpectedSignOn }},
	{"campaign_id", func(f facts) any { return f.in.CampaignID }},
	{"referrer_advisor_id", func(f facts) any { return f.in.ReferrerAdvisorID }},
	{"referrer_partner_id", func(f facts) any { return f.in.ReferrerPartnerID }},
}

// field is a column and its value in one write.
type field struct {
	name string
	val  any
}

// factFields are an input's columns and values, then the extra ones.
func factFields(f facts, extra ...field) []field {
	out := make([]field, 0, len(factColumns)+len(extra))
	for _, c := range factColumns {
		out = append(out, field{c.name, c.val(f)})
	}
	return append(out, extra...)
}

func fieldNames(fs []field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}

func fieldValues(fs []field) []any {
	out := make([]any, len(fs))
	for i, f := range fs {
		out[i] = f.val
	}
	return out
}

// insertSQL is the INSERT of one row of fields, returning its id.
func insertSQL(fs []field) string {
	return `INSERT INTO projects (` + strings.Join(fieldNames(fs), ", ") + `) VALUES (` + placeholders(len(fs)) + `) RETURNING id`
}

// updateSQL sets the fields of the project of a given id and version.
func updateSQL(fs []field) string {
	return `UPDATE projects SET ` + strings.Join(fieldNames(fs), ` = ?, `) + ` = ?, version = version + 1 WHERE id = ? AND version = ?`
}

// ledgerFields is an imported row as it is stored: the id and code, its
// facts, the stage it reached with the days it reached each, the importer.
func ledgerFields(r ledgerRow, id int64, a *org.Actor, now time.Time, gen int64) []field {
	in, d := r.in, r.dates
	in.LeadOn = d[0]
	return append([]field{{"id", id}, {"code", projectCode(d[0].String(), id)}}, factFields(facts{&in, r.nameNorm, r.invNorm},
		field{"stage", r.stage}, field{"status", r.status}, field{"negotiating_on", d[1]}, field{"signed_on", d[2]},
		field{"registered_on", d[3]}, field{"construction_on", d[4]}, field{"production_on", d[5]},
		field{"owner_unit_id", a.UnitID}, field{"created_by", db.NullID(a.UserID)}, field{"version", 1},
		field{"created_at", now}, field{"updated_at", now}, field{"gen", gen}, field{"verify_status", pendingAt(r.stage)})...)
}

// storedLedgerColumns are the columns of ledgerFields, in its order.
var storedLedgerColumns = fieldNames(ledgerFields(ledgerRow{dates: [6]civil.Date{civil.MustParse("2000-01-01")}}, 0, &org.Actor{}, time.Time{}, 0))

// copyValue is a value as pgx's COPY encodes it: the application's own
// types as the plain ones they store.
func copyValue(v any) any {
	switch v := v.(type) {
	case money.Cents:
		return int64(v)
	case civil.Date:
		return pgDate(v)
	case *int64:
		if v == nil {
			return nil
		}
		return *v
	case int:
		return int64(v)
	}
	return v
}

// projectScan is a project being read, with the columns that need work
// after the scan.
type projectScan struct {
	p    Project
	tags string
}

// projectSelect is what a project is read from (FROM projectFrom) and
// where each expression goes.
var projectSelect = []struct {
	expr string
	dst  func(s *projectScan) any
}{
	{"p.id", func(s *projectScan) any { return &s.p.ID }},
	{"p.code", func(s *projectScan) any { return &s.p.Code }},
	{"p.name", func(s *projectScan) any { return &s.p.Name }},
	{"p.investor_name", func(s *projectScan) any { return &s.p.InvestorName }},
	{"p.investor_uscc", func(s *projectScan) any { return &s.p.InvestorUSCC }},
	{"p.industry_code", func(s *projectScan) any { return &s.p.IndustryCode }},
	{"p.chain_role", func(s *projectScan) any { return &s.p.ChainRole }},
	{"p.contract_investment", func(s *projectScan) any { return &s.p.ContractInvestment }},
	{"p.fixed_asset_investment", func(s *projectScan) any { return &s.p.FixedAssetInvestment }},
	{"p.foreign_capital", func(s *projectScan) any { return &s.p.ForeignCapital }},
	{"p.funds_in_place", func(s *projectScan) any { return &s.p.FundsInPlace }},
	{"p.is_foreign", func(s *projectScan) any { return &s.p.IsForeign }},
	{"p.source_region", func(s *projectScan) any { return &s.p.SourceRegion }},
	{"p.channel", func(s *projectScan) any { return &s.p.Channel }},
	{"p.referrer", func(s *projectScan) any { return &s.p.Referrer }},
	{"p.tags", func(s *projectScan) any { return &s.tags }},
	{"p.land_area_mu", func(s *projectScan) any { return &s.p.LandAreaMu }},
	{"p.expected_output", func(s *projectScan) any { return &s.p.ExpectedOutput }},
	{"p.expected_tax", func(s *projectScan) any { return &s.p.ExpectedTax }},
	{"p.expected_jobs", func(s *projectScan) any { return &s.p.ExpectedJobs }},
	{"p.stage", func(s *projectScan) any { return &s.p.Stage }},
	{"p.status", func(s *projectScan) any { return &s.p.Status }},
	{"p.status_reason", func(s *projectScan) any { return &s.p.StatusReason }},
	{"p.lead_on", func(s *projectScan) any { return &s.p.LeadOn }},
	{"p.expected_sign_on", func(s *projectScan) any { return &s.p.ExpectedSignOn }},
	{"p.negotiating_on", func(s *projectScan) any { return &s.p.NegotiatingOn }},
	{"p.signed_on", func(s *projectScan) any { return &s.p.SignedOn }},
	{"p.registered_on", func(s *projectScan) any { return &s.p.RegisteredOn }},
	{"p.construction_on", func(s *projectScan) any { return &s.p.ConstructionOn }},
	{"p.production_on", func(s *projectScan) any { return &s.p.ProductionOn }},
	{"p.owner_unit_id", func(s *projectScan) any { return &s.p.OwnerUnitID }},
	{"ou.name", func(s *projectScan) any { return &s.p.OwnerUnitName }},
	{"p.locality_unit_id", func(s *projectScan) any { return &s.p.LocalityUnitID }},
	{"COALESCE(lu.name, '')", func(s *projectScan) any { return &s.p.LocalityUnitName }},
	{"p.handover_status", func(s *projectScan) any { return &s.p.Handover.Status }},
	{"p.handover_to_unit_id", func(s *projectScan) any { return &s.p.Handover.ToUnitID }},
	{"COALESCE(hu.name, '')", func(s *projectScan) any { return &s.p.Handover.ToUnitName }},
	{"p.handover_sent_on", func(s *projectScan) any { return &s.p.Handover.SentOn }},
	{"p.handover_deadline", func(s *projectScan) any { return &s.p.Handover.Deadline }},
	{"p.handover_decided_on", func(s *projectScan) any { return &s.p.Handover.DecidedOn }},
	{"p.handover_reason", func(s *projectScan) any { return &s.p.Handover.Reason }},
	{"p.leader_user_id", func(s *projectScan) any { return &s.p.LeaderUserID }},
	{"COALESCE(ld.display_name, '')", func(s *projectScan) any { return &s.p.LeaderName }},
	{"p.intro_officer_user_id", func(s *projectScan) any { return &s.p.IntroOfficerID }},
	{"COALESCE(io.display_name, '')", func(s *projectScan) any { return &s.p.IntroOfficerName }},
	{"p.locality_officer_user_id", func(s *projectScan) any { return &s.p.LocalityOfficerID }},
	{"COALESCE(lo.display_name, '')", func(s *projectScan) any { return &s.p.LocalityOfficerName }},
	{"p.is_key", func(s *projectScan) any { return &s.p.IsKey }},
	{"p.last_tracking_on", func(s *projectScan) any { return &s.p.LastTrackingOn }},
	{"COALESCE(cb.display_name, '')", func(s *projectScan) any { return &s.p.CreatedByName }},
	{"p.campaign_id", func(s *projectScan) any { return &s.p.CampaignID }},
	{"COALESCE(cg.name, '')", func(s *projectScan) any { return &s.p.CampaignName }},
	{"p.referrer_advisor_id", func(s *projectScan) any { return &s.p.ReferrerAdvisorID }},
	{"COALESCE(ra.name, '')", func(s *projectScan) any { return &s.p.ReferrerAdvisorName }},
	{"p.referrer_partner_id", func(s *projectScan) any { return &s.p.ReferrerPartnerID }},
	{"COALESCE(rp.name, '')", func(s *projectScan) any { return &s.p.ReferrerPartnerName }},
	{"p.verify_status", func(s *projectScan) any { return &s.p.Verify.Status }},
	{"p.verified_by", func(s *projectScan) any { return &s.p.Verify.ByUserID }},
	{"COALESCE(vb.display_name, '')", func(s *projectScan) any { return &s.p.Verify.ByName }},
	{"p.verified_at", func(s *projectScan) any { return &s.p.Verify.At }},
	{"p.verify_note", func(s *projectScan) any { return &s.p.Verify.Note }},
	{"p.verify_attachment_id", func(s *projectScan) any { return &s.p.Verify.AttachmentID }},
	{"p.merged_into_id", func(s *projectScan) any { return &s.p.MergedIntoID }},
	{"p.version", func(s *projectScan) any { return &s.p.Version }},
	{"p.created_at", func(s *projectScan) any { return &s.p.CreatedAt }},
	{"p.updated_at", func(s *projectScan) any { return &s.p.UpdatedAt }},
}

// projectCols is the select list of projectSelect.
var projectCols = func() string {
	exprs := make([]string, len(projectSelect))
	for i, c := range projectSelect {
		exprs[i] = c.expr
	}
	return strings.Join(exprs, ", ")
}()

func scanProject(sc interface{ Scan(...any) error }) (Project, error) {
	var s projectScan
	dst := make([]any, len(projectSelect))
	for i, c := range projectSelect {
		dst[i] = c.dst(&s)
	}
	err := sc.Scan(dst...)
	p := s.p
	p.Tags = splitTags(s.tags)
	if c, ok := industry.Lookup(p.IndustryCode); ok {
		p.IndustryName = c.Name
	}
	p.Introducers = []Introducer{}
	return p, err
}
