// Package civil holds the calendar date type used for milestones and
// effective dates: a day, not an instant, written YYYY-MM-DD.
package civil

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Shanghai is the time zone periods and "today" are reckoned in.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no tzdata on the host: China has no DST
	}
	return loc
}

var errFormat = errs.E(errs.Invalid, "日期格式应为 YYYY-MM-DD", "dates are written YYYY-MM-DD")

// Date is a civil date. The zero Date means "not set". It is held as a day
// number (four bytes, compared as integers): projects carry seven dates
// each and lists, warnings and statistics compare them by the million.
type Date struct{ n int32 }

// bias makes day numbers positive for every year from 1 to 9999, so that
// 0 can mean "not set".
const bias = 800_000

// ofYMD is the date of a calendar day.
func ofYMD(y int, m time.Month, d int) Date {
	return Date{int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400) + bias}
}

// time is the date's midnight, UTC.
func (d Date) time() time.Time { return time.Unix(int64(d.n-bias)*86400, 0).UTC() }

// Parse reads YYYY-MM-DD.
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("not a date (YYYY-MM-DD): %q", s)
	}
	// Year 0 (which PostgreSQL has no room for) and years before the
	// printed calendar are typing mistakes, refused the same on both engines.
	if t.Year() < MinYear {
		return Date{}, fmt.Errorf("not a date from %d on (YYYY-MM-DD): %q", MinYear, s)
	}
	return ofYMD(t.Date()), nil
}

// MinYear is the first year a date may name (an enterprise's founding in
// the 19th century is real; year 0 is not).
const MinYear = 1800

// MustParse is Parse for constants in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of is the civil date of an instant in Asia/Shanghai.
func Of(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return ofYMD(y, m, d)
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.n == 0 }

// String is YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.time().Format(time.DateOnly)
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.n > o.n }

// AddDays moves the date by n days.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return Date{d.n + int32(n)}
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errFormat
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	p, err := Parse(s)
	if err != nil {
		return errFormat
	}
	*d = p
	return nil
}

// Value stores the date as text, which both SQLite and PostgreSQL (DATE) accept.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads TEXT (SQLite) or DATE (PostgreSQL, as time.Time).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		y, m, dd := v.Date()
		*d = ofYMD(y, m, dd)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("civil.Date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// AddMonths moves the date by n calendar months (Go's normalisation: 31 Aug
// − 6 months is 3 Mar, i.e. "six months ago" errs on the late side).
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	return ofYMD(d.time().AddDate(0, n, 0).Date())
}

// DaysSince is the number of days from o to d (negative if o is later).
func (d Date) DaysSince(o Date) int { return int(d.n - o.n) }

// Year is the date's year; Month its month (1–12).
func (d Date) Year() int  { return d.time().Year() }
func (d Date) Month() int { return int(d.time().Month()) }
func (d Date) Day() int   { return d.time().Day() }
