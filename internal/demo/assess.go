package demo

import (
	"context"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// loadTargets sets this year's and last year's targets (city, working
// groups, localities) and closes last year and this year's ended months
// up to the last quarter's end, so that statistics, closes and rankings
// have something true to show.
func loadTargets(ctx context.Context, as *assess.Service, ids map[string]int64, today civil.Date) error {
	a := &org.Actor{Username: "demo", DisplayName: "演示数据", Scope: org.ScopeAll, Perms: map[string]bool{}}
	const wan = 100 // hundredths of 万元 per 万元
	for _, year := range []int{today.Year() - 1, today.Year()} {
		set := assess.TargetSet{Year: year, Items: []assess.Target{
			{Metric: "contract_investment", Value: 1_100_000 * wan},
			{Metric: "band:b100", Value: 100}, {Metric: "band:b10", Value: 500}, {Metric: "band:b200", Value: 100},
		}}
		for code, v := range map[string]money.Cents{"WG-NEV": 150_000, "WG-EQP": 120_000, "WG-ECO": 80_000, "WG-EIT": 80_000,
			"WG-BJ": 50_000, "WG-YRD": 50_000, "WG-HMT": 40_000, "441202": 100_000, "441203": 90_000, "441204": 150_000,
			"441223": 60_000, "441224": 70_000, "441225": 60_000, "441226": 60_000, "441284": 120_000, "ZONE-GX": 200_000, "ZONE-XQ": 120_000} {
			id := ids[code]
			set.Items = append(set.Items, assess.Target{UnitID: &id, Metric: "contract_investment", Value: v * wan})
		}
		if _, err := as.SetTargets(ctx, a, set); err != nil {
			return err
		}
	}
	// Close through the last quarter end that leaves at least one ended
	// month open, so that closing a month can be shown on the demo too.
	lastEnded := assess.Period{Year: today.Year(), Month: today.Month()}.Prev()
	upTo := lastEnded
	for upTo.Month%3 != 0 || upTo == lastEnded {
		upTo = upTo.Prev()
	}
	for p := (assess.Period{Year: today.Year() - 1, Month: 1}); !upTo.Before(p); p = p.Next() {
		if _, err := as.Close(ctx, a, p); err != nil {
			return err
		}
	}
	return nil
}
