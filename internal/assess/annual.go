package assess

import (
	"context"
	"math/big"
	"sort"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/setting"
)

// ScoreItem is one item of the annual scoring scheme.
type ScoreItem struct {
	Code   string      `json:"code"`
	NameZh string      `json:"name_zh"`
	Method string      `json:"method"` // completion, efficacy, deduction
	Metric string      `json:"metric"` // completion and efficacy: contract_investment or count
	Weight money.Cents `json:"weight"` // points at full marks (completion) or scale (efficacy, out of 100)
	Cap    money.Cents `json:"cap"`    // completion: the ratio counted at most (1.20 = 120 %)
	Points money.Cents `json:"points"` // deduction: points per occurrence
	Rule   string      `json:"rule"`   // deduction: never_started, duplicated
}

// Scheme is the annual evaluation scheme (R14), a setting.
type Scheme struct {
	Items []ScoreItem `json:"items"`
	// Year, FromYear and Version as for Rules: schemes are versioned by year.
	Year     int `json:"year"`
	FromYear int `json:"from_year"`
	Version  int `json:"version"`
}

// DefaultScheme: completion of the contracted-investment target (60
// points, counted up to 120 %), the efficacy-coefficient score of the amount
// among peers (40 % weight of (x − min)/(max − min) × 40 + 60), and 2 points
// off for each project signed in the year that had not started by year end,
// and 5 for each duplicate found.
var DefaultScheme = Scheme{Items: []ScoreItem{
	{Code: "completion", NameZh: "合同投资额目标完成率", Method: "completion", Metric: "contract_investment", Weight: 60_00, Cap: 1_20},
	{Code: "efficacy", NameZh: "合同投资额功效系数得分", Method: "efficacy", Metric: "contract_investment", Weight: 40_00},
	{Code: "never_started", NameZh: "签约未动工项目扣分", Method: "deduction", Rule: "never_started", Points: 2_00},
	{Code: "duplicated", NameZh: "重复登记、弄虚作假项目扣分", Method: "deduction", Rule: "duplicated", Points: 5_00},
}}

const schemeKey = "assess.scheme"

// Scheme returns the scoring scheme of a year.
func (s *Service) Scheme(ctx context.Context, year int) (Scheme, error) {
	return loadScheme(ctx, s.DB.Reader(), year)
}

func loadScheme(ctx context.Context, q db.Querier, year int) (Scheme, error) {
	sc := Scheme{Items: append([]ScoreItem(nil), DefaultScheme.Items...)}
	own, from, err := setting.LoadYear(ctx, q, schemeKey, year, &sc)
	sc.Year, sc.FromYear, sc.Version = year, from, own
	return sc, err
}

// SetScheme changes a year's scheme (its own version from then on); a
// published year's scheme no longer changes.
func (s *Service) SetScheme(ctx context.Context, a *org.Actor, in Scheme) (Scheme, error) {
	if err := validYear(in.Year); err != nil {
		return in, err
	}
	var v errs.Validation
	for _, it := range in.Items {
		ok := it.Code != "" && it.NameZh != "" && it.Weight >= 0 && it.Points >= 0
		switch it.Method {
		case "completion":
			ok = ok && it.Cap > 0 && (it.Metric == "contract_investment" || it.Metric == "count")
		case "efficacy":
			ok = ok && (it.Metric == "contract_investment" || it.Metric == "count")
		case "deduction":
			ok = ok && (it.Rule == "never_started" || it.Rule == "duplicated")
		default:
			ok = false
		}
		if !ok {
			v.Add("items", "评分项无效："+it.Code, "invalid item: "+it.Code)
		}
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	if err := s.refusePublished(ctx, in.Year); err != nil {
		return in, err
	}
	read, year := in.Version, in.Year
	in.Version, in.FromYear = 0, 0
	return setting.Update(ctx, s.DB, a.Who(), setting.YearKey(schemeKey, year), func(ctx context.Context, q db.Querier) (Scheme, int, error) {
		sc, err := loadScheme(ctx, q, year)
		return sc, sc.Version, err
	}, in, read, s.now())
}

// Score is one unit's annual evaluation.
type Score struct {
	UnitID     int64             `json:"unit_id"`
	UnitName   string            `json:"unit_name"`
	Items      map[string]string `json:"items"` // item code → points, two decimals
	Total      string            `json:"total"`
	Rank       int               `json:"rank"`
	Completed  bool              `json:"completed"`
	Completion *Ratio            `json:"completion"`
	Commended  bool              `json:"commended"`
	Explain    bool              `json:"explanation_required"`
	Reward     bool              `json:"major_reward"`
	total      *big.Rat
}

// Unassessed is a unit of a group that has no target for the year: it is
// neither scored nor ranked and is on no list; tables show it apart.
type Unassessed struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
}

