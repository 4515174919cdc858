package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

type errBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
	Current json.RawMessage `json:"current"`
}

func countRows(h *harness, table string) int {
	var n int
	if err := h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// TestBadInput: every kind of bad body gets the one error shape naming the
// field, and nothing is written.
func TestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sys := h.as("sysadmin")
		root := h.unitID("441200")
		cases := []struct {
			name   string
			body   any
			status int
			code   string
			field  string
		}{
			{"malformed JSON", `{"code": "X",`, 400, "invalid", ""},
			{"not an object", `[1,2]`, 400, "invalid", ""},
			{"empty body", ``, 400, "invalid", ""},
			{"two objects", `{"code":"A"} {"code":"B"}`, 400, "invalid", ""},
			{"unknown field", map[string]any{"code": "X2", "name": "x", "kind": "park", "parent_id": root, "effective_on": "2024-01-01", "colour": "red"}, 400, "invalid", "colour"},
			{"wrong type", map[string]any{"code": "X3", "name": "x", "kind": "park", "parent_id": "one", "effective_on": "2024-01-01"}, 400, "invalid", "parent_id"},
			{"bad date", map[string]any{"code": "X4", "name": "x", "kind": "park", "parent_id": root, "effective_on": "2024-13-01"}, 400, "invalid", ""},
			{"missing fields", map[string]any{"kind": "park", "parent_id": root}, 400, "invalid", "name"},
			{"unknown kind", map[string]any{"code": "X5", "name": "x", "kind": "farm", "parent_id": root, "effective_on": "2024-01-01"}, 400, "invalid", "kind"},
			{"future date", map[string]any{"code": "X6", "name": "x", "kind": "park", "parent_id": root, "effective_on": "2999-01-01"}, 400, "invalid", "effective_on"},
			{"parent missing", map[string]any{"code": "X7", "name": "x", "kind": "park", "parent_id": 99999, "effective_on": "2024-01-01"}, 400, "invalid", "parent_id"},
			{"duplicate code", map[string]any{"code": "441202", "name": "x", "kind": "park", "parent_id": root, "effective_on": "2024-01-01"}, 409, "conflict", "code"},
			{"oversize body", `{"code":"` + strings.Repeat("x", 1<<20+10) + `"}`, 413, "too_large", ""},
		}
		units, audits := countRows(h, "units"), countRows(h, "audit_log")
		for _, tc := range cases {
			st, b := sys.do("POST", "/api/v1/units", tc.body)
			var e errBody
			_ = json.Unmarshal(b, &e)
			if st != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
				t.Errorf("%s: got %d %s", tc.name, st, b)
				continue
			}
			if tc.field != "" && e.Error.Fields[tc.field] == "" {
				t.Errorf("%s: field %q not named: %s", tc.name, tc.field, b)
			}
		}
		if countRows(h, "units") != units || countRows(h, "audit_log") != audits {
			t.Fatal("a refused request wrote something")
		}
		// Messages follow the caller's language.
		en := h.anon()
		en.lang = "en"
		_, b := en.do("GET", "/api/v1/users", nil)
		if !strings.Contains(string(b), "please sign in") {
			t.Errorf("English message: %s", b)
		}
		// Paging limits.
		if st, _ := sys.do("GET", "/api/v1/users?page_size=201", nil); st != 400 {
			t.Errorf("page_size 201: %d", st)
		}
	})
}

