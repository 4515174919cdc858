package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
)

// stats measures the figures through HTTP as the commission office:
// the monthly statistics for all units, a quarterly ranking, the cockpit's
// data, closing a month and the quarterly bulletin as DOCX.
func (m *measure) stats(ctx context.Context, city *client) error {
	today := civil.Of(time.Now())
	year, month := today.Year(), today.Month()-1
	if month == 0 {
		year, month = year-1, 12
	}
	quarter := (month + 2) / 3
	n := max(5, m.sc.WarningCalls)
	series := []struct {
		name, path string
		goal       float64
	}{
		{"monthly statistics, all units", fmt.Sprintf("/api/v1/stats/monthly/%04d-%02d", year, month), 100},
		{"quarterly ranking", fmt.Sprintf("/api/v1/stats/ranking?year=%d&quarter=%d", year, quarter), 100},
		{"cockpit data", fmt.Sprintf("/api/v1/cockpit?year=%d", today.Year()), 150},
		{"quarterly bulletin DOCX", fmt.Sprintf("/api/v1/stats/bulletin/docx?year=%d&quarter=%d", year, quarter), 1000},
	}
	for _, s := range series {
		var ds []time.Duration
		for i := -1; i < n; i++ {
			_, took, err := city.get(ctx, s.path, nil)
			if err != nil {
				return err
			}
			if i >= 0 {
				ds = append(ds, took)
			}
		}
		m.add(Result{Name: m.name(s.name + " p95"), Unit: "ms", Value: pct(ds, 0.95), Goal: goal(s.goal),
			Reference: &Reference{Name: "p50 of the same request", Value: pct(ds, 0.5)}})
	}
	// Closing: the oldest month with data, once (a close cannot be repeated).
	p := fmt.Sprintf("%04d-01", today.Year()-7)
	_, took, err := city.post(ctx, "/api/v1/periods/"+p+"/close", "application/json", strings.NewReader(""))
	if err != nil {
		return err
	}
	m.add(Result{Name: m.name("closing a month (" + p + ")"), Unit: "ms", Value: float64(took.Microseconds()) / 1000, Goal: goal(2000)})
	m.logf("%s: statistics measured", m.e.t.name)
	return nil
}
