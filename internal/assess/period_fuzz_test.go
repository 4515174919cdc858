package assess

import "testing"

// ParsePeriod reads any ?period= without a panic; what it accepts prints
// back as itself.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"", "2025-01", "2025-12", "2025-13", "2025-00", "0000-01", "99999-01", "2025-1", "2025-Q1", "x", "2025-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err == nil && p.String() != s {
			t.Fatalf("ParsePeriod(%q) = %v", s, p)
		}
	})
}
