package web_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/report"
)

var statsReaders = []string{"zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff"}

func init() {
	rows := map[string]access{
		"GET /api/v1/stats/rules": {allowed: statsReaders, prep: path("/api/v1/stats/rules")},
		"PUT /api/v1/stats/rules": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			r, err := h.app.Assess.Rules(context.Background(), 2026)
			if err != nil {
				h.t.Fatal(err)
			}
			return "/api/v1/stats/rules", r
		}},
		"GET /api/v1/targets": {allowed: statsReaders, prep: path("/api/v1/targets?year=2026")},
		"PUT /api/v1/targets": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			return "/api/v1/targets", map[string]any{"year": 2026, "items": []map[string]any{{"unit_id": nil, "metric": "contract_investment", "value": 14600000}}}
		}},
		"GET /api/v1/targets/xlsx": {allowed: statsReaders, prep: path("/api/v1/targets/xlsx?year=2026")},
		"POST /api/v1/targets/import": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			t, err := h.app.Assess.TargetsTable(context.Background(), 2026)
			if err != nil {
				h.t.Fatal(err)
			}
			t.Rows[0][2] = "1200000"
			var b bytes.Buffer
			if err := report.WriteXLSX(&b, t); err != nil {
				h.t.Fatal(err)
			}
			return "/api/v1/targets/import?year=2026", upload{filename: "目标.xlsx", data: b.Bytes()}
		}},
		"GET /api/v1/stats/monthly/{period}":      {allowed: statsReaders, prep: path("/api/v1/stats/monthly/2026-01")},
		"GET /api/v1/stats/monthly/{period}/xlsx": {allowed: statsReaders, prep: path("/api/v1/stats/monthly/2026-01/xlsx")},
		"GET /api/v1/stats/monthly/{period}/rows": {allowed: statsReaders, hidden: outsideDZ, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/stats/monthly/2026-01/rows?ytd=1&unit_id=%d", h.unitID("441202")), nil
		}},
		"GET /api/v1/periods":                 {allowed: statsReaders, prep: path("/api/v1/periods")},
		"POST /api/v1/periods/{period}/close": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) { return "/api/v1/periods/" + nextToClose(h) + "/close", nil }},
		// Each case closes the next month, then asks to reopen it.
		"POST /api/v1/periods/{period}/reopen": {allowed: []string{"secadmin"}, status: 204, prep: func(h *harness, _ string) (string, any) {
			p, _ := assess.ParsePeriod(nextToClose(h))
			if _, err := h.app.Assess.Close(context.Background(), system, p); err != nil {
				h.t.Fatal(err)
			}
			return "/api/v1/periods/" + p.String() + "/reopen", map[string]string{"reason": "更正数据"}
		}},
		"GET /api/v1/stats/ranking": {allowed: statsReaders, prep: path("/api/v1/stats/ranking?year=2026&quarter=1")},
		// City-wide documents: readers whose scope is not all get 403.
		"GET /api/v1/stats/bulletin/docx": {allowed: []string{"zsb_staff", "leader"}, prep: path("/api/v1/stats/bulletin/docx?year=2026&quarter=1")},
		"GET /api/v1/stats/annual":        {allowed: []string{"zsb_staff", "leader"}, prep: path("/api/v1/stats/annual?year=2025")},
		"GET /api/v1/stats/annual/docx":   {allowed: []string{"zsb_staff", "leader"}, prep: path("/api/v1/stats/annual/docx?year=2025")},
		"GET /api/v1/cockpit":             {allowed: statsReaders, prep: path("/api/v1/cockpit?year=2026")},
		"GET /api/v1/cockpit/map":         {allowed: statsReaders, prep: path("/api/v1/cockpit/map")},
		"GET /api/v1/stats/scheme":        {allowed: statsReaders, prep: path("/api/v1/stats/scheme")},
		"PUT /api/v1/stats/scheme": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			sc, err := h.app.Assess.Scheme(context.Background(), 2026)
			if err != nil {
				h.t.Fatal(err)
			}
			return "/api/v1/stats/scheme", sc
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}

// nextToClose is the month after the last closed one (2024-01 to start).
func nextToClose(h *harness) string {
	closes, err := h.app.Assess.Closes(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for _, c := range closes {
		if c.ReopenedAt == nil {
			p, _ := assess.ParsePeriod(c.Period)
			return p.Next().String()
		}
	}
	return "2024-01"
}
