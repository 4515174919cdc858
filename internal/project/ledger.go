package project

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// ImportMode says what happens when some rows are bad.
type ImportMode string

const (
	AllOrNothing ImportMode = "all_or_nothing" // any bad row: nothing is written
	ValidOnly    ImportMode = "valid_only"     // good rows land, bad rows are reported
)

// ImportResult is the outcome (or, with DryRun, the preview) of an import.
type ImportResult struct {
	DryRun   bool       `json:"dry_run"`
	Mode     ImportMode `json:"mode"`
	Rows     int        `json:"rows"`
	Valid    int        `json:"valid"`
	Imported int        `json:"imported"`
	// Pending is how many good rows are at signed or later: they enter
	// pending verification and count nowhere until verified (verify.go).
	Pending int          `json:"pending"`
	Errors  []RowError   `json:"errors"`
	Preview []LedgerItem `json:"preview"`
}

// LedgerItem is a parsed row as the preview shows it.
type LedgerItem struct {
	Row                int         `json:"row"`
	Name               string      `json:"name"`
	InvestorName       string      `json:"investor_name"`
	Stage              string      `json:"stage"`
	ContractInvestment money.Cents `json:"contract_investment"`
	LocalityUnitID     *int64      `json:"locality_unit_id"`
	SignedOn           civil.Date  `json:"signed_on"`
	Pending            bool        `json:"pending"` // enters pending verification
}

// ledgerRow is one parsed, checked row.
type ledgerRow struct {
	line              int
	in                Input
	stage             string
	status            string
	dates             [6]civil.Date // by stage index
	errs              []RowError
	nameNorm, invNorm string // for the duplicate guard and the stored row
}

// lookups resolve the names people write in a ledger to codes and ids.
type lookups struct {
	dict   map[string]map[string]string // type → code or label → code
	labels map[string][]string          // type → Chinese labels, for the template
	units  map[string]unitRef           // code, name or short name → unit
}

type unitRef struct {
	id   int64
	kind string
}

