package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/region"
)

// refused checks a 400 naming the field.
func refused(t *testing.T, what string, st int, b []byte, field string) {
	t.Helper()
	var e errBody
	_ = json.Unmarshal(b, &e)
	if st != 400 || e.Error.Code != "invalid" || field != "" && e.Error.Fields[field] == "" {
		t.Errorf("%s: got %d %s, want 400 naming %q", what, st, b, field)
	}
}

// A short region code once panicked in the prefix code while the index's
// read lock was held without defer: every later index write hung. Now the
// parameter is refused and the library keeps answering after writes.
func TestRegionFilterAttack(t *testing.T) {
	if got := region.Prefix("100"); got != "100" {
		t.Errorf("Prefix(100) = %q", got)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb := h.as("zsb_staff")
		h.freshEnterprise()
		for _, r := range []string{"100", "x00", "44", "4412000", "%2500"} {
			st, b := zsb.do("GET", "/api/v1/enterprises?region="+r, nil)
			refused(t, "region="+r, st, b, "region")
		}
		h.freshEnterprise() // an index write after the refused searches
		var list struct{ Total int }
		zsb.get("/api/v1/enterprises?region=350900", &list)
		if list.Total != 2 {
			t.Errorf("after the attack the library finds %d, want 2", list.Total)
		}
		for _, y := range []string{"-1", "0", "99999", "1999", "x"} {
			for _, p := range []string{"/api/v1/cockpit", "/api/v1/stats/ranking", "/api/v1/stats/annual"} {
				st, b := zsb.do("GET", p+"?year="+y, nil)
				refused(t, p+"?year="+y, st, b, "year")
			}
		}
	})
}

// NUL characters, integers beyond a column's range and year 0 answer the
// same 400 naming the field on both engines (PostgreSQL once answered 500).
func TestDatabaseIndependentValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb := h.as("zsb_staff")
		body := func(change map[string]any) map[string]any {
			b := map[string]any{"credit_code": freshCode(), "name": fmt.Sprintf("校验测试%d有限公司", next()), "region_code": "350900"}
			for k, v := range change {
				b[k] = v
			}
			return b
		}
		before := countRows(h, "enterprises")
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"NUL in the name", body(map[string]any{"name": "坏\x00名字"}), "name"},
			{"NUL in a list", body(map[string]any{"former_names": []string{"ok", "a\x00"}}), "former_names"},
			{"control character", body(map[string]any{"listing_code": "\x07"}), "listing_code"},
			{"staff beyond INTEGER", body(map[string]any{"staff": int64(3_000_000_000)}), "staff"},
			{"version beyond INTEGER", body(map[string]any{"version": int64(1) << 40}), "version"},
			{"year 0", body(map[string]any{"founded_on": "0000-01-01"}), "founded_on"},
		} {
			st, b := zsb.do("POST", "/api/v1/enterprises", tc.body)
			refused(t, tc.name, st, b, tc.field)
		}
		st, b := zsb.do("GET", "/api/v1/enterprises?q=a%00b", nil)
		refused(t, "NUL in a query parameter", st, b, "q")
		if countRows(h, "enterprises") != before {
			t.Error("a refused enterprise was stored")
		}

		// An import with one NUL row: that row is named, the others land.
		lines := strings.Split(strings.TrimRight(string(enterpriseCSV(3)), "\n"), "\n")
		lines[2] = strings.Replace(lines[2], "有限公司", "有限\x00公司", 1)
		res, err := h.app.Enterprise.Import(context.Background(), h.actorOf("zsb_staff"), bytes.NewReader([]byte(strings.Join(lines, "\n"))), "e.csv", false, nil)
		if err != nil {
			t.Fatalf("import failed whole: %v", err)
		}
		if res.Inserted != 2 || res.Failed != 1 || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != "企业名称" {
			t.Errorf("import with a NUL row: %+v", res)
		}
	})
}
