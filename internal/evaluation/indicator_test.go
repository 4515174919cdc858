package evaluation

import (
	"testing"

	"github.com/zhaoqing/attract/internal/platform/money"
)

func TestIndicatorFormulas(t *testing.T) {
	in := Inputs{LandAreaMu: 50_00, FixedAssetInvestment: 12_500_00, ExpectedOutput: 20_000_00, ExpectedTax: 751_00,
		EnergyTCE: 3_000_00, FloorAreaRatio: 1_20, BuildingCoverage: 30_00, AdminFacilityShare: 7_00}
	want := map[string]string{"investment_intensity": "250.00", "output_per_mu": "400.00", "tax_per_mu": "15.02",
		"energy_per_output": "0.15", "floor_area_ratio": "1.20", "building_coverage": "30.00", "admin_facility_share": "7.00"}
	for _, ind := range Compute(in) {
		if ind.Value != want[ind.Code] || ind.FormulaZh == "" {
			t.Errorf("%s = %q want %q", ind.Code, ind.Value, want[ind.Code])
		}
	}
	// Missing land: per-mu indicators cannot be computed and say so.
	for _, ind := range Compute(Inputs{FixedAssetInvestment: 100}) {
		if ind.Code == "investment_intensity" && (!ind.Missing || ind.Value != "") {
			t.Errorf("intensity without land: %+v", ind)
		}
	}
}

// TestRuleEdges: a value exactly at a minimum or maximum passes; a hair
// beyond fails; a rule without data is missing, not passed.
func TestRuleEdges(t *testing.T) {
	rules := []Rule{{Indicator: "investment_intensity", Op: "min", Value: 250_00}, {Indicator: "admin_facility_share", Op: "max", Value: 7_00},
		{Indicator: "energy_per_output", Op: "max", Value: 50}}
	cases := []struct {
		name string
		in   Inputs
		want []string
	}{
		{"exactly at the edges", Inputs{LandAreaMu: 3_00, FixedAssetInvestment: 750_00, AdminFacilityShare: 7_00, EnergyTCE: 1_00, ExpectedOutput: 2_00}, []string{"pass", "pass", "pass"}},
		// 749.99 / 3 = 249.996… which displays as 250.00 but is below the minimum.
		{"just below the minimum", Inputs{LandAreaMu: 3_00, FixedAssetInvestment: 749_99, AdminFacilityShare: 7_01, EnergyTCE: 1_01, ExpectedOutput: 2_00}, []string{"fail", "fail", "fail"}},
		{"no data", Inputs{}, []string{"missing", "missing", "missing"}},
	}
	for _, c := range cases {
		res := Judge(Compute(c.in), rules)
		for i, r := range res {
			if r.Result != c.want[i] {
				t.Errorf("%s: %s %s got %s (actual %s)", c.name, r.Indicator, r.Op, r.Result, r.Actual)
			}
			if r.Result == "fail" && r.ReasonZh == "" {
				t.Errorf("%s: a failed rule must say why", c.name)
			}
		}
	}
	_ = money.Cents(0)
}

// TestFailureShowsWhy: a failing value is written with the decimals it
// takes to differ from the limit (two decimals would show 250.00 against
// 250.00), in the rule's actual value and in its reason; a value equal to
// the limit to ten decimals is given as its exact fraction too.
func TestFailureShowsWhy(t *testing.T) {
	min250 := []Rule{{Indicator: "investment_intensity", Op: "min", Value: 250_00}}
	cases := []struct {
		invest, land money.Cents
		want         string
	}{
		{749_99, 3_00, "249.997"},           // 249.99666…
		{24_999_99, 100_00, "249.9999"},     // exactly 249.9999
		{74_999_999, 300_000, "249.999997"}, // 249.9999966…
		{20_000_00, 100_00, "200.00"},       // two decimals already show it
		{24_999_999_999_999, 100_000_000_000, "250.0000000000（= 24999999999999/100000000000）"},
	}
	for _, c := range cases {
		got := Judge(Compute(Inputs{LandAreaMu: c.land, FixedAssetInvestment: c.invest}), min250)[0]
		if got.Result != "fail" || got.Actual != c.want || got.ReasonZh != "投资强度 "+c.want+"万元/亩，低于底线 250.00万元/亩" {
			t.Errorf("%s/%s: %s %q %q, want %q", c.invest, c.land, got.Result, got.Actual, got.ReasonZh, c.want)
		}
	}
	// The indicator itself keeps its two decimals (rounded half-up) for display.
	if v := Compute(Inputs{LandAreaMu: 100_00, FixedAssetInvestment: 24_999_99})[0].Value; v != "250.00" {
		t.Errorf("indicator value %q", v)
	}
}
