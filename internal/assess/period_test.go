package assess

import "testing"

func TestParsePeriod(t *testing.T) {
	for s, ok := range map[string]bool{"2025-03": true, "2025-12": true, "2025-13": false, "2025-3": false, "25-03": false, "2025/03": false, "": false, "1999-01": false} {
		if _, err := ParsePeriod(s); (err == nil) != ok {
			t.Errorf("%q: err=%v", s, err)
		}
	}
	if p := (Period{2025, 1}).Prev(); p != (Period{2024, 12}) {
		t.Errorf("prev of January: %v", p)
	}
	if p := (Period{2025, 12}).Next(); p != (Period{2026, 1}) || p.Last().String() != "2026-01-31" {
		t.Errorf("next of December: %v", p)
	}
}
