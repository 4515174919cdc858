// Package money holds exact decimal amounts. Amounts are stored as integer
// hundredths (of 万元, 万美元 or 亩) and never pass through float64, so sums in
// statistics are exact.
package money

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Cents is an amount in hundredths of its unit (1 万元 = 100).
type Cents int64

// max is 10^15 hundredths: far above any single project (10^13 万元).
const max = Cents(1_000_000_000_000_000)

// ErrFormat is returned for anything but a plain decimal with ≤ 2 decimals.
var ErrFormat = errs.E(errs.Invalid, "应为不超过两位小数的数字", "must be a number with at most two decimals")

// Parse reads "12345", "12345.6" or "-3.25".
func Parse(s string) (Cents, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (hasDot && frac == "") || len(whole) > 13 {
		return 0, ErrFormat
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, ErrFormat
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrFormat
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	c := Cents(w*100 + f)
	if c > max {
		return 0, ErrFormat
	}
	if neg {
		c = -c
	}
	return c, nil
}

// String is the amount with two decimals: "12345.60".
func (c Cents) String() string {
	sign := ""
	v := int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalJSON writes a JSON number with two decimals.
func (c Cents) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalJSON reads a JSON number or numeric string exactly.
func (c *Cents) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*c = 0
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return ErrFormat
		}
	}
	if strings.ContainsAny(s, "eE+") {
		return ErrFormat
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Value stores the integer.
func (c Cents) Value() (driver.Value, error) { return int64(c), nil }

// Scan reads the integer.
func (c *Cents) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*c = Cents(v)
	case nil:
		*c = 0
	default:
		return fmt.Errorf("money: cannot scan %T", src)
	}
	return nil
}

// Number is the amount as a spreadsheet cell value. Only for display cells:
// never store or add up the result.
func (c Cents) Number() float64 { return float64(c) / 100 }
