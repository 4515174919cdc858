// Package project keeps every project from first lead to production: its
// facts, its introducing units and landing locality, its stages with dated
// evidence, hand-over, tracking records, enterprise requests and warnings.
package project

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// Stages in order (GLOSSARY).
var Stages = []string{"lead", "negotiating", "signed", "registered", "construction", "production"}

// StageZh names the stages in Chinese (GLOSSARY).
var StageZh = map[string]string{"lead": "线索", "negotiating": "在谈", "signed": "签约", "registered": "落户",
	"construction": "动工", "production": "投产"}

func stageIndex(s string) int {
	for i, st := range Stages {
		if st == s {
			return i
		}
	}
	return -1
}

// Introducer is an introducing unit and its credit share (percent).
type Introducer struct {
	UnitID   int64       `json:"unit_id"`
	UnitName string      `json:"unit_name"`
	Share    money.Cents `json:"share"` // percent with two decimals: 50.00
}

// Handover is the hand-over of a project to a landing locality.
type Handover struct {
	Status     string     `json:"status"` // none, pending, accepted, declined
	ToUnitID   *int64     `json:"to_unit_id"`
	ToUnitName string     `json:"to_unit_name"`
	SentOn     civil.Date `json:"sent_on"`
	Deadline   civil.Date `json:"deadline"`
	DecidedOn  civil.Date `json:"decided_on"`
	Reason     string     `json:"reason"`
}

// Project is a project as the API shows it.
type Project struct {
	ID                   int64        `json:"id"`
	Code                 string       `json:"code"`
	Name                 string       `json:"name"`
	InvestorName         string       `json:"investor_name"`
	InvestorUSCC         string       `json:"investor_uscc"`
	IndustryCode         string       `json:"industry_code"`
	IndustryName         string       `json:"industry_name"`
	ChainRole            string       `json:"chain_role"`
	ContractInvestment   money.Cents  `json:"contract_investment"`
	FixedAssetInvestment money.Cents  `json:"fixed_asset_investment"`
	ForeignCapital       money.Cents  `json:"foreign_capital"`
	FundsInPlace         money.Cents  `json:"funds_in_place"`
	IsForeign            bool         `json:"is_foreign"`
	SourceRegion         string       `json:"source_region"`
	Channel              string       `json:"channel"`
	Referrer             string       `json:"referrer"`
	Tags                 []string     `json:"tags"`
	LandAreaMu           money.Cents  `json:"land_area_mu"`
	ExpectedOutput       money.Cents  `json:"expected_output"`
	ExpectedTax          money.Cents  `json:"expected_tax"`
	ExpectedJobs         int          `json:"expected_jobs"`
	Stage                string       `json:"stage"`
	Status               string       `json:"status"`
	StatusReason         string       `json:"status_reason"`
	LeadOn               civil.Date   `json:"lead_on"`
	ExpectedSignOn       civil.Date   `json:"expected_sign_on"`
	NegotiatingOn        civil.Date   `json:"negotiating_on"`
	SignedOn             civil.Date   `json:"signed_on"`
	RegisteredOn         civil.Date   `json:"registered_on"`
	ConstructionOn       civil.Date   `json:"construction_on"`
	ProductionOn         civil.Date   `json:"production_on"`
	OwnerUnitID          int64        `json:"owner_unit_id"`
	OwnerUnitName        string       `json:"owner_unit_name"`
	LocalityUnitID       *int64       `json:"locality_unit_id"`
	LocalityUnitName     string       `json:"locality_unit_name"`
	Introducers          []Introducer `json:"introducers"`
	Handover             Handover     `json:"handover"`
	LeaderUserID         *int64       `json:"leader_user_id"`
	LeaderName           string       `json:"leader_name"`
	IntroOfficerID       *int64       `json:"intro_officer_user_id"`
	IntroOfficerName     string       `json:"intro_officer_name"`
	LocalityOfficerID    *int64       `json:"locality_officer_user_id"`
	LocalityOfficerName  string       `json:"locality_officer_name"`
	IsKey                bool         `json:"is_key"`
	LastTrackingOn       civil.Date   `json:"last_tracking_on"`
	Warnings             []Warning    `json:"warnings,omitempty"`
	CreatedByName        string       `json:"created_by_name"`
	Version              int          `json:"version"`
	CreatedAt            time.Time    `json:"created_at"`
	UpdatedAt            time.Time    `json:"updated_at"`

	// The campaign the project came from and who referred it.
	CampaignID          *int64 `json:"campaign_id"`
	CampaignName        string `json:"campaign_name"`
	ReferrerAdvisorID   *int64 `json:"referrer_advisor_id"`
	ReferrerAdvisorName string `json:"referrer_advisor_name"`
	ReferrerPartnerID   *int64 `json:"referrer_partner_id"`
	ReferrerPartnerName string `json:"referrer_partner_name"`

	// Verification of a ledger-imported project at signed or later
	// (verify.go): "" when it came through the stages, "pending" until a
	// verifier confirms it (it counts in no figure meanwhile), "verified".
	Verify Verification `json:"verification"`
	// MergedIntoID is the project a merged duplicate was folded into.
	MergedIntoID *int64 `json:"merged_into_id"`
	// Land is the land-use figures (on a single project's page only).
	Land *LandUse `json:"land,omitempty"`
}

// stageDate is the day the project reached a stage (zero if not reached).
func (p *Project) stageDate(stage string) civil.Date {
	switch stage {
	case "lead":
		return p.LeadOn
	case "negotiating":
		return p.NegotiatingOn
	case "signed":
		return p.SignedOn
	case "registered":
		return p.RegisteredOn
	case "construction":
		return p.ConstructionOn
	case "production":
		return p.ProductionOn
	}
	return civil.Date{}
}

