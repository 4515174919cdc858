package assess

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/money"
)

// Sums add credits up exactly.
type Sums struct {
	CountBP   int64            `json:"count_bp"`
	AmountE4  int64            `json:"amount_e4"`
	ForeignE4 int64            `json:"foreign_e4"`
	BandsBP   map[string]int64 `json:"bands_bp"`
}

func (s *Sums) add(c Credit) {
	s.CountBP += c.CountBP
	s.AmountE4 += c.AmountE4
	s.ForeignE4 += c.ForeignE4
	if s.BandsBP == nil {
		s.BandsBP = map[string]int64{}
	}
	for _, b := range c.Bands {
		s.BandsBP[b] += c.CountBP
	}
}

// MarshalJSON adds readable figures beside the exact ones: counts as
// decimals of a project, amounts in 万元 rounded half-up to two decimals.
func (s Sums) MarshalJSON() ([]byte, error) {
	bands := map[string]string{}
	for k, v := range s.BandsBP {
		bands[k] = Count(v)
	}
	return json.Marshal(sumsShape{sumsRaw(s), Count(s.CountBP), Amount(s.AmountE4), Amount(s.ForeignE4), bands})
}

// UnmarshalJSON reads what MarshalJSON wrote; the readable figures are
// derived, so they are read past.
func (s *Sums) UnmarshalJSON(b []byte) error {
	var v sumsShape
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Sums(v.sumsRaw)
	return nil
}

// APIShape is the type the API documents for Sums: what MarshalJSON writes.
func (Sums) APIShape() any { return sumsShape{} }

type sumsRaw Sums

type sumsShape struct {
	sumsRaw
	Count          string            `json:"count"`
	Amount         string            `json:"amount"`
	ForeignCapital string            `json:"foreign_capital"`
	Bands          map[string]string `json:"bands"`
}

// Count writes basis points of a project as a decimal: 15000 → "1.5".
func Count(bp int64) string {
	neg := bp < 0
	if neg {
		bp = -bp
	}
	s := strconv.FormatInt(bp/Full, 10)
	if frac := bp % Full; frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(Full+frac, 10)[1:], "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Amount writes hundredths-of-万元 × basis points as 万元 with two
// decimals, rounding half away from zero only for display.
func Amount(e4 int64) string {
	neg := e4 < 0
	if neg {
		e4 = -e4
	}
	c := money.Cents((e4 + Full/2) / Full)
	if neg {
		c = -c
	}
	return c.String()
}

// Ratio is an exact fraction with its percentage for display.
type Ratio struct {
	num, den *big.Int
	shown    string // a stored document's percentage, for display only (num nil)
}

func ratio(num, den int64) *Ratio {
	if den <= 0 {
		return nil
	}
	return &Ratio{num: big.NewInt(num), den: big.NewInt(den)}
}

// Cmp compares two ratios exactly (a nil ratio — no target — is lowest;
// a display-only one read back from a stored document counts as nil).
func (r *Ratio) Cmp(o *Ratio) int {
	if r != nil && r.num == nil {
		r = nil
	}
	if o != nil && o.num == nil {
		o = nil
	}
	switch {
	case r == nil && o == nil:
		return 0
	case r == nil:
		return -1
	case o == nil:
		return 1
	}
	a := new(big.Int).Mul(r.num, o.den)
	b := new(big.Int).Mul(o.num, r.den)
	return a.Cmp(b)
}

// Percent is the ratio × 100 with two decimals, rounded down: a shown
// completion never claims more than was done, so 100.00 appears only when
// the target is met (99.996 % shows 99.99).
func (r *Ratio) Percent() string {
	if r == nil {
		return ""
	}
	if r.num == nil {
		return r.shown
	}
	x := new(big.Int).Mul(r.num, big.NewInt(10000))
	x.Div(x, r.den) // Euclidean: the floor, the denominator being positive
	return money.Cents(x.Int64()).String()
}

// MarshalJSON writes the percentage.
func (r *Ratio) MarshalJSON() ([]byte, error) { return json.Marshal(r.Percent()) }

// UnmarshalJSON keeps a stored document's percentage for display only: a
// rounded percentage is never compared (decodeReport rebuilds the exact
// ratio from the sums beside it).
func (r *Ratio) UnmarshalJSON(b []byte) error {
	r.num, r.den = nil, nil
	return json.Unmarshal(b, &r.shown)
}
