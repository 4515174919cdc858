package web_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

type schemeBody struct {
	Items    []map[string]any `json:"items"`
	Year     int              `json:"year"`
	FromYear int              `json:"from_year"`
	Version  int              `json:"version"`
}

// TestPublishedEvaluationIsFrozen: publishing freezes the year's scores,
// lists and document; editing next year's scheme leaves it alone; every way
// around the freeze (the year's scheme, rules and targets, reopening its
// December, a change to its projects) is refused or changes nothing; only
// the security administrator reopens it, with a reason, and both steps are
// audited.
func TestPublishedEvaluationIsFrozen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		p := h.signProject("zsb_staff", h.freshProject("zsb_staff", "441202"))
		zsb, sec := h.as("zsb_staff"), h.as("secadmin")
		dz := h.unitID("441202")
		if st, b := zsb.do("PUT", "/api/v1/targets", map[string]any{"year": 2025, "items": []map[string]any{{"unit_id": dz, "metric": "contract_investment", "value": 40000}}}); st != 200 {
			t.Fatalf("targets: %d %s", st, b)
		}
		if st, b := zsb.do("POST", "/api/v1/stats/annual/2025/publish", nil); st != 422 || !strings.Contains(string(b), "12 月") {
			t.Fatalf("publish before December is closed: %d %s", st, b)
		}
		closeThrough(h, mustPeriodOf(t, "2025-12"))
		st, b := zsb.do("POST", "/api/v1/stats/annual/2025/publish", nil)
		var ev struct {
			Published *struct {
				PublishedBy string `json:"published_by"`
			}
			Groups []struct {
				Scores []struct {
					UnitName string `json:"unit_name"`
					Total    string
				}
			}
		}
		mustJSON(t, b, &ev)
		if st != 200 || ev.Published == nil || ev.Published.PublishedBy != "黄志强" {
			t.Fatalf("publish: %d %s", st, b)
		}
		// 端州区 alone: 50,000 of 40,000 → 72 (capped at 120 %) + 40 (alone: top) − 2 (still signed) = 110.00.
		total := func() string {
			var e struct {
				Groups []struct {
					Scores []struct {
						UnitName string `json:"unit_name"`
						Total    string
					}
				}
			}
			zsb.get("/api/v1/stats/annual?year=2025", &e)
			for _, g := range e.Groups {
				for _, s := range g.Scores {
					if s.UnitName == "端州区" {
						return s.Total
					}
				}
			}
			return ""
		}
		if total() != "110.00" {
			t.Fatalf("published total %s", total())
		}
		docx := func() []byte {
			st, b := zsb.do("GET", "/api/v1/stats/annual/docx?year=2025", nil)
			if st != 200 {
				t.Fatalf("docx: %d", st)
			}
			return b
		}
		first := docx()
		// Next year's scheme changes: the published year does not.
		var sc schemeBody
		zsb.get("/api/v1/stats/scheme?year=2026", &sc)
		sc.Items[0]["weight"] = json.Number("30")
		if st, b := zsb.do("PUT", "/api/v1/stats/scheme", sc); st != 200 {
			t.Fatalf("2026 scheme: %d %s", st, b)
		}
		var sc25 schemeBody
		zsb.get("/api/v1/stats/scheme?year=2025", &sc25)
		if sc25.Items[0]["weight"] != float64(60) || sc25.FromYear == 2026 {
			t.Errorf("2025's scheme moved with 2026's: %+v", sc25.Items[0])
		}
		// Walk-arounds: the year's scheme, rules and targets, its December, its projects.
		sc25.Items[0]["weight"] = json.Number("10")
		for _, tc := range []struct {
			name, method, path string
			body               any
			who                *client
			want               int
		}{
			{"2025 scheme", "PUT", "/api/v1/stats/scheme", sc25, zsb, 409},
			{"2025 targets", "PUT", "/api/v1/targets", map[string]any{"year": 2025, "items": []any{}}, zsb, 409},
			{"2025 rules", "PUT", "/api/v1/stats/rules", map[string]any{"year": 2025, "bands": []any{}, "introducer_credit": "full", "terminated": "include", "rank_metric": "count"}, zsb, 409},
			{"reopen December", "POST", "/api/v1/periods/2025-12/reopen", map[string]string{"reason": "绕过"}, sec, 409},
			{"publish again", "POST", "/api/v1/stats/annual/2025/publish", nil, zsb, 409},
			{"reopen by the office", "POST", "/api/v1/stats/annual/2025/reopen", map[string]string{"reason": "绕过"}, zsb, 403},
			{"reopen without a reason", "POST", "/api/v1/stats/annual/2025/reopen", map[string]string{"reason": " "}, sec, 400},
			{"a bad year", "POST", "/api/v1/stats/annual/20x5/publish", nil, zsb, 400},
		} {
			if st, b := tc.who.do(tc.method, tc.path, tc.body); st != tc.want {
				t.Errorf("%s: %d %s, want %d", tc.name, st, b, tc.want)
			}
		}
		h.exec(t, `UPDATE projects SET stage = 'construction', contract_investment = 1 WHERE id = ?`, p.ID) // a direct edit
		if total() != "110.00" || !bytes.Equal(first, docx()) {
			t.Fatal("the published evaluation changed")
		}
		if st, b := sec.do("POST", "/api/v1/stats/annual/2025/reopen", map[string]string{"reason": "考评数据更正"}); st != 204 {
			t.Fatalf("reopen: %d %s", st, b)
		}
		if st, b := zsb.do("PUT", "/api/v1/stats/scheme", sc25); st != 200 {
			t.Errorf("2025 scheme after reopening: %d %s", st, b)
		}
		for _, action := range []string{"annual.publish", "annual.reopen"} {
			var au struct{ Total int }
			h.as("auditadmin").get("/api/v1/audit?action="+action, &au)
			if au.Total != 1 {
				t.Errorf("audit %s: %d entries", action, au.Total)
			}
		}
	})
}
