package notice

import "testing"

func TestPeriodDue(t *testing.T) {
	for _, c := range []struct {
		period string
		day    int
		want   string
	}{
		{"2025-01", 5, "2025-02-05"},
		{"2025-12", 5, "2026-01-05"},
		{"2024-01", 28, "2024-02-28"},
	} {
		p, err := ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Due(Schedule{DueDay: c.day}).String(); got != c.want {
			t.Errorf("%s due %s, want %s", c.period, got, c.want)
		}
	}
	for _, bad := range []string{"2025-13", "2025-1", "25-01", "2025/01", ""} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
