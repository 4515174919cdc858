package web_test

import (
	"context"
	"testing"

	"github.com/zhaoqing/attract/internal/assess"
)

// closeThrough closes every month up to and including p (months close in order).
func closeThrough(h *harness, p assess.Period) {
	h.t.Helper()
	for {
		next, _ := assess.ParsePeriod(nextToClose(h))
		if p.Before(next) {
			return
		}
		if _, err := h.app.Assess.Close(context.Background(), system, next); err != nil {
			h.t.Fatal(err)
		}
	}
}

// published2025 makes 2025's evaluation published (true) or not (false).
func published2025(h *harness, want bool) {
	h.t.Helper()
	ctx := context.Background()
	closeThrough(h, assess.Period{Year: 2025, Month: 12})
	ev, err := h.app.Assess.Evaluate(ctx, system, 2025)
	if err != nil {
		h.t.Fatal(err)
	}
	switch {
	case want && ev.Published == nil:
		_, err = h.app.Assess.Publish(ctx, system, 2025)
	case !want && ev.Published != nil:
		err = h.app.Assess.Unpublish(ctx, system, 2025, "矩阵测试")
	}
	if err != nil {
		h.t.Fatal(err)
	}
}

func init() {
	matrix["GET /api/v1/cockpit/pipeline"] = access{allowed: statsReaders, prep: path("/api/v1/cockpit/pipeline?year=2026")}
	matrix["GET /api/v1/cockpit/history"] = access{allowed: statsReaders, prep: path("/api/v1/cockpit/history?basis=overdue")}
	matrix["GET /api/v1/stats/progress"] = access{allowed: statsReaders, prep: path("/api/v1/stats/progress?as_of=2026-01-15")}
	matrix["GET /api/v1/stats/progress/xlsx"] = access{allowed: statsReaders, prep: path("/api/v1/stats/progress/xlsx?as_of=2026-01-15")}
	matrix["POST /api/v1/stats/annual/{year}/publish"] = access{allowed: []string{"zsb_staff"}, prep: func(h *harness, user string) (string, any) {
		published2025(h, false) // every caller finds it unpublished, the director too
		return "/api/v1/stats/annual/2025/publish", nil
	}}
	matrix["POST /api/v1/stats/annual/{year}/reopen"] = access{allowed: []string{"secadmin"}, status: 204, prep: func(h *harness, user string) (string, any) {
		if user == "secadmin" {
			published2025(h, true)
		}
		return "/api/v1/stats/annual/2025/reopen", map[string]string{"reason": "更正考评数据"}
	}}
}

func mustPeriodOf(t *testing.T, s string) assess.Period {
	t.Helper()
	p, err := assess.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
