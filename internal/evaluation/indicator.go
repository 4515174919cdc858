// Package evaluation screens projects (论证评估) against the city's
// baselines (投资效益底线, R9) and compliance rules (R12) before they are
// signed: indicators with their formulas, rule sets versioned by date, a
// checklist, a verdict and a review workflow.
package evaluation

import (
	"math/big"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/money"
)

// Inputs are the figures a screening is made of. Amounts in 万元, land in
// 亩, energy in tonnes of standard coal, water in tonnes, ratios and shares
// with two decimals (a floor-area ratio of 1.20; a coverage of 35.00 %).
type Inputs struct {
	LandAreaMu           money.Cents `json:"land_area_mu"`
	FixedAssetInvestment money.Cents `json:"fixed_asset_investment"` // buildings + equipment + land
	BuildingInvestment   money.Cents `json:"building_investment"`
	EquipmentInvestment  money.Cents `json:"equipment_investment"`
	LandInvestment       money.Cents `json:"land_investment"`
	TotalInvestment      money.Cents `json:"total_investment"`
	ExpectedOutput       money.Cents `json:"expected_output"`
	ExpectedTax          money.Cents `json:"expected_tax"`
	Jobs                 int         `json:"jobs"`
	EnergyTCE            money.Cents `json:"energy_tce"`
	WaterTonnes          money.Cents `json:"water_tonnes"`
	EmissionsCategory    string      `json:"emissions_category"`
	EIACategory          string      `json:"eia_category"`
	FloorAreaRatio       money.Cents `json:"floor_area_ratio"`
	BuildingCoverage     money.Cents `json:"building_coverage"`
	AdminFacilityShare   money.Cents `json:"admin_facility_share"`
	ParkUnitID           *int64      `json:"park_unit_id"`
	// ResidentialLand: the agreement allocates commercial housing land (R12).
	ResidentialLand bool `json:"residential_land"`
	// NonIndustrialFacilities: residences, hotels or training centres on the
	// industrial land (forbidden by the national industrial-land standard).
	NonIndustrialFacilities bool `json:"non_industrial_facilities"`
}

// Indicator is a computed figure with its formula, so a reader can check it.
type Indicator struct {
	Code      string `json:"code"`
	NameZh    string `json:"name_zh"`
	NameEn    string `json:"name_en"`
	Unit      string `json:"unit"`
	FormulaZh string `json:"formula_zh"`
	FormulaEn string `json:"formula_en"`
	Value     string `json:"value"` // two decimals, rounded half-up; "" when it cannot be computed
	Missing   bool   `json:"missing"`
	exact     *big.Rat
}

// indicatorDef says how to compute one indicator from inputs.
type indicatorDef struct {
	code, zh, en, unit, fzh, fen string
	num, den                     func(Inputs) money.Cents // den nil: the input itself
}

var indicatorDefs = []indicatorDef{
	{"investment_intensity", "投资强度", "Investment intensity", "万元/亩", "固定资产投资（含土地价款）÷ 用地面积", "fixed-asset investment incl. land ÷ site area",
		func(i Inputs) money.Cents { return i.FixedAssetInvestment }, func(i Inputs) money.Cents { return i.LandAreaMu }},
	{"output_per_mu", "亩均产值", "Output per mu", "万元/亩", "达产年产值 ÷ 用地面积", "annual output at full production ÷ site area",
		func(i Inputs) money.Cents { return i.ExpectedOutput }, func(i Inputs) money.Cents { return i.LandAreaMu }},
	{"tax_per_mu", "亩均税收", "Tax per mu", "万元/亩", "达产年税收 ÷ 用地面积", "annual tax at full production ÷ site area",
		func(i Inputs) money.Cents { return i.ExpectedTax }, func(i Inputs) money.Cents { return i.LandAreaMu }},
	{"energy_per_output", "单位产值能耗", "Energy per output", "吨标准煤/万元", "年综合能耗 ÷ 达产年产值", "annual energy use ÷ annual output",
		func(i Inputs) money.Cents { return i.EnergyTCE }, func(i Inputs) money.Cents { return i.ExpectedOutput }},
	{"floor_area_ratio", "容积率", "Floor-area ratio", "", "总建筑面积 ÷ 用地面积（填报值）", "total floor area ÷ site area (as reported)",
		func(i Inputs) money.Cents { return i.FloorAreaRatio }, nil},
	{"building_coverage", "建筑系数", "Building coverage", "%", "（建筑物、构筑物占地 + 堆场占地）÷ 用地面积 × 100（填报值）", "building and yard footprint ÷ site area × 100 (as reported)",
		func(i Inputs) money.Cents { return i.BuildingCoverage }, nil},
	{"admin_facility_share", "行政办公及生活服务设施用地所占比重", "Administrative and living facilities share", "%", "行政办公及生活服务设施用地 ÷ 用地面积 × 100（填报值）", "administrative and living facilities land ÷ site area × 100 (as reported)",
		func(i Inputs) money.Cents { return i.AdminFacilityShare }, nil},
}

// Compute works out every indicator exactly.
func Compute(in Inputs) []Indicator {
	out := make([]Indicator, 0, len(indicatorDefs))
	for _, d := range indicatorDefs {
		ind := Indicator{Code: d.code, NameZh: d.zh, NameEn: d.en, Unit: d.unit, FormulaZh: d.fzh, FormulaEn: d.fen}
		num := d.num(in)
		switch {
		case d.den == nil && num > 0:
			ind.exact = new(big.Rat).SetFrac64(int64(num), 100)
		case d.den != nil && d.den(in) > 0 && num > 0:
			ind.exact = new(big.Rat).SetFrac64(int64(num), int64(d.den(in)))
		}
		if ind.exact == nil {
			ind.Missing = true
		} else {
			ind.Value = format2(ind.exact)
		}
		out = append(out, ind)
	}
	return out
}

// format2 writes a rational with two decimals, rounded half-up.
func format2(r *big.Rat) string { return formatN(r, 2) }

// formatN writes a non-negative rational with n decimals, rounded half-up.
func formatN(r *big.Rat, n int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	x := new(big.Int).Mul(r.Num(), new(big.Int).Mul(scale, big.NewInt(2)))
	x.Add(x, r.Denom())
	x.Quo(x, new(big.Int).Mul(r.Denom(), big.NewInt(2)))
	s := x.String()
	if len(s) <= n {
		s = strings.Repeat("0", n-len(s)+1) + s
	}
	return s[:len(s)-n] + "." + s[len(s)-n:]
}

// revealing writes a value that fails against limit with as many decimals
// as it takes to differ from the limit written the same way (249.9999, not
// the 250.00 two decimals would round it to); a value that never differs
// within ten decimals is written as its exact fraction too.
func revealing(v *big.Rat, limit money.Cents) string {
	lim := new(big.Rat).SetFrac64(int64(limit), 100)
	for n := 2; n <= 10; n++ {
		if s := formatN(v, n); s != formatN(lim, n) {
			return s
		}
	}
	return formatN(v, 10) + "（= " + v.Num().String() + "/" + v.Denom().String() + "）"
}
