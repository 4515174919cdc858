package assess

import (
	"context"
	"math/big"
	"math/rand/v2"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/project"
)

// Forecast is the expected year-end figure and the chance of each target,
// with the method and its inputs shown beside it.
type Forecast struct {
	MethodZh      string           `json:"method_zh"`
	MethodEn      string           `json:"method_en"`
	LeadRate      string           `json:"lead_rate"`        // share of past leads that signed, %
	NegotiateRate string           `json:"negotiating_rate"` // share of past negotiations that signed, %
	HistoryBasis  int              `json:"history_basis"`    // projects the rates come from
	Pipeline      int              `json:"pipeline"`         // leads and negotiations expected to sign this year
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

// rates are this city's own conversion rates: of the projects registered at
// least half a year ago (duplicates merged away aside), how many leads and
// how many negotiations signed. Counted city-wide, whatever the reader's scope.
func (s *Service) rates(ctx context.Context, today civil.Date) (lead, neg *Ratio, n int, err error) {
	var total, signed, negotiated, negSigned int64
	cutoff := today.AddDays(-183)
	err = s.Projects.EachRow(ctx, &org.Actor{Scope: org.ScopeAll}, func(r *project.Row) {
		if r.Merged || r.LeadOn.After(cutoff) {
			return
		}
		total++
		if !r.SignedOn.IsZero() {
			signed++
		}
		if !r.NegotiatingOn.IsZero() {
			negotiated++
			if !r.SignedOn.IsZero() {
				negSigned++
			}
		}
	})
	return ratio(signed, total), ratio(negSigned, negotiated), int(total), err
}

// forecast adds to the year-to-date figure each pipeline project expected to
// sign by 31 December, weighted by its stage's conversion rate; the chance
// of a target is the share of 20,000 seeded simulations (each project signs
// or not, independently) that reach it, so the figure is the same each time.
func (s *Service) forecast(ctx context.Context, a *org.Actor, year int, ytd Figure, counts map[string]int64) (Forecast, error) {
	lead, neg, n, err := s.rates(ctx, s.today())
	if err != nil {
		return Forecast{}, err
	}
	f := Forecast{
		MethodZh: "预计全年 = 年累计 + Σ（预计年内签约的线索、在谈项目合同投资额 × 该阶段历史签约率）；达成概率为 20000 次固定种子模拟中达到目标的比例。",
		MethodEn: "expected year end = year to date + Σ (contracted investment of leads and negotiations expected to sign this year × that stage's historical signing rate); the chance of a target is the share of 20,000 seeded simulations that reach it.",
		LeadRate: lead.Percent(), NegotiateRate: neg.Percent(), HistoryBasis: n, Simulations: 20000, Actual: Amount(ytd.YTD.AmountE4),
	}
	type bet struct {
		amount int64
		rate   *Ratio  // exact, for the expected figure
		p      float64 // the same rate, for the simulation's coin only
		count  int64
	}
	var bets []bet
	first, last := Period{year, 1}.First(), Period{year, 12}.Last()
	err = s.Projects.EachRow(ctx, a, func(p *project.Row) {
		if p.Status != "active" || (p.Stage != "lead" && p.Stage != "negotiating") ||
			p.ExpectedSignOn.IsZero() || p.ExpectedSignOn.Before(first) || p.ExpectedSignOn.After(last) {
			return
		}
		r := lead
		if p.Stage == "negotiating" {
			r = neg
		}
		if r == nil {
			return
		}
		pf, _ := r.float()
		bets = append(bets, bet{amount: int64(p.ContractInvestment) * Full, rate: r, p: pf, count: Full})
	})
	if err != nil {
		return f, err
	}
	f.Pipeline = len(bets)
	exp := new(big.Rat).SetInt64(ytd.YTD.AmountE4)
	for _, b := range bets {
		exp.Add(exp, new(big.Rat).Mul(new(big.Rat).SetInt64(b.amount), new(big.Rat).SetFrac(b.rate.num, b.rate.den)))
	}
	f.expectedE4 = new(big.Int).Quo(exp.Num(), exp.Denom()).Int64()
	f.Expected = Amount(f.expectedE4)
	rng := rand.New(rand.NewPCG(uint64(year), 441200))
	reachAmount, reachCount := 0, 0
	for i := 0; i < f.Simulations; i++ {
		amount, count := ytd.YTD.AmountE4, ytd.YTD.CountBP
		for _, b := range bets {
			if rng.Float64() < b.p {
				amount += b.amount
				count += b.count
			}
		}
		if ytd.Target > 0 && amount >= ytd.Target*Full {
			reachAmount++
		}
		if counts["count"] > 0 && count >= counts["count"]*100 {
			reachCount++
		}
	}
	if ytd.Target > 0 {
		f.Targets = append(f.Targets, TargetForecast{"contract_investment", Amount(ytd.Target * Full), Amount(ytd.YTD.AmountE4), pct(reachAmount, f.Simulations)})
	}
	if counts["count"] > 0 {
		f.Targets = append(f.Targets, TargetForecast{"count", Count(counts["count"] * 100), Count(ytd.YTD.CountBP), pct(reachCount, f.Simulations)})
	}
	return f, nil
}

func pct(n, of int) string { return ratio(int64(n), int64(of)).Percent() }

func (r *Ratio) float() (float64, bool) {
	if r == nil {
		return 0, false
	}
	f, _ := new(big.Rat).SetFrac(r.num, r.den).Float64()
	return f, true
}