// AnnualGroup is one group's scores, best first, and its untargeted units.
type AnnualGroup struct {
	Group      string       `json:"group"`
	Scores     []Score      `json:"scores"`
	Untargeted []Unassessed `json:"untargeted"`
}

// Annual is a year's evaluation of working groups and localities; the
// same evaluation at the end of an earlier quarter is the year "as it
// stands" (the quarterly bulletin's lists).
type Annual struct {
	Year        int           `json:"year"`
	Period      string        `json:"period"`
	Scheme      Scheme        `json:"scheme"`
	BasisZh     string        `json:"basis_zh"`
	BasisEn     string        `json:"basis_en"`
	Groups      []AnnualGroup `json:"groups"`
	Commended   []string      `json:"commended"`
	Explain     []string      `json:"explanation_required"`
	MajorReward []string      `json:"major_reward"`
	// Published is set once the year's evaluation is published (frozen).
	Published *Publication `json:"published"`
}

// The basis of the commend / explain lists, in words, for every page and
// document that shows them.
// noTargetZh marks, in every table, a unit without a target for the year.
const noTargetZh = "未下达目标任务"

const (
	basisZh = "表扬与情况说明名单依据年度考评办法：按当年考评方案对截至统计期末的年累计数据计分，同组内按得分排名（同分同名次）；" +
		"完成年度目标任务且得分排名前两名的予以通报表扬，未完成年度目标任务且得分排名后两名的须作情况说明；" +
		"未下达目标任务的单位不计分、不排名、不列入名单。排名表按目标完成率排序，完成率向下取整显示。"
	basisEn = "The commend / explain lists follow the annual evaluation: the year's scheme scores the year-to-date figures at the end of the period " +
		"and units are ranked by score within their group (ties share a rank); a unit that met its annual target and ranks in the top two is commended, " +
		"one that missed it and ranks in the bottom two must explain. Units without a target are not scored, ranked or listed. " +
		"The ranking tables order units by completion rate, shown rounded down."
)

// cityWideOnly refuses the annual evaluation to a user whose scope is not all.
func cityWideOnly(a *org.Actor) error {
	if a.Scope != org.ScopeAll {
		return errs.E(errs.Forbidden, "年度考评面向全市，仅限全部数据权限", "the annual evaluation is city-wide: scope all only")
	}
	return nil
}

// Evaluate scores the year (through December) and draws the three lists
// exactly as the seed words them (R15).
func (s *Service) Evaluate(ctx context.Context, a *org.Actor, year int) (Annual, error) {
	if err := cityWideOnly(a); err != nil {
		return Annual{}, err
	}
	return s.evaluateAt(ctx, s.reader(), Period{year, 12})
}

// EvaluateQuarter is the evaluation as the year stands at the end of a
// quarter: the same scheme on the year-to-date figures (the quarterly
// bulletin's lists); the fourth quarter is the annual evaluation.
func (s *Service) EvaluateQuarter(ctx context.Context, a *org.Actor, year, quarter int) (Annual, error) {
	if quarter < 1 || quarter > 4 {
		return Annual{}, errs.E(errs.Invalid, "季度应为 1–4", "quarter is 1–4").Field("quarter", "应为 1–4", "1–4")
	}
	if quarter == 4 {
		return s.Evaluate(ctx, a, year)
	}
	if err := cityWideOnly(a); err != nil {
		return Annual{}, err
	}
	return s.evaluateAt(ctx, s.reader(), Period{year, quarter * 3})
}

