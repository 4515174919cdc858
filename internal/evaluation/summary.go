package evaluation

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// Tally counts screenings by verdict.
type Tally struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Screened    int    `json:"screened"`
	Pass        int    `json:"pass"`
	Conditional int    `json:"conditional"`
	Fail        int    `json:"fail"`
}

func (t *Tally) add(verdict string) {
	t.Screened++
	switch verdict {
	case "pass":
		t.Pass++
	case "conditional":
		t.Conditional++
	case "fail":
		t.Fail++
	}
}

// Shortfall is a project in production whose funds in place fell short of
// the fixed-asset investment it was screened on.
type Shortfall struct {
	ProjectID    int64       `json:"project_id"`
	ProjectName  string      `json:"project_name"`
	ProjectCode  string      `json:"project_code"`
	Screened     money.Cents `json:"screened_fixed_asset_investment"`
	FundsInPlace money.Cents `json:"funds_in_place"`
}

// Summary is the screening picture across the projects in scope.
type Summary struct {
	Total       Tally       `json:"total"`
	ByPark      []Tally     `json:"by_park"`
	ByIndustry  []Tally     `json:"by_industry"`
	FailedRules []Tally     `json:"failed_rules"` // Key: indicator; Fail: how many screenings failed it
	Shortfalls  []Shortfall `json:"shortfalls"`
}

// Summarise counts each project's latest submitted screening (drafts and
// returned ones are work in progress, not results).
func (s *Service) Summarise(ctx context.Context, a *org.Actor) (Summary, error) {
	q := s.DB.Reader()
	rows, err := q.QueryContext(ctx, `SELECT e.project_id, e.verdict, e.results_json, e.inputs_json FROM evaluations e
		WHERE e.status IN ('submitted', 'reviewed', 'approved') AND e.id = (SELECT MAX(x.id) FROM evaluations x
		WHERE x.project_id = e.project_id AND x.status IN ('submitted', 'reviewed', 'approved'))`)
	if err != nil {
		return Summary{}, errs.Wrap(err, "summary")
	}
	type row struct {
		pid             int64
		verdict         string
		results, inputs string
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.pid, &r.verdict, &r.results, &r.inputs); err != nil {
			rows.Close()
			return Summary{}, errs.Wrap(err, "summary")
		}
		list = append(list, r)
	}
	rows.Close()
	sum := Summary{Total: Tally{Key: "all", Name: "全部"}, Shortfalls: []Shortfall{}}
	parks, inds, failed := map[string]*Tally{}, map[string]*Tally{}, map[string]*Tally{}
	for _, r := range list {
		p, err := s.Projects.GetIn(ctx, q, a, r.pid)
		if errs.Is(err, errs.NotFound) {
			continue // outside the caller's scope
		}
		if err != nil {
			return sum, err
		}
		var res Results
		var in Inputs
		_ = json.Unmarshal([]byte(r.results), &res)
		_ = json.Unmarshal([]byte(r.inputs), &in)
		sum.Total.add(r.verdict)
		tally(parks, p.LocalityUnitName, p.LocalityUnitName).add(r.verdict)
		sec := p.IndustryCode
		if len(sec) > 2 {
			sec = sec[:2]
		}
		name := sec
		if c, ok := industry.Lookup(sec); ok {
			name = c.Name
		}
		tally(inds, sec, name).add(r.verdict)
		for _, rr := range res.Rules {
			if rr.Result == "fail" {
				tally(failed, rr.Indicator, rr.NameZh).Fail++
			}
		}
		if p.Stage == "production" && in.FixedAssetInvestment > 0 && p.FundsInPlace < in.FixedAssetInvestment {
			sum.Shortfalls = append(sum.Shortfalls, Shortfall{p.ID, p.Name, p.Code, in.FixedAssetInvestment, p.FundsInPlace})
		}
	}
	sum.ByPark, sum.ByIndustry, sum.FailedRules = sorted(parks), sorted(inds), sorted(failed)
	return sum, nil
}

func tally(m map[string]*Tally, key, name string) *Tally {
	if key == "" {
		key, name = "-", "未定"
	}
	if m[key] == nil {
		m[key] = &Tally{Key: key, Name: name}
	}
	return m[key]
}

func sorted(m map[string]*Tally) []Tally {
	out := make([]Tally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Summary answers GET /api/v1/evaluations/summary.
func (h Handlers) Summary(w http.ResponseWriter, r *http.Request) error {
	sum, err := h.S.Summarise(r.Context(), actor(r))
	return httpx.Send(w, sum, err)
}
