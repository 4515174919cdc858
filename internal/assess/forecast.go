package assess

import (
	"context"
	"math/big"
	"math/rand/v2"
	"net/http"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/project"
)

// Forecast is the expected year-end figure and the chance of each target,
// with the method and its inputs shown beside it.
type Forecast struct {
	MethodZh      string           `json:"method_zh"`
	MethodEn      string           `json:"method_en"`
	LeadRate      string           `json:"lead_rate"`        // share of past leads that signed, %
	NegotiateRate string           `json:"negotiating_rate"` // share of past negotiations that signed, %
	OverdueRate   string           `json:"overdue_rate"`     // share of past overdue expectations that signed later, % ("": no history)
	HistoryBasis  int              `json:"history_basis"`    // projects the rates come from
	Pipeline      int              `json:"pipeline"`         // leads and negotiations expected to sign this year
	Overdue       int              `json:"overdue"`          // of which the expected day has passed
	Actual        string           `json:"actual"`           // year to date, 万元
	Expected      string           `json:"expected"`         // expected year end, 万元
	Targets       []TargetForecast `json:"targets"`
	Simulations   int              `json:"simulations"`
	expectedE4    int64
}

// TargetForecast is one target's chance.
type TargetForecast struct {
	Metric      string `json:"metric"`
	Target      string `json:"target"`
	Actual      string `json:"actual"`
	Probability string `json:"probability"` // %
}

// history is what the city's own past shows: for each basis (lead,
// negotiating, overdue) how many projects and how many of them signed.
type history map[string][2]int64

// eachHistory hands fn every project behind the rates with its bases: of
// the projects registered at least half a year ago (duplicates merged away
// aside), every one is a lead; those that negotiated are negotiations; those
// whose expected signing day passed (before the same cut-off) without
// signing by it are overdue expectations. Counted city-wide.
func (s *Service) eachHistory(ctx context.Context, a *org.Actor, today civil.Date, fn func(basis string, r *project.Row)) error {
	cutoff := today.AddDays(-183)
	return s.Projects.EachRow(ctx, a, func(r *project.Row) {
		if r.Merged || r.LeadOn.After(cutoff) {
			return
		}
		fn("lead", r)
		if !r.NegotiatingOn.IsZero() {
			fn("negotiating", r)
		}
		if !r.ExpectedSignOn.IsZero() && !r.ExpectedSignOn.After(cutoff) && (r.SignedOn.IsZero() || r.SignedOn.After(r.ExpectedSignOn)) {
			fn("overdue", r)
		}
	})
}

func (s *Service) history(ctx context.Context, today civil.Date) (history, error) {
	h := history{}
	err := s.eachHistory(ctx, &org.Actor{Scope: org.ScopeAll}, today, func(basis string, r *project.Row) {
		n := h[basis]
		n[0]++
		if !r.SignedOn.IsZero() {
			n[1]++
		}
		h[basis] = n
	})
	return h, err
}

func (h history) rate(basis string) *Ratio { return ratio(h[basis][1], h[basis][0]) }

// rates are the lead and negotiation signing rates and how many projects they come from.
func (s *Service) rates(ctx context.Context, today civil.Date) (lead, neg *Ratio, n int, err error) {
	h, err := s.history(ctx, today)
	return h.rate("lead"), h.rate("negotiating"), int(h["lead"][0]), err
}

// PipelineRow is one project the forecast counts, with the rate it counts at.
type PipelineRow struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	Stage          string     `json:"stage"`
	Amount         string     `json:"amount"` // 万元
	ExpectedSignOn civil.Date `json:"expected_sign_on"`
	Overdue        bool       `json:"overdue"` // the expected day is before today
	Rate           string     `json:"rate"`    // %, "" when it is not counted (no history for overdue ones)
	amountE4       int64
	rate           *Ratio
	bands          uint64
}