// TestUnitLifecycle: rename, move and close with effective dates, the tree
// as of a date, optimistic locking, and the rules that keep the tree sound.
func TestUnitLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		sys := h.as("sysadmin")
		root := h.unitID("441200")
		st, b := sys.do("POST", "/api/v1/units", map[string]any{"code": "WG-BIO", "name": "生物医药产业招商工作组", "kind": "working_group",
			"parent_id": root, "effective_on": "2022-03-01"})
		if st != 201 {
			t.Fatalf("create: %d %s", st, b)
		}
		var u struct {
			ID      int64
			Version int
		}
		mustJSON(t, b, &u)
		p := fmt.Sprintf("/api/v1/units/%d", u.ID)
		if st, b := sys.do("PUT", p, map[string]any{"code": "WG-BIO", "name": "生物医药与大健康产业招商工作组", "effective_on": "2023-06-01", "version": u.Version}); st != 200 {
			t.Fatalf("rename: %d %s", st, b)
		}
		// The old version is refused with the current record.
		st, b = sys.do("PUT", p, map[string]any{"code": "WG-BIO", "name": "又改名", "effective_on": "2023-07-01", "version": u.Version})
		var e errBody
		mustJSON(t, b, &e)
		if st != 409 || !strings.Contains(string(e.Current), "生物医药与大健康") {
			t.Fatalf("stale update: %d %s", st, b)
		}
		// A change may not predate the last one.
		if st, b := sys.do("POST", p+"/move", map[string]any{"parent_id": h.unitID("441204"), "effective_on": "2023-01-01", "version": u.Version + 1}); st != 422 {
			t.Fatalf("back-dated move: %d %s", st, b)
		}
		if st, b := sys.do("POST", p+"/move", map[string]any{"parent_id": h.unitID("441204"), "effective_on": "2024-01-01", "version": u.Version + 1}); st != 200 {
			t.Fatalf("move: %d %s", st, b)
		}
		// Not under itself.
		if st, _ := sys.do("POST", fmt.Sprintf("/api/v1/units/%d/move", h.unitID("441204")), map[string]any{"parent_id": u.ID, "effective_on": "2024-02-01", "version": 1}); st != 422 {
			t.Fatalf("cycle: %d", st)
		}
		// A locality with users cannot close.
		if st, b := sys.do("POST", fmt.Sprintf("/api/v1/units/%d/close", h.unitID("441202")), map[string]any{"effective_on": "2024-02-01", "reason": "x", "version": 1}); st != 422 {
			t.Fatalf("close with users: %d %s", st, b)
		}
		if st, b := sys.do("POST", p+"/close", map[string]any{"effective_on": "2025-01-01", "reason": "并入先进装备制造组", "version": u.Version + 2}); st != 200 {
			t.Fatalf("close: %d %s", st, b)
		}
		type state struct {
			UnitID     int64  `json:"unit_id"`
			Name       string `json:"name"`
			ParentName string `json:"parent_name"`
			Status     string `json:"status"`
			Change     string `json:"change"`
		}
		find := func(asOf string) *state {
			var list struct{ Items []state }
			sys.get("/api/v1/units?include_closed=1&as_of="+asOf, &list)
			for _, s := range list.Items {
				if s.UnitID == u.ID {
					return &s
				}
			}
			return nil
		}
		if s := find("2022-02-28"); s != nil {
			t.Errorf("before creation: %+v", s)
		}
		if s := find("2022-03-01"); s == nil || s.Name != "生物医药产业招商工作组" || s.ParentName != "肇庆市招商委员会办公室" {
			t.Errorf("on creation day: %+v", s)
		}
		if s := find("2023-12-31"); s == nil || s.Name != "生物医药与大健康产业招商工作组" || s.ParentName != "肇庆市招商委员会办公室" {
			t.Errorf("after rename: %+v", s)
		}
		if s := find("2024-06-30"); s == nil || s.ParentName != "高要区" || s.Status != "active" {
			t.Errorf("after move: %+v", s)
		}
		if s := find("2025-01-01"); s == nil || s.Status != "closed" {
			t.Errorf("after close: %+v", s)
		}
		var hist struct{ Items []state }
		sys.get(p+"/history", &hist)
		var changes []string
		for _, s := range hist.Items {
			changes = append(changes, s.Change)
		}
		if strings.Join(changes, ",") != "create,rename,move,close" {
			t.Errorf("history: %v", changes)
		}
		// Each write left its audit entry, with before and after.
		var au struct {
			Items []struct{ Action, Before, After string }
		}
		h.as("auditadmin").get(fmt.Sprintf("/api/v1/audit?object_type=unit&object_id=%d", u.ID), &au)
		var actions []string
		for _, a := range au.Items {
			actions = append(actions, a.Action)
		}
		if strings.Join(actions, ",") != "unit.close,unit.move,unit.rename,unit.create" || !strings.Contains(au.Items[2].Before, "生物医药产业招商工作组") {
			t.Errorf("audit: %+v", au.Items)
		}
	})
}

// TestOpenAPIDescribesEveryRoute checks the served document against the table.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	h.anon().get("/api/v1/openapi.json", &doc)
	for _, rt := range h.app.Server().Routes() {
		if _, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s missing from openapi.json", rt.Method, rt.Path)
		}
	}
}
