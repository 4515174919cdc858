// Package enterprise is the target-enterprise library (招商目标企业库): the
// enterprises the city courts and those already settled here, their
// investment intentions and visits, the name search over a million of them,
// and the import of commercial enterprise data.
package enterprise

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/uscc"
	"github.com/zhaoqing/attract/internal/platform/valid"
	"github.com/zhaoqing/attract/internal/region"
)

// Statuses of courting, in order.
var Statuses = []string{"not_contacted", "contacted", "negotiating", "signed", "settled"}

// StatusNames are the statuses' Chinese names, as the import template and
// the UI write them.
var StatusNames = map[string]string{"not_contacted": "未接触", "contacted": "已接触", "negotiating": "洽谈中", "signed": "已签约", "settled": "已落户"}

func validStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Enterprise is one enterprise of the library as stored.
type Enterprise struct {
	ID                int64        `json:"id"`
	CreditCode        string       `json:"credit_code"`
	Name              string       `json:"name"`
	FormerNames       []string     `json:"former_names"`
	IndustryCode      string       `json:"industry_code"`
	IndustryName      string       `json:"industry_name"`
	RegionCode        string       `json:"region_code"`
	RegionName        string       `json:"region_name"`
	RegisteredCapital money.Cents  `json:"registered_capital"` // 万元
	FoundedOn         civil.Date   `json:"founded_on"`
	Revenue           *money.Cents `json:"revenue"` // 万元, null when unknown
	Staff             *int64       `json:"staff"`
	ListingCode       string       `json:"listing_code"`
	Tags              []string     `json:"tags"`
	IsTarget          bool         `json:"is_target"`
	OwnerUnitID       *int64       `json:"owner_unit_id"`
	OwnerUnitName     string       `json:"owner_unit_name"`
	Status            string       `json:"status"`
	ExpandedOn        civil.Date   `json:"expanded_on"`
	Archived          bool         `json:"archived"`
	Version           int          `json:"version"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

// Input is what a user sends to create or edit an enterprise.
type Input struct {
	CreditCode        string       `json:"credit_code"`
	Name              string       `json:"name"`
	FormerNames       []string     `json:"former_names"`
	IndustryCode      string       `json:"industry_code"`
	RegionCode        string       `json:"region_code"`
	RegisteredCapital money.Cents  `json:"registered_capital"`
	FoundedOn         civil.Date   `json:"founded_on"`
	Revenue           *money.Cents `json:"revenue"`
	Staff             *int64       `json:"staff"`
	ListingCode       string       `json:"listing_code"`
	Tags              []string     `json:"tags"`
	IsTarget          *bool        `json:"is_target"` // default: headquarters outside the city
	OwnerUnitID       *int64       `json:"owner_unit_id"`
	Status            string       `json:"status"`
	ExpandedOn        civil.Date   `json:"expanded_on"`
	Version           int          `json:"version"`
}

// Validate checks the input and fills defaults; tagOK says whether a tag code
// is in the dictionary, today bounds the dates.
func (in *Input) Validate(today civil.Date, tagOK func(string) bool) error {
	in.CreditCode = strings.ToUpper(strings.TrimSpace(in.CreditCode))
	in.Name = strings.TrimSpace(in.Name)
	in.ListingCode = strings.TrimSpace(in.ListingCode)
	e := errs.E(errs.Invalid, "企业信息有误", "the enterprise has errors")
	if !uscc.Valid(in.CreditCode) {
		e.Field("credit_code", "统一社会信用代码格式或校验位有误", "not a valid unified social credit code (GB 32100)")
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		e.Field("name", "请填写企业名称（不超过100字）", "name is required (at most 100 characters)")
	}
	var former []string
	for _, f := range in.FormerNames {
		if f = strings.TrimSpace(f); f != "" && f != in.Name {
			former = append(former, f)
		}
	}
	in.FormerNames = former
	if in.IndustryCode != "" {
		if _, ok := industry.Lookup(in.IndustryCode); !ok {
			e.Field("industry_code", "行业代码不在国民经济行业分类（GB/T 4754-2017）中", "not a GB/T 4754-2017 code")
		}
	}
	if in.RegionCode != "" {
		if _, ok := region.Lookup(in.RegionCode); !ok {
			e.Field("region_code", "行政区划代码不存在", "unknown administrative division code")
		}
	}
	if in.RegisteredCapital < 0 {
		e.Field("registered_capital", "注册资本不能为负", "must not be negative")
	}
	if in.Revenue != nil && *in.Revenue < 0 {
		e.Field("revenue", "营业收入不能为负", "must not be negative")
	}
	if in.Staff != nil && (*in.Staff < 0 || !valid.Int32(*in.Staff)) {
		e.Field("staff", "从业人数应为 0–2147483647", "must be 0–2147483647")
	}
	if in.FoundedOn.After(today) {
		e.Field("founded_on", "成立日期不能晚于今天", "must not be in the future")
	}
	if in.ExpandedOn.After(today) {
		e.Field("expanded_on", "扩张日期不能晚于今天", "must not be in the future")
	}
	for _, t := range in.Tags {
		if !tagOK(t) {
			e.Field("tags", "未知的企业标签："+t, "unknown tag: "+t)
		}
	}
	if in.Status == "" {
		in.Status = "not_contacted"
	}
	if !validStatus(in.Status) {
		e.Field("status", "状态不正确", "unknown status")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Intention is an investment intention heard of an enterprise.
type Intention struct {
	ID           int64       `json:"id"`
	EnterpriseID int64       `json:"enterprise_id"`
	Content      string      `json:"content"` // what
	Place        string      `json:"place"`   // where
	Amount       money.Cents `json:"amount"`  // 万元
	HeardOn      civil.Date  `json:"heard_on"`
	Source       string      `json:"source"`
	CreatedBy    string      `json:"created_by"`
	CreatedAt    time.Time   `json:"created_at"`
}

// IntentionInput is a new intention.
type IntentionInput struct {
	Content string      `json:"content"`
	Place   string      `json:"place"`
	Amount  money.Cents `json:"amount"`
	HeardOn civil.Date  `json:"heard_on"`
	Source  string      `json:"source"`
}

// Validate checks an intention.
func (in *IntentionInput) Validate(today civil.Date) error {
	in.Content, in.Place, in.Source = strings.TrimSpace(in.Content), strings.TrimSpace(in.Place), strings.TrimSpace(in.Source)
	e := errs.E(errs.Invalid, "投资意向有误", "the intention has errors")
	if in.Content == "" {
		e.Field("content", "请填写意向内容", "say what they intend")
	}
	if in.HeardOn.IsZero() {
		e.Field("heard_on", "请填写获悉日期", "when was it heard")
	} else if in.HeardOn.After(today) {
		e.Field("heard_on", "获悉日期不能晚于今天", "must not be in the future")
	}
	if in.Amount < 0 {
		e.Field("amount", "金额不能为负", "must not be negative")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Visit is a visit paid to (or received from) an enterprise.
type Visit struct {
	ID           int64      `json:"id"`
	EnterpriseID int64      `json:"enterprise_id"`
	VisitedOn    civil.Date `json:"visited_on"`
	Visitors     string     `json:"visitors"` // who
	UnitID       *int64     `json:"unit_id"`
	UnitName     string     `json:"unit_name"`
	Outcome      string     `json:"outcome"`
	NextStep     string     `json:"next_step"`
	NextOn       civil.Date `json:"next_on"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
}

// VisitInput is a new visit.
type VisitInput struct {
	VisitedOn civil.Date `json:"visited_on"`
	Visitors  string     `json:"visitors"`
	Outcome   string     `json:"outcome"`
	NextStep  string     `json:"next_step"`
	NextOn    civil.Date `json:"next_on"`
}

// Validate checks a visit.
func (in *VisitInput) Validate(today civil.Date) error {
	in.Visitors, in.Outcome, in.NextStep = strings.TrimSpace(in.Visitors), strings.TrimSpace(in.Outcome), strings.TrimSpace(in.NextStep)
	e := errs.E(errs.Invalid, "拜访记录有误", "the visit has errors")
	if in.VisitedOn.IsZero() {
		e.Field("visited_on", "请填写拜访日期", "when was the visit")
	} else if in.VisitedOn.After(today) {
		e.Field("visited_on", "拜访日期不能晚于今天", "must not be in the future")
	}
	if in.Visitors == "" {
		e.Field("visitors", "请填写拜访人员", "who visited")
	}
	if !in.NextOn.IsZero() && in.NextOn.Before(in.VisitedOn) {
		e.Field("next_on", "下一步日期不能早于拜访日期", "must not be before the visit")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}