func (s *Service) loadLookups(ctx context.Context, q db.Querier) (lookups, error) {
	l := lookups{dict: map[string]map[string]string{}, labels: map[string][]string{}, units: map[string]unitRef{}}
	rows, err := q.QueryContext(ctx, `SELECT type, code, label_zh, label_en FROM dict_items WHERE enabled = ? ORDER BY type, sort, id`, true)
	if err != nil {
		return l, errs.Wrap(err, "dictionary")
	}
	for rows.Next() {
		var typ, code, zh, en string
		if err := rows.Scan(&typ, &code, &zh, &en); err != nil {
			rows.Close()
			return l, errs.Wrap(err, "dictionary")
		}
		if l.dict[typ] == nil {
			l.dict[typ] = map[string]string{}
		}
		l.dict[typ][code], l.dict[typ][zh], l.dict[typ][strings.ToLower(en)] = code, code, code
		l.labels[typ] = append(l.labels[typ], zh)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, code, name, short_name, kind FROM units WHERE status = 'active'`)
	if err != nil {
		return l, errs.Wrap(err, "units")
	}
	defer rows.Close()
	for rows.Next() {
		var u unitRef
		var code, name, short string
		if err := rows.Scan(&u.id, &code, &name, &short, &u.kind); err != nil {
			return l, errs.Wrap(err, "units")
		}
		for _, k := range []string{code, name, short} {
			if k != "" {
				l.units[k] = u
			}
		}
	}
	return l, errs.Wrap(rows.Err(), "units")
}

// parseRow turns one spreadsheet row into a checked ledgerRow.
func (l lookups) parseRow(c *cellReader, a *org.Actor, today civil.Date) ledgerRow {
	r := ledgerRow{line: c.line}
	in := &r.in
	in.Name, in.InvestorName, in.Referrer = c.get("name"), c.get("investor_name"), c.get("referrer")
	in.InvestorUSCC = strings.ToUpper(c.get("investor_uscc"))
	in.IndustryCode = strings.TrimLeft(c.get("industry_code"), "ABCDEFGHIJKLMNOPQRST")
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		c.fail("name", "项目名称必填，最多 100 个字", "required, at most 100 characters")
	}
	if in.InvestorName == "" || len([]rune(in.InvestorName)) > 100 {
		c.fail("investor_name", "投资方必填，最多 100 个字", "required, at most 100 characters")
	}
	if in.InvestorUSCC != "" && !uscc.Valid(in.InvestorUSCC) {
		c.fail("investor_uscc", "统一社会信用代码无效："+in.InvestorUSCC, "invalid unified social credit code: "+in.InvestorUSCC)
	}
	if _, ok := industry.Lookup(in.IndustryCode); in.IndustryCode != "" && !ok {
		c.fail("industry_code", "行业代码不在 GB/T 4754-2017 中："+in.IndustryCode, "not a GB/T 4754-2017 code: "+in.IndustryCode)
	}
	if role := c.get("chain_role"); role != "" {
		if in.ChainRole = chainLabels[role]; in.ChainRole == "" && contains([]string{"build", "fill", "strengthen"}, role) {
			in.ChainRole = role
		}
		if in.ChainRole == "" {
			c.fail("chain_role", "应为建链、补链或强链："+role, "build, fill or strengthen: "+role)
		}
	}
	in.ContractInvestment, in.FixedAssetInvestment = c.amount("contract_investment"), c.amount("fixed_asset_investment")
	in.ForeignCapital, in.FundsInPlace = c.amount("foreign_capital"), c.amount("funds_in_place")
	in.LandAreaMu, in.ExpectedOutput, in.ExpectedTax = c.amount("land_area_mu"), c.amount("expected_output"), c.amount("expected_tax")
	in.ExpectedJobs = c.integer("expected_jobs")
	in.IsForeign = in.ForeignCapital > 0
	in.IsKey = contains([]string{"是", "Y", "y", "yes", "1", "true"}, c.get("is_key"))
	in.Channel = l.code(c, "channel", "channel", true)
	in.SourceRegion = l.code(c, "source_region", "source_region", false)
	for _, t := range splitList(c.get("tags")) {
		if code := l.dict["project_tag"][t]; code != "" {
			in.Tags = append(in.Tags, code)
		} else {
			c.fail("tags", "标签不在数据字典中："+t, "tag not in the dictionary: "+t)
		}
	}
	l.places(c, a, in)
	l.stageAndDates(c, &r, today)
	r.errs = c.errs
	if len(r.errs) == 0 {
		r.nameNorm, r.invNorm = NormName(in.Name), NormInvestor(in.InvestorName)
	}
	return r
}

func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,;，；|", r) })
	out := f[:0]
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (l lookups) code(c *cellReader, field, typ string, required bool) string {
	v := c.get(field)
	if v == "" {
		if required {
			c.fail(field, "必填", "required")
		}
		return ""
	}
	code := l.dict[typ][v]
	if code == "" {
		code = l.dict[typ][strings.ToLower(v)]
	}
	if code == "" {
		c.fail(field, "不在数据字典中："+v, "not in the dictionary: "+v)
	}
	return code
}

// places reads the landing locality and the introducing units with shares
// ("新能源汽车组:50;端州区:50"; no shares means equal shares; empty means
// the importing user's unit, 100%).
func (l lookups) places(c *cellReader, a *org.Actor, in *Input) {
	if loc := c.get("locality"); loc != "" {
		u, ok := l.units[loc]
		if !ok || (u.kind != "locality" && u.kind != "park") {
			c.fail("locality", "落户地须为县(市、区)或园区的名称或编码："+loc, "must name a county/district or park: "+loc)
		} else {
			in.LocalityUnitID = &u.id
		}
	}
	parts := splitList(strings.ReplaceAll(c.get("introducers"), "：", ":"))
	if len(parts) == 0 {
		in.Introducers = []IntroducerInput{{UnitID: a.UnitID, Share: 100_00}}
		return
	}
	for i, p := range parts {
		name, share, hasShare := strings.Cut(p, ":")
		u, ok := l.units[strings.TrimSpace(name)]
		if !ok {
			c.fail("introducers", "引进单位不存在："+name, "no such unit: "+name)
			return
		}
		v := money.Cents(100_00 / len(parts))
		if i == 0 {
			v += money.Cents(100_00 % len(parts)) // equal shares still add up to exactly 100
		}
		if hasShare {
			var err error
			if v, err = money.Parse(strings.TrimSuffix(strings.TrimSpace(share), "%")); err != nil {
				c.fail("introducers", "分成比例应为数字："+share, "the share must be a number: "+share)
				return
			}
		}
		in.Introducers = append(in.Introducers, IntroducerInput{UnitID: u.id, Share: v})
	}
	var v errs.Validation
	validateShares(&v, in.Introducers)
	if e, ok := v.Err().(*errs.Error); ok {
		m := e.Fields["introducers"]
		c.fail("introducers", m.Zh, m.En)
	}
}

// stageAndDates reads stage, status and milestone dates and checks they
// agree: the current stage has its day (old ledgers often lack the days of
// the stages in between, so those may be blank), days do not go backwards
// or into the future, and no stage beyond the current one has one.
func (l lookups) stageAndDates(c *cellReader, r *ledgerRow, today civil.Date) {
	fields := []string{"lead_on", "negotiating_on", "signed_on", "registered_on", "construction_on", "production_on"}
	last := -1
	for i, f := range fields {
		r.dates[i] = c.date(f)
		if !r.dates[i].IsZero() {
			last = i
		}
	}
	r.stage = c.get("stage")
	if code, ok := stageLabels[r.stage]; ok {
		r.stage = code
	}
	switch {
	case r.stage == "" && last >= 0:
		r.stage = Stages[last]
	case r.stage == "":
		r.stage = "lead"
	case stageIndex(r.stage) < 0:
		c.fail("stage", "阶段无效："+r.stage, "unknown stage: "+r.stage)
		return
	}
	if r.status = statusLabels[c.get("status")]; r.status == "" && contains([]string{"active", "on_hold", "terminated"}, c.get("status")) {
		r.status = c.get("status")
	}
	if r.status == "" {
		c.fail("status", "状态应为正常、暂缓或终止", "active, on_hold or terminated")
	}
	if r.dates[0].IsZero() {
		r.dates[0] = firstDate(r.dates[:], today)
	}
	cur, prev := stageIndex(r.stage), civil.Date{}
	for i := 0; i < len(fields); i++ {
		d := r.dates[i]
		switch {
		case i == cur && d.IsZero():
			c.fail(fields[i], "阶段为「"+StageZh[r.stage]+"」时须填写此日期", "required at the stage "+StageEn[r.stage])
		case i > cur && !d.IsZero():
			c.fail(fields[i], "晚于当前阶段的日期不应填写", "a later stage's date is filled in")
		case d.After(today):
			c.fail(fields[i], "日期不能晚于今天", "cannot be in the future")
		case !d.IsZero() && d.Before(prev):
			c.fail(fields[i], "日期早于上一阶段", "before the previous stage's date")
		}
		if !d.IsZero() {
			prev = d
		}
	}
	if cur >= stageIndex("signed") && (r.in.LocalityUnitID == nil || r.in.ContractInvestment <= 0) {
		c.fail("locality", "已签约项目须填写落户地和合同投资额", "signed projects need a landing locality and contracted investment")
	}
	r.in.LeadOn = r.dates[0]
}

func firstDate(ds []civil.Date, today civil.Date) civil.Date {
	for _, d := range ds {
		if !d.IsZero() {
			return d
		}
	}
	return today
}