// IntroducerInput is one introducing unit in a request.
type IntroducerInput struct {
	UnitID int64       `json:"unit_id"`
	Share  money.Cents `json:"share"`
}

// Input is the request to register or edit a project. Stage, status,
// dates after the lead, owner and hand-over are set by their own actions.
type Input struct {
	Name                 string            `json:"name"`
	InvestorName         string            `json:"investor_name"`
	InvestorUSCC         string            `json:"investor_uscc"`
	IndustryCode         string            `json:"industry_code"`
	ChainRole            string            `json:"chain_role"`
	ContractInvestment   money.Cents       `json:"contract_investment"`
	FixedAssetInvestment money.Cents       `json:"fixed_asset_investment"`
	ForeignCapital       money.Cents       `json:"foreign_capital"`
	FundsInPlace         money.Cents       `json:"funds_in_place"`
	IsForeign            bool              `json:"is_foreign"`
	SourceRegion         string            `json:"source_region"`
	Channel              string            `json:"channel"`
	Referrer             string            `json:"referrer"`
	Tags                 []string          `json:"tags"`
	LandAreaMu           money.Cents       `json:"land_area_mu"`
	ExpectedOutput       money.Cents       `json:"expected_output"`
	ExpectedTax          money.Cents       `json:"expected_tax"`
	ExpectedJobs         int               `json:"expected_jobs"`
	LocalityUnitID       *int64            `json:"locality_unit_id"`
	Introducers          []IntroducerInput `json:"introducers"`
	LeaderUserID         *int64            `json:"leader_user_id"`
	IntroOfficerID       *int64            `json:"intro_officer_user_id"`
	LocalityOfficerID    *int64            `json:"locality_officer_user_id"`
	IsKey                bool              `json:"is_key"`
	CampaignID           *int64            `json:"campaign_id"`
	ReferrerAdvisorID    *int64            `json:"referrer_advisor_id"`
	ReferrerPartnerID    *int64            `json:"referrer_partner_id"`
	LeadOn               civil.Date        `json:"lead_on"`
	ExpectedSignOn       civil.Date        `json:"expected_sign_on"`
	ConfirmDistinct      bool              `json:"confirm_distinct"`
	DistinctReason       string            `json:"distinct_reason"` // why it is not the duplicate offered (required with confirm_distinct when one is)
	Version              int               `json:"version"`
}

// Validate checks what can be checked without the database. Dictionary
// codes and units are checked by the service.
func (in *Input) Validate(today civil.Date) error {
	var v errs.Validation
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); n == 0 || n > 100 {
		v.Add("name", "项目名称必填，最多 100 个字", "required, at most 100 characters")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.InvestorName)); n == 0 || n > 100 {
		v.Add("investor_name", "投资方必填，最多 100 个字", "required, at most 100 characters")
	}
	if in.InvestorUSCC != "" && !uscc.Valid(in.InvestorUSCC) {
		v.Add("investor_uscc", "统一社会信用代码无效（18 位，校验位不符）", "not a valid unified social credit code")
	}
	if in.IndustryCode != "" {
		if _, ok := industry.Lookup(in.IndustryCode); !ok {
			v.Add("industry_code", "行业代码不在 GB/T 4754-2017 中", "not a GB/T 4754-2017 code")
		}
	}
	switch in.ChainRole {
	case "", "build", "fill", "strengthen":
	default:
		v.Add("chain_role", "应为 build（建链）、fill（补链）或 strengthen（强链）", "build, fill or strengthen")
	}
	for name, c := range map[string]money.Cents{"contract_investment": in.ContractInvestment, "fixed_asset_investment": in.FixedAssetInvestment,
		"foreign_capital": in.ForeignCapital, "funds_in_place": in.FundsInPlace, "land_area_mu": in.LandAreaMu,
		"expected_output": in.ExpectedOutput, "expected_tax": in.ExpectedTax} {
		if c < 0 {
			v.Add(name, "不能为负数", "cannot be negative")
		}
	}
	if in.ExpectedJobs < 0 {
		v.Add("expected_jobs", "不能为负数", "cannot be negative")
	}
	if in.ForeignCapital > 0 && !in.IsForeign {
		v.Add("foreign_capital", "填写外资金额的项目应标记为外资项目", "mark the project as foreign-funded")
	}
	if in.Channel == "" {
		v.Add("channel", "请选择招商方式", "required")
	}
	if utf8.RuneCountInString(in.DistinctReason) > 500 {
		v.Add("distinct_reason", "最多 500 个字", "at most 500 characters")
	}
	if !in.LeadOn.IsZero() && in.LeadOn.After(today) {
		v.Add("lead_on", "线索日期不能晚于今天", "cannot be in the future")
	}
	if !in.ExpectedSignOn.IsZero() && in.ExpectedSignOn.Before(in.LeadOn) {
		v.Add("expected_sign_on", "预计签约日期不能早于线索日期", "cannot be before the lead date")
	}
	validateShares(&v, in.Introducers)
	return v.Err()
}

func validateShares(v *errs.Validation, ins []IntroducerInput) {
	if len(ins) == 0 {
		v.Add("introducers", "至少有一个引进单位", "at least one introducing unit")
		return
	}
	var sum money.Cents
	seen := map[int64]bool{}
	for _, in := range ins {
		if in.Share <= 0 || seen[in.UnitID] {
			v.Add("introducers", "每个引进单位只列一次，分成比例须大于 0", "each unit once, with a share above 0")
			return
		}
		seen[in.UnitID] = true
		sum += in.Share
	}
	if sum != 100_00 {
		v.Add("introducers", "引进单位分成比例合计须为 100%（现为 "+sum.String()+"%）", "shares must add up to 100% (now "+sum.String()+"%)")
	}
}
