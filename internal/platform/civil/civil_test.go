package civil

import (
	"encoding/json"
	"testing"
)

func TestParseAndCompare(t *testing.T) {
	a, b := MustParse("2024-02-29"), MustParse("2024-03-01")
	if !a.Before(b) || b.Before(a) || a.AddDays(1) != b {
		t.Fatal("ordering")
	}
	for _, bad := range []string{"2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", ""} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParse: any input either parses to a date that prints back the same,
// or is refused; it never panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2024-01-01", "1999-12-31", "0000-00-00", "2024-1-1", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err == nil && d.String() != s {
			t.Fatalf("%q round-trips as %q", s, d.String())
		}
		var j Date
		_ = json.Unmarshal([]byte(`"`+s+`"`), &j)
	})
}