// evaluateAt scores the year to the end of month p with the year's scheme;
// December of a published year is the evaluation as published.
func (s *Service) evaluateAt(ctx context.Context, q source, p Period) (Annual, error) {
	if p.Month == 12 {
		pub, ok, err := loadPublished(ctx, q, p.Year, false)
		if err != nil || ok {
			return pub.annual, err
		}
	}
	rep, byMonth, err := s.reportWithRows(ctx, q, p)
	if err != nil {
		return Annual{}, err
	}
	sc, err := loadScheme(ctx, q, p.Year)
	if err != nil {
		return Annual{}, err
	}
	units, err := loadUnits(ctx, q)
	if err != nil {
		return Annual{}, err
	}
	deduct, err := deductions(ctx, q, byMonth, p)
	if err != nil {
		return Annual{}, err
	}
	out := Annual{Year: p.Year, Period: p.String(), Scheme: sc, BasisZh: basisZh, BasisEn: basisEn,
		Commended: []string{}, Explain: []string{}, MajorReward: majorReward(rep, byMonth, units)}
	for _, g := range []string{"working_group", "locality"} {
		var figs []Figure
		for _, f := range rep.Units {
			if rankGroup(units[f.UnitID]) == g {
				figs = append(figs, f)
			}
		}
		ag := scoreGroup(figs, sc, deduct)
		ag.Group = g
		out.Groups = append(out.Groups, ag)
		for _, s := range ag.Scores {
			if s.Commended {
				out.Commended = append(out.Commended, s.UnitName)
			}
			if s.Explain {
				out.Explain = append(out.Explain, s.UnitName)
			}
		}
	}
	return out, nil
}

// reportWithRows is the report with the rows behind it, from the stored
// close when the month is closed.
func (s *Service) reportWithRows(ctx context.Context, q source, p Period) (Report, map[Period][]Credit, error) {
	rep, byMonth, err := s.compute(ctx, q, p)
	if err != nil {
		return rep, nil, err
	}
	if stored, err := s.report(ctx, q, p); err == nil && stored.Closed {
		rep = stored
	}
	return rep, byMonth, nil
}

// scoreGroup scores units of one group, ranks them (ties share a rank) and
// marks the lists: commended when the target is met and fewer than two rank
// strictly above; explanation when it is not met and fewer than two rank
// strictly below.
func scoreGroup(all []Figure, sc Scheme, deduct map[string]map[int64]int64) AnnualGroup {
	out := AnnualGroup{Scores: []Score{}, Untargeted: []Unassessed{}}
	var figs []Figure
	for _, f := range all {
		if f.Target <= 0 {
			out.Untargeted = append(out.Untargeted, Unassessed{f.UnitID, f.UnitName})
			continue
		}
		figs = append(figs, f)
	}
	metric := func(f Figure, m string) int64 {
		if m == "count" {
			return f.YTD.CountBP
		}
		return f.YTD.AmountE4
	}
	var scores []Score
	for _, f := range figs {
		s := Score{UnitID: f.UnitID, UnitName: f.UnitName, Items: map[string]string{}, Completed: f.Completed, Completion: f.Completion, total: new(big.Rat)}
		for _, it := range sc.Items {
			pts := new(big.Rat)
			switch it.Method {
			case "completion":
				if f.Target > 0 {
					r := new(big.Rat).SetFrac64(metric(f, it.Metric), f.Target*Full)
					if cap := new(big.Rat).SetFrac64(int64(it.Cap), 100); r.Cmp(cap) > 0 {
						r = cap
					}
					pts.Mul(r, new(big.Rat).SetFrac64(int64(it.Weight), 100))
				}
			case "efficacy":
				lo, hi := metric(f, it.Metric), metric(f, it.Metric)
				for _, o := range figs {
					lo, hi = min(lo, metric(o, it.Metric)), max(hi, metric(o, it.Metric))
				}
				e := big.NewRat(100, 1) // all equal: every unit at the top
				if hi > lo {
					e = new(big.Rat).SetFrac64(metric(f, it.Metric)-lo, hi-lo)
					e.Mul(e, big.NewRat(40, 1)).Add(e, big.NewRat(60, 1))
				}
				pts.Mul(e, new(big.Rat).SetFrac64(int64(it.Weight), 100_00))
			case "deduction":
				pts.SetFrac64(-deduct[it.Rule][f.UnitID]*int64(it.Points), Full*100)
			}
			s.Items[it.Code] = ratStr(pts)
			s.total.Add(s.total, pts)
		}
		s.Total = ratStr(s.total)
		scores = append(scores, s)
	}
	for i := range scores {
		above, below := 0, 0
		for j := range scores {
			switch scores[j].total.Cmp(scores[i].total) {
			case 1:
				above++
			case -1:
				below++
			}
		}
		scores[i].Rank = above + 1
		scores[i].Commended = scores[i].Completed && above < 2
		scores[i].Explain = !scores[i].Completed && below < 2
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Rank < scores[j].Rank })
	if scores != nil {
		out.Scores = scores
	}
	return out
}

