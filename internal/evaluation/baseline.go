package evaluation

import (
	"context"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// Rule is a minimum or maximum for one indicator.
type Rule struct {
	Indicator string      `json:"indicator"`
	Op        string      `json:"op"` // min: value ≥ threshold passes; max: value ≤ threshold passes
	Value     money.Cents `json:"value"`
	Note      string      `json:"note"`
}

// BaselineSet is one version of a rule set. Sets are never edited: a change
// is a new set with a later effective date, so old screenings keep theirs.
type BaselineSet struct {
	ID               int64      `json:"id"`
	Name             string     `json:"name"`
	ParkUnitID       *int64     `json:"park_unit_id"`
	ParkName         string     `json:"park_name"`
	IndustryPrefixes []string   `json:"industry_prefixes"`
	EffectiveFrom    civil.Date `json:"effective_from"`
	IsDefault        bool       `json:"is_default"` // shipped default the city must confirm
	Note             string     `json:"note"`
	Rules            []Rule     `json:"rules"`
	CreatedAt        time.Time  `json:"created_at"`
}

func (in *BaselineSet) validate() error {
	var v errs.Validation
	if strings.TrimSpace(in.Name) == "" {
		v.Add("name", "名称必填", "required")
	}
	if in.EffectiveFrom.IsZero() {
		v.Add("effective_from", "生效日期必填", "required")
	}
	if len(in.Rules) == 0 {
		v.Add("rules", "至少一条规则", "at least one rule")
	}
	known := map[string]bool{}
	for _, d := range indicatorDefs {
		known[d.code] = true
	}
	for _, r := range in.Rules {
		if !known[r.Indicator] || (r.Op != "min" && r.Op != "max") || r.Value < 0 {
			v.Add("rules", "规则须为已知指标的 min 或 max，且门槛不为负："+r.Indicator, "rules need a known indicator, min or max and a non-negative value: "+r.Indicator)
			break
		}
	}
	for _, p := range in.IndustryPrefixes {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			v.Add("industry_prefixes", "行业代码前缀应为数字："+p, "industry prefixes are digits: "+p)
		}
	}
	return v.Err()
}

// Sets lists every version of every rule set, newest first.
func (s *Service) Sets(ctx context.Context) ([]BaselineSet, error) {
	return loadSets(ctx, s.DB.Reader(), "")
}