// pipeline is every active lead and negotiation in the actor's scope whose
// expected signing day falls in the year; one whose day has passed counts at
// the overdue rate (not at all when the history has none).
func (s *Service) pipeline(ctx context.Context, a *org.Actor, year int, h history, r Rules) ([]PipelineRow, error) {
	today := s.today()
	first, last := Period{year, 1}.First(), Period{year, 12}.Last()
	out := []PipelineRow{}
	err := s.Projects.EachRow(ctx, a, func(p *project.Row) {
		if p.Status != "active" || (p.Stage != "lead" && p.Stage != "negotiating") ||
			p.ExpectedSignOn.IsZero() || p.ExpectedSignOn.Before(first) || p.ExpectedSignOn.After(last) {
			return
		}
		row := PipelineRow{ID: p.ID, Code: p.Code, Name: p.Name, Stage: p.Stage, Amount: p.ContractInvestment.String(),
			ExpectedSignOn: p.ExpectedSignOn, Overdue: p.ExpectedSignOn.Before(today), amountE4: int64(p.ContractInvestment) * Full}
		row.rate = h.rate(p.Stage)
		if row.Overdue {
			row.rate = h.rate("overdue")
		}
		row.Rate = row.rate.Percent()
		for i, b := range r.Bands {
			if b.In(p.ContractInvestment) && i < 64 {
				row.bands |= 1 << i
			}
		}
		out = append(out, row)
	})
	return out, err
}

// forecast adds to the year-to-date figure each pipeline project, weighted
// by its rate; the chance of a target (amount, count, each band) is the
// share of 20,000 seeded simulations (each project signs or not,
// independently) that reach it, so the figure is the same each time.
func (s *Service) forecast(ctx context.Context, a *org.Actor, year int, ytd Figure, targets map[string]int64) (Forecast, error) {
	h, err := s.history(ctx, s.today())
	if err != nil {
		return Forecast{}, err
	}
	r, err := loadRules(ctx, s.DB.Reader(), year)
	if err != nil {
		return Forecast{}, err
	}
	bets, err := s.pipeline(ctx, a, year, h, r)
	if err != nil {
		return Forecast{}, err
	}
	f := Forecast{
		MethodZh: "预计全年 = 年累计 + Σ（预计年内签约的线索、在谈项目合同投资额 × 该阶段历史签约率）；预计签约日期已过仍未签约的项目按历史上逾期项目后来签约的比例计（无此类历史则不计）；达成概率为 20000 次固定种子模拟中达到目标的比例。",
		MethodEn: "expected year end = year to date + Σ (contracted investment of leads and negotiations expected to sign this year × that stage's historical signing rate); a project whose expected day has passed counts at the rate at which past overdue projects signed later (not at all without such history); the chance of a target is the share of 20,000 seeded simulations that reach it.",
		LeadRate: h.rate("lead").Percent(), NegotiateRate: h.rate("negotiating").Percent(), OverdueRate: h.rate("overdue").Percent(),
		HistoryBasis: int(h["lead"][0]), Pipeline: len(bets), Simulations: 20000, Actual: Amount(ytd.YTD.AmountE4),
	}
	exp := new(big.Rat).SetInt64(ytd.YTD.AmountE4)
	for _, b := range bets {
		f.Overdue += map[bool]int{true: 1}[b.Overdue]
		if b.rate != nil {
			exp.Add(exp, new(big.Rat).Mul(new(big.Rat).SetInt64(b.amountE4), new(big.Rat).SetFrac(b.rate.num, b.rate.den)))
		}
	}
	f.expectedE4 = new(big.Int).Quo(exp.Num(), exp.Denom()).Int64()
	f.Expected = Amount(f.expectedE4)
	f.Targets = simulate(f.Simulations, year, ytd, bets, r, targets)
	return f, nil
}

