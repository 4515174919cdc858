package assess

import (
	"context"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"sort"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// RankItem is one unit's place in its group.
type RankItem struct {
	UnitID       int64  `json:"unit_id"`
	UnitName     string `json:"unit_name"`
	YTD          Sums   `json:"ytd"`
	Target       int64  `json:"target"`
	Completion   *Ratio `json:"completion"`
	Completed    bool   `json:"completed"`
	Rank         int    `json:"rank"` // 0: no target, not ranked
	PreviousRank int    `json:"previous_rank"`
	Movement     int    `json:"movement"` // places gained since the previous quarter
}

// RankGroup ranks units of one kind among themselves.
type RankGroup struct {
	Group string     `json:"group"` // working_group, locality
	Items []RankItem `json:"items"`
}

// Ranking is a quarter's rankings (R14, R15).
type Ranking struct {
	Year    int         `json:"year"`
	Quarter int         `json:"quarter"`
	Period  string      `json:"period"`
	Metric  string      `json:"metric"`
	Groups  []RankGroup `json:"groups"`
}

// rankGroup says which ranking group a unit is in: working groups among
// themselves; counties/districts and the city-level zones (parks directly
// under the root) among themselves as "各地".
func rankGroup(u unitInfo) string {
	switch {
	case u.kind == "working_group":
		return "working_group"
	case u.kind == "locality", u.kind == "park" && topLevel(u):
		return "locality"
	}
	return ""
}

// topLevel is whether a unit sits directly under the root.
func topLevel(u unitInfo) bool { return strings.Count(strings.Trim(u.path, "/"), "/") == 1 }

// Rank ranks by completion rate, exactly; ties share a rank (1, 1, 3).
func (s *Service) Rank(ctx context.Context, a *org.Actor, year, quarter int) (Ranking, error) {
	return s.rank(ctx, a, year, quarter, nil)
}

// rank is Rank reusing rows already read for months of the year.
func (s *Service) rank(ctx context.Context, a *org.Actor, year, quarter int, pre map[Period][]Credit) (Ranking, error) {
	if quarter < 1 || quarter > 4 {
		return Ranking{}, errs.E(errs.Invalid, "季度应为 1–4", "quarter is 1–4").Field("quarter", "应为 1–4", "1–4")
	}
	q := s.reader()
	cur, rows, err := s.rankAt(ctx, q, Period{year, quarter * 3}, pre)
	if err != nil {
		return cur, err
	}
	cur.Quarter = quarter
	if quarter > 1 {
		prev, _, err := s.rankAt(ctx, q, Period{year, quarter*3 - 3}, rows)
		if err != nil {
			return cur, err
		}
		before := map[int64]int{}
		for _, g := range prev.Groups {
			for _, it := range g.Items {
				before[it.UnitID] = it.Rank
			}
		}
		for gi := range cur.Groups {
			for i := range cur.Groups[gi].Items {
				it := &cur.Groups[gi].Items[i]
				it.PreviousRank = before[it.UnitID]
				if it.PreviousRank > 0 && it.Rank > 0 {
					it.Movement = it.PreviousRank - it.Rank
				}
			}
		}
	}
	return s.scopedRanking(ctx, a, cur)
}

// rankAt ranks as of the end of month p: from its close when it is closed,
// else computed (reusing pre, the rows of a later month, when given); it
// returns the rows it read, for the previous quarter's ranking.
func (s *Service) rankAt(ctx context.Context, q source, p Period, pre map[Period][]Credit) (Ranking, map[Period][]Credit, error) {
	var rep Report
	var rows map[Period][]Credit
	var raw string
	err := q.QueryRowContext(ctx, `SELECT report_json FROM period_closes WHERE year = ? AND month = ? AND reopened_at IS NULL`, p.Year, p.Month).Scan(&raw)
	if err == nil {
		rep, err = decodeReport(raw)
	} else {
		rep, rows, err = s.computeWith(ctx, q, p, pre, civil.Date{})
	}
	if err != nil {
		return Ranking{}, nil, err
	}
	units, err := loadUnits(ctx, q)
	if err != nil {
		return Ranking{}, nil, err
	}
	out := Ranking{Year: p.Year, Period: p.String(), Metric: rep.Rules.RankMetric}
	var counts map[int64]int64
	if out.Metric == "count" {
		if counts, err = loadTargets(ctx, q, p.Year, "count"); err != nil {
			return out, nil, err
		}
	}
	groups := map[string][]RankItem{}
	for _, f := range rep.Units {
		g := rankGroup(units[f.UnitID])
		if g == "" {
			continue
		}
		it := RankItem{UnitID: f.UnitID, UnitName: f.UnitName, YTD: f.YTD, Target: f.Target, Completion: f.Completion, Completed: f.Completed}
		if out.Metric == "count" { // count targets are hundredths of a project; counts are basis points
			it.Target = counts[f.UnitID]
			it.Completion = ratio(f.YTD.CountBP, it.Target*100)
			it.Completed = it.Target > 0 && f.YTD.CountBP >= it.Target*100
		}
		groups[g] = append(groups[g], it)
	}
	for _, g := range []string{"working_group", "locality"} {
		items := groups[g]
		sort.SliceStable(items, func(i, j int) bool {
			if c := items[i].Completion.Cmp(items[j].Completion); c != 0 {
				return c > 0
			}
			return unitLess(units[items[i].UnitID], units[items[j].UnitID])
		})
		for i := range items {
			if items[i].Completion == nil {
				continue
			}
			above := 0
			for j := range items {
				if items[j].Completion.Cmp(items[i].Completion) > 0 {
					above++
				}
			}
			items[i].Rank = above + 1
		}
		out.Groups = append(out.Groups, RankGroup{Group: g, Items: items})
	}
	return out, rows, nil
}

func (s *Service) scopedRanking(ctx context.Context, a *org.Actor, r Ranking) (Ranking, error) {
	if a.Scope == org.ScopeAll {
		return r, nil
	}
	in, err := unitsInScope(ctx, s.DB.Reader(), a)
	if err != nil {
		return r, err
	}
	for gi, g := range r.Groups {
		var kept []RankItem
		for _, it := range g.Items {
			if in[it.UnitID] {
				kept = append(kept, it)
			}
		}
		r.Groups[gi].Items = kept
	}
	return r, nil
}