func loadSets(ctx context.Context, q db.Querier, where string, args ...any) ([]BaselineSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT b.id, b.name, b.park_unit_id, COALESCE(u.name, ''), b.industry_prefixes, b.effective_from, b.is_default,
		b.note, b.created_at FROM baseline_sets b LEFT JOIN units u ON u.id = b.park_unit_id `+where+` ORDER BY b.effective_from DESC, b.id DESC`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "baseline sets")
	}
	var out []BaselineSet
	idx := map[int64]int{}
	for rows.Next() {
		var b BaselineSet
		var prefixes string
		if err := rows.Scan(&b.ID, &b.Name, &b.ParkUnitID, &b.ParkName, &prefixes, &b.EffectiveFrom, &b.IsDefault, &b.Note, &b.CreatedAt); err != nil {
			rows.Close()
			return nil, errs.Wrap(err, "baseline sets")
		}
		b.IndustryPrefixes = splitList(prefixes)
		b.Rules = []Rule{}
		idx[b.ID] = len(out)
		out = append(out, b)
	}
	rows.Close()
	rrows, err := q.QueryContext(ctx, `SELECT set_id, indicator, op, value, note FROM baseline_rules ORDER BY id`)
	if err != nil {
		return nil, errs.Wrap(err, "baseline rules")
	}
	defer rrows.Close()
	for rrows.Next() {
		var id int64
		var r Rule
		if err := rrows.Scan(&id, &r.Indicator, &r.Op, &r.Value, &r.Note); err != nil {
			return nil, errs.Wrap(err, "baseline rules")
		}
		if i, ok := idx[id]; ok {
			out[i].Rules = append(out[i].Rules, r)
		}
	}
	if out == nil {
		out = []BaselineSet{}
	}
	return out, errs.Wrap(rrows.Err(), "baseline rules")
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CreateSet adds a rule set version.
func (s *Service) CreateSet(ctx context.Context, a *org.Actor, in BaselineSet) (BaselineSet, error) {
	if err := in.validate(); err != nil {
		return in, err
	}
	var out BaselineSet
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		id, err := insertSet(ctx, tx, in, actorID(a), s.now())
		if err != nil {
			return err
		}
		sets, err := loadSets(ctx, tx, "WHERE b.id = ?", id)
		if err != nil || len(sets) != 1 {
			return errs.Wrap(err, "reload set")
		}
		out = sets[0]
		return audit.Append(ctx, tx, a.Entry("baseline.create", "baseline_set", id, nil, out))
	})
	return out, err
}

func actorID(a *org.Actor) any {
	if a == nil || a.UserID == 0 {
		return nil
	}
	return a.UserID
}

func insertSet(ctx context.Context, tx *db.Tx, in BaselineSet, by any, now time.Time) (int64, error) {
	if in.ParkUnitID != nil {
		var n int
		_ = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND kind IN ('park', 'locality')`, *in.ParkUnitID).Scan(&n)
		if n == 0 {
			return 0, errs.E(errs.Invalid, "园区不存在", "no such park").Field("park_unit_id", "园区无效", "invalid park")
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO baseline_sets (name, park_unit_id, industry_prefixes, effective_from, is_default, note, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, in.ParkUnitID, strings.Join(in.IndustryPrefixes, ","), in.EffectiveFrom,
		in.IsDefault, in.Note, by, now).Scan(&id)
	if err != nil {
		return 0, errs.Wrap(err, "insert baseline set")
	}
	for _, r := range in.Rules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO baseline_rules (set_id, indicator, op, value, note) VALUES (?, ?, ?, ?, ?)`,
			id, r.Indicator, r.Op, r.Value, r.Note); err != nil {
			return 0, errs.Wrap(err, "insert baseline rule")
		}
	}
	return id, nil
}

// resolve finds the rule set in force on a day for a park and industry: the
// most specific match (a park's own set before the city's; the longest
// matching industry prefix before a set for all industries), and of those
// the version most recently in force. found is false when none applies.
func resolve(ctx context.Context, q db.Querier, park *int64, industry string, day civil.Date) (set BaselineSet, found bool, err error) {
	sets, err := loadSets(ctx, q, "WHERE b.effective_from <= ?", day)
	if err != nil {
		return set, false, err
	}
	type cand struct {
		set         BaselineSet
		parkMatch   int
		prefixMatch int
	}
	var cands []cand
	for _, b := range sets {
		c := cand{set: b, prefixMatch: -1}
		switch {
		case b.ParkUnitID == nil:
		case park != nil && *b.ParkUnitID == *park:
			c.parkMatch = 1
		default:
			continue
		}
		if len(b.IndustryPrefixes) == 0 {
			c.prefixMatch = 0
		}
		for _, p := range b.IndustryPrefixes {
			if strings.HasPrefix(industry, p) && len(p) > c.prefixMatch {
				c.prefixMatch = len(p)
			}
		}
		if c.prefixMatch < 0 {
			continue
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return set, false, nil
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.parkMatch != b.parkMatch {
			return a.parkMatch > b.parkMatch
		}
		if a.prefixMatch != b.prefixMatch {
			return a.prefixMatch > b.prefixMatch
		}
		return a.set.EffectiveFrom.After(b.set.EffectiveFrom) // loadSets already sorts newest first
	})
	return cands[0].set, true, nil
}

// RuleResult is one rule judged against one indicator.
type RuleResult struct {
	Rule
	NameZh   string `json:"name_zh"`
	NameEn   string `json:"name_en"`
	Unit     string `json:"unit"`
	Actual   string `json:"actual"`
	Result   string `json:"result"` // pass, fail, missing
	ReasonZh string `json:"reason_zh"`
	ReasonEn string `json:"reason_en"`
}

// Judge compares each rule with its indicator exactly: a value exactly at a
// minimum or maximum passes.
func Judge(inds []Indicator, rules []Rule) []RuleResult {
	byCode := map[string]Indicator{}
	for _, i := range inds {
		byCode[i.Code] = i
	}
	out := make([]RuleResult, 0, len(rules))
	for _, r := range rules {
		ind := byCode[r.Indicator]
		res := RuleResult{Rule: r, NameZh: ind.NameZh, NameEn: ind.NameEn, Unit: ind.Unit, Actual: ind.Value}
		limit := r.Value.String() + ind.Unit
		switch {
		case ind.exact == nil:
			res.Result = "missing"
			res.ReasonZh, res.ReasonEn = ind.NameZh+"缺少计算所需数据", ind.NameEn+" cannot be computed: data missing"
		case passes(ind.exact, r):
			res.Result = "pass"
		case r.Op == "min":
			res.Result, res.Actual = "fail", revealing(ind.exact, r.Value)
			res.ReasonZh = ind.NameZh + " " + res.Actual + ind.Unit + "，低于底线 " + limit
			res.ReasonEn = ind.NameEn + " " + res.Actual + " " + ind.Unit + " is below the minimum " + r.Value.String()
		default:
			res.Result, res.Actual = "fail", revealing(ind.exact, r.Value)
			res.ReasonZh = ind.NameZh + " " + res.Actual + ind.Unit + "，高于上限 " + limit
			res.ReasonEn = ind.NameEn + " " + res.Actual + " " + ind.Unit + " is above the maximum " + r.Value.String()
		}
		out = append(out, res)
	}
	return out
}

func passes(v *big.Rat, r Rule) bool {
	c := v.Cmp(new(big.Rat).SetFrac64(int64(r.Value), 100))
	if r.Op == "min" {
		return c >= 0
	}
	return c <= 0
}

// DefaultSet is the city-wide default, shipped for the city to confirm. The
// national industrial-land standard fixes coverage ≥ 30 % and
// administrative/living facilities ≤ 7 %; the other figures are starting
// points set below Guangdong's 2019 development-zone averages (7,617.58
// 万元/公顷 ≈ 507.84 万元/亩 fixed investment, 966.19 万元/公顷 ≈ 64.41 万元/亩 tax).
var DefaultSet = BaselineSet{
	Name: "全市工业项目投资效益底线（默认值，待市政府确认）", EffectiveFrom: civil.MustParse("2020-01-01"), IsDefault: true,
	Note: "建筑系数、行政办公及生活服务设施比重依据《工业项目建设用地控制指标》；其余为默认参考值，须经市政府确认后使用。",
	Rules: []Rule{
		{"investment_intensity", "min", 250_00, "默认值：约为2019年全省开发区平均水平（507.84万元/亩）的一半"},
		{"output_per_mu", "min", 300_00, "默认值"},
		{"tax_per_mu", "min", 15_00, "默认值：全省开发区平均 64.41 万元/亩"},
		{"energy_per_output", "max", 50, "默认值：0.50 吨标准煤/万元"},
		{"building_coverage", "min", 30_00, "《工业项目建设用地控制指标》：不低于30%"},
		{"admin_facility_share", "max", 7_00, "《工业项目建设用地控制指标》：不超过7%"},
	},
}

// SeedDefaults adds the city-wide default set when there is no set at all.
func (s *Service) SeedDefaults(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM baseline_sets`).Scan(&n); err != nil || n > 0 {
			return errs.Wrap(err, "count baseline sets")
		}
		id, err := insertSet(ctx, tx, DefaultSet, nil, s.now())
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "baseline.create", ObjectType: "baseline_set",
			ObjectID: itoa(id), After: DefaultSet})
	})
}
