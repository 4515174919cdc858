// Package assess turns projects into the figures that official bulletins and
// rankings are made of: targets, counting rules, monthly statistics that
// close and stay reproducible, and rankings. Figures are computed from
// per-project credit rows, exactly (integers, never float), so every figure
// can be explained row by row.
package assess

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/setting"
)

// Band is a size band of contracted investment. Op ">=" reads "以上"
// (the figure itself included, Civil Code art. 1259); ">" reads "超".
type Band struct {
	Code      string      `json:"code"`
	LabelZh   string      `json:"label_zh"`
	LabelEn   string      `json:"label_en"`
	Op        string      `json:"op"`
	Threshold money.Cents `json:"threshold"` // 万元
}

// In reports whether an amount falls in the band.
func (b Band) In(amount money.Cents) bool {
	if b.Op == ">" {
		return amount > b.Threshold
	}
	return amount >= b.Threshold
}

// Rules are the counting rules; every figure carries the rules that made it.
type Rules struct {
	Bands []Band `json:"bands"`
	// IntroducerCredit: "share" (a 50/50 project is half a project and half
	// the amount to each introducer) or "full" (each gets all of it).
	IntroducerCredit string `json:"introducer_credit"`
	// Terminated: "exclude" (terminated projects drop out of open periods;
	// closed periods never change) or "include".
	Terminated string `json:"terminated"`
	// RankMetric: what rankings compare, "contract_investment" or "count".
	RankMetric string `json:"rank_metric"`
	// Year is the year these rules govern; FromYear the year whose version
	// they are (an earlier one until the year is given its own; 0: the
	// defaults). Version is that of the year's own version (0: none yet).
	Year     int `json:"year"`
	FromYear int `json:"from_year"`
	Version  int `json:"version"`
}

// DefaultRules are the defaults and the seed's bands (R1).
var DefaultRules = Rules{
	Bands: []Band{
		{"b10", "10亿元以上", "≥ 1 bn CNY", ">=", 100_000_00},
		{"b100", "100亿元以上", "≥ 10 bn CNY", ">=", 1_000_000_00},
		{"b200", "超200亿元", "> 20 bn CNY", ">", 2_000_000_00},
	},
	IntroducerCredit: "share", Terminated: "exclude", RankMetric: "contract_investment",
}

// Describe writes the rules in words, for the notes under every table.
func (r Rules) Describe(en bool) []string {
	if en {
		out := []string{"A project counts in the month and year of its signing date; the city total counts each project once.",
			"A landing locality (and the units above it) is credited with the full amount and count of each project landing in it."}
		if r.IntroducerCredit == "share" {
			out = append(out, "Introducing working groups, departments and offices away are credited by their share, amounts and counts alike.")
		} else {
			out = append(out, "Each introducing working group, department and office away is credited with the full project.")
		}
		if r.Terminated == "exclude" {
			out = append(out, "Terminated projects drop out of open periods; closed periods never change, and later corrections land in the next open month.")
		}
		for _, b := range r.Bands {
			out = append(out, "Band "+b.LabelEn+": contracted investment "+b.Op+" "+b.Threshold.String()+" (10k CNY).")
		}
		return out
	}
	out := []string{"项目按签约日期所在年月统计；全市合计中每个项目只计一次。",
		"落户地（及其上级县区）按项目全额、全数计入。"}
	if r.IntroducerCredit == "share" {
		out = append(out, "引进的工作组、市直部门、驻外机构按分成比例计入金额和个数（各占50%的项目各计0.5个）。")
	} else {
		out = append(out, "每个引进的工作组、市直部门、驻外机构均按项目全额、全数计入。")
	}
	if r.Terminated == "exclude" {
		out = append(out, "已终止项目不计入未关账期间；已关账期间数据不再变动，关账后的更正计入下一个未关账月份。")
	}
	for _, b := range r.Bands {
		op := "≥"
		if b.Op == ">" {
			op = ">"
		}
		out = append(out, "「"+b.LabelZh+"」：合同投资额 "+op+" "+strings.TrimSuffix(b.Threshold.String(), ".00")+" 万元。")
	}
	return out
}

func (r *Rules) validate() error {
	var v errs.Validation
	seen := map[string]bool{}
	for _, b := range r.Bands {
		if b.Code == "" || seen[b.Code] || (b.Op != ">=" && b.Op != ">") || b.Threshold <= 0 || b.LabelZh == "" {
			v.Add("bands", "每个档次须有唯一编码、中文名称、比较符（>= 或 >）和大于 0 的门槛", "each band needs a unique code, a label, >= or > and a threshold above 0")
			break
		}
		seen[b.Code] = true
	}
	if r.IntroducerCredit != "share" && r.IntroducerCredit != "full" {
		v.Add("introducer_credit", "应为 share 或 full", "share or full")
	}
	if r.Terminated != "exclude" && r.Terminated != "include" {
		v.Add("terminated", "应为 exclude 或 include", "exclude or include")
	}
	if r.RankMetric != "contract_investment" && r.RankMetric != "count" {
		v.Add("rank_metric", "应为 contract_investment 或 count", "contract_investment or count")
	}
	return v.Err()
}

const rulesKey = "assess.rules"

// loadRules reads the counting rules of a year (versioned by year, so that
// changing next year's rules never re-counts this one).
func loadRules(ctx context.Context, q db.Querier, year int) (Rules, error) {
	r := DefaultRules
	r.Bands = append([]Band(nil), DefaultRules.Bands...)
	own, from, err := setting.LoadYear(ctx, q, rulesKey, year, &r)
	r.Year, r.FromYear, r.Version = year, from, own
	return r, err
}

// Rules returns the counting rules of a year.
func (s *Service) Rules(ctx context.Context, year int) (Rules, error) {
	return loadRules(ctx, s.DB.Reader(), year)
}

// SetRules changes a year's counting rules (its own version from then on).
// Closed months keep the rules they were closed with; a published year's
// rules no longer change.
func (s *Service) SetRules(ctx context.Context, a *org.Actor, in Rules) (Rules, error) {
	if err := validYear(in.Year); err != nil {
		return in, err
	}
	if err := in.validate(); err != nil {
		return in, err
	}
	if err := s.refusePublished(ctx, in.Year); err != nil {
		return in, err
	}
	read, year := in.Version, in.Year
	in.Version, in.FromYear = 0, 0
	return setting.Update(ctx, s.DB, a.Who(), setting.YearKey(rulesKey, year), func(ctx context.Context, q db.Querier) (Rules, int, error) {
		r, err := loadRules(ctx, q, year)
		return r, r.Version, err
	}, in, read, s.now())
}

// validYear checks a year named by a request.
func validYear(year int) error {
	if year < 2000 || year > 2100 {
		return errs.E(errs.Invalid, "年度无效", "invalid year").Field("year", "应为 2000–2100", "2000–2100")
	}
	return nil
}