func ratStr(r *big.Rat) string {
	neg := r.Sign() < 0
	a := new(big.Rat).Abs(r)
	x := new(big.Int).Mul(a.Num(), big.NewInt(200))
	x.Add(x, a.Denom())
	x.Quo(x, new(big.Int).Mul(a.Denom(), big.NewInt(2)))
	c := money.Cents(x.Int64())
	if neg {
		c = -c
	}
	return c.String()
}

// deductions counts, per rule and unit, the credit (in basis points) of
// projects signed in the year that never started (still at signed at year
// end, or terminated from it), and of duplicates merged away.
func deductions(ctx context.Context, q db.Querier, byMonth map[Period][]Credit, p Period) (map[string]map[int64]int64, error) {
	out := map[string]map[int64]int64{"never_started": {}, "duplicated": {}}
	stage := map[int64]string{}
	from, to := Period{p.Year, 1}.First(), p.Last()
	rows, err := q.QueryContext(ctx, `SELECT id, stage FROM projects WHERE signed_on >= ? AND signed_on <= ?`, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "deductions")
	}
	for rows.Next() {
		var id int64
		var st string
		if err := rows.Scan(&id, &st); err != nil {
			rows.Close()
			return nil, errs.Wrap(err, "deductions")
		}
		stage[id] = st
	}
	rows.Close()
	for _, list := range byMonth {
		for _, c := range list {
			if c.UnitID != 0 && stageRank[stage[c.ProjectID]] <= stageRank["signed"] && c.Stage != "" {
				out["never_started"][c.UnitID] += c.CountBP
			}
		}
	}
	// Duplicates merged away count against the units the duplicate would
	// have credited: its landing locality in full, its introducers by share.
	if err := addCounts(ctx, q, out["duplicated"], `SELECT locality_unit_id, 10000 FROM projects
		WHERE merged_into_id IS NOT NULL AND locality_unit_id IS NOT NULL AND signed_on >= ? AND signed_on <= ?`, from, to); err != nil {
		return nil, err
	}
	if err := addCounts(ctx, q, out["duplicated"], `SELECT pi.unit_id, pi.share_bp FROM projects p JOIN project_introducers pi ON pi.project_id = p.id
		WHERE p.merged_into_id IS NOT NULL AND p.signed_on >= ? AND p.signed_on <= ?`, from, to); err != nil {
		return nil, err
	}
	return out, nil
}

// addCounts adds (unit, basis points) rows of a query into m.
func addCounts(ctx context.Context, q db.Querier, m map[int64]int64, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return errs.Wrap(err, "deductions")
	}
	defer rows.Close()
	for rows.Next() {
		var unit, bp int64
		if err := rows.Scan(&unit, &bp); err != nil {
			return errs.Wrap(err, "deductions")
		}
		m[unit] += bp
	}
	return errs.Wrap(rows.Err(), "deductions")
}

// majorReward lists every unit credited with a project over 200亿 signed in
// the year (the seed: 引进单体投资额超200亿元项目的 … 给予重奖).
func majorReward(rep Report, byMonth map[Period][]Credit, units map[int64]unitInfo) []string {
	var big200 []string
	for _, b := range rep.Rules.Bands {
		if b.Op == ">" && b.Threshold == 2_000_000_00 {
			big200 = append(big200, b.Code)
		}
	}
	seen := map[int64]bool{}
	out := []string{}
	for _, list := range byMonth {
		for _, c := range list {
			for _, code := range c.Bands {
				if contains(big200, code) && c.UnitID != 0 && c.CountBP > 0 && !seen[c.UnitID] && rankGroup(units[c.UnitID]) != "" {
					seen[c.UnitID] = true
					out = append(out, units[c.UnitID].name)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