// simulate runs the seeded simulations and gives each target its chance.
func simulate(n, year int, ytd Figure, bets []PipelineRow, r Rules, targets map[string]int64) []TargetForecast {
	p := make([]float64, len(bets))
	for i, b := range bets {
		p[i], _ = b.rate.float()
	}
	rng := rand.New(rand.NewPCG(uint64(year), 441200))
	reach := map[string]int{}
	bands := make([]int64, len(r.Bands))
	for i := 0; i < n; i++ {
		amount, count := ytd.YTD.AmountE4, ytd.YTD.CountBP
		clear(bands)
		for j, b := range bets {
			if b.rate != nil && rng.Float64() < p[j] {
				amount += b.amountE4
				count += Full
				for k := range r.Bands {
					if b.bands&(1<<k) != 0 {
						bands[k] += Full
					}
				}
			}
		}
		if ytd.Target > 0 && amount >= ytd.Target*Full {
			reach["contract_investment"]++
		}
		if targets["count"] > 0 && count >= targets["count"]*100 {
			reach["count"]++
		}
		for k, b := range r.Bands {
			if t := targets["band:"+b.Code]; t > 0 && ytd.YTD.BandsBP[b.Code]+bands[k] >= t*100 {
				reach["band:"+b.Code]++
			}
		}
	}
	var out []TargetForecast
	if ytd.Target > 0 {
		out = append(out, TargetForecast{"contract_investment", Amount(ytd.Target * Full), Amount(ytd.YTD.AmountE4), pct(reach["contract_investment"], n)})
	}
	if targets["count"] > 0 {
		out = append(out, TargetForecast{"count", Count(targets["count"] * 100), Count(ytd.YTD.CountBP), pct(reach["count"], n)})
	}
	for _, b := range r.Bands {
		if t := targets["band:"+b.Code]; t > 0 {
			out = append(out, TargetForecast{"band:" + b.Code, Count(t * 100), Count(ytd.YTD.BandsBP[b.Code]), pct(reach["band:"+b.Code], n)})
		}
	}
	return out
}

func pct(n, of int) string { return ratio(int64(n), int64(of)).Percent() }

func (r *Ratio) float() (float64, bool) {
	if r == nil || r.num == nil {
		return 0, false
	}
	f, _ := new(big.Rat).SetFrac(r.num, r.den).Float64()
	return f, true
}

// HistoryRow is one project behind a forecast rate.
type HistoryRow struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	LeadOn         civil.Date `json:"lead_on"`
	ExpectedSignOn civil.Date `json:"expected_sign_on"`
	SignedOn       civil.Date `json:"signed_on"`
}

// PipelineJSON answers GET /api/v1/cockpit/pipeline?year=: the projects the
// forecast counts, each with its rate (the click on the pipeline figure).
func (h Handlers) PipelineJSON(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	if err := validYear(year); err != nil {
		return err
	}
	rows, err := h.S.Pipeline(r.Context(), actor(r), year)
	return httpx.SendAll(w, rows, err)
}

// Pipeline is the forecast's pipeline for a year, in the actor's scope.
func (s *Service) Pipeline(ctx context.Context, a *org.Actor, year int) ([]PipelineRow, error) {
	hist, err := s.history(ctx, s.today())
	if err != nil {
		return nil, err
	}
	rules, err := loadRules(ctx, s.DB.Reader(), year)
	if err != nil {
		return nil, err
	}
	return s.pipeline(ctx, a, year, hist, rules)
}

// HistoryJSON answers GET /api/v1/cockpit/history?basis=lead|negotiating|overdue:
// the projects behind a rate, those in the caller's scope (the rate itself
// is city-wide; outside says how many of its projects the caller cannot see).
func (h Handlers) HistoryJSON(w http.ResponseWriter, r *http.Request) error {
	basis := r.URL.Query().Get("basis")
	if basis != "lead" && basis != "negotiating" && basis != "overdue" {
		return errs.E(errs.Invalid, "basis 应为 lead、negotiating 或 overdue", "basis is lead, negotiating or overdue").Field("basis", "无效", "invalid")
	}
	today := h.S.today()
	hist, err := h.S.history(r.Context(), today)
	if err != nil {
		return err
	}
	rows := []HistoryRow{}
	err = h.S.eachHistory(r.Context(), actor(r), today, func(b string, p *project.Row) {
		if b == basis {
			rows = append(rows, HistoryRow{p.ID, p.Code, p.Name, p.LeadOn, p.ExpectedSignOn, p.SignedOn})
		}
	})
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, HistoryAnswer{Basis: basis, Items: rows, Total: len(rows),
		Outside: int(hist[basis][0]) - len(rows), Rate: hist.rate(basis).Percent()})
}

// HistoryAnswer is the projects behind a signing rate: those in scope, how
// many more count outside it, and the rate over all of them.
type HistoryAnswer struct {
	Basis   string       `json:"basis"`
	Items   []HistoryRow `json:"items"`
	Total   int          `json:"total"`
	Outside int          `json:"outside"`
	Rate    string       `json:"rate"`
}
