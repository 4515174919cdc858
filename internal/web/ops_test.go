package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

type readiness struct {
	Ready     bool              `json:"ready"`
	Checks    map[string]string `json:"checks"`
	Search    string            `json:"search"`
	RequestID string            `json:"request_id"`
}

func (h *harness) readyz() (int, readiness) {
	h.t.Helper()
	st, b := h.anon().do("GET", "/readyz", nil)
	var r readiness
	mustJSON(h.t, b, &r)
	return st, r
}

// TestProbesAreNotTheWebApp: /livez, /readyz and /metrics answer for
// themselves, never with the single-page app's index.html.
func TestProbesAreNotTheWebApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		for range 3 {
			if st, b := h.anon().do("GET", "/livez", nil); st != 200 || string(b) != "ok\n" {
				t.Fatalf("/livez: %d %q", st, b)
			}
		}
		st, b := h.anon().do("GET", "/metrics", nil)
		text := string(b)
		if st != 200 || strings.Contains(text, "<html") {
			t.Fatalf("/metrics: %d %.200s", st, text)
		}
		for _, want := range []string{
			`attract_http_requests_total{method="GET",route="/livez",status="200"} 3`,
			`attract_http_request_duration_seconds_count{method="GET",route="/livez"} 3`,
			`go_sql_open_connections{db_name="writer"}`,
			`attract_project_mirror_generation_lag -1`,
			`attract_ready 0`,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		if err := h.app.Warm(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, b = h.anon().do("GET", "/metrics", nil)
		for _, want := range []string{`attract_project_mirror_generation_lag 0`, `attract_ready 1`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("/metrics after warming lacks %q", want)
			}
		}
	})
}

// TestReadyz: 503 while the mirror loads, 200 once it has (searches from
// SQL until the index is built, then from it: the "search" field), 503
// again with a database that refuses commits (read-only) or, on SQLite, a
// disk below the free space kept; each answer names the failed check.
func TestReadyz(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		st, r := h.readyz()
		if st != 503 || r.Ready || r.Checks["project_mirror"] != "loading" || r.Checks["enterprise_index"] != "loading" ||
			r.Checks["database"] != "ok" || r.Checks["schema"] != "ok" || r.RequestID == "" || r.Search != "sql" {
			t.Fatalf("before warming: %d %+v", st, r)
		}
		// The mirror loaded, the index not yet: ready, searches from SQL.
		h.app.Ready.MirrorLoaded()
		if st, r = h.readyz(); st != 200 || !r.Ready || r.Search != "sql" || r.Checks["enterprise_index"] != "loading" {
			t.Fatalf("index building: %d %+v", st, r)
		}
		if err := h.app.Warm(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st, r = h.readyz(); st != 200 || !r.Ready || r.Search != "index" {
			t.Fatalf("after warming: %d %+v", st, r)
		}
		if d.Dialect == db.SQLite {
			h.app.Ready.MinFreeBytes = 1 << 62
			if st, r = h.readyz(); st != 503 || !strings.Contains(r.Checks["disk"], "MB free") {
				t.Fatalf("disk below the reserve: %d %+v", st, r)
			}
			h.app.Ready.MinFreeBytes = 0
		}
		readOnly(t, d)
		if st, r = h.readyz(); st != 503 || !strings.Contains(r.Checks["database"], "cannot commit") {
			t.Fatalf("read-only database: %d %+v", st, r)
		}
	})
}

// readOnly makes d's writer refuse writes as a read-only file or server
// does: SQLite's one writer connection, PostgreSQL's pool cut to one
// connection, both set read-only.
func readOnly(t *testing.T, d *db.DB) {
	t.Helper()
	q := `PRAGMA query_only = 1`
	if d.Dialect == db.Postgres {
		d.W.SetMaxOpenConns(1)
		q = `SET default_transaction_read_only = on`
	}
	if _, err := d.W.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestSessionReadFailureIs503: a signed-in user whose session cannot be
// read (the database is unreachable) gets 503 "try again", not 401 "sign
// in", and the error carries the request id the log has; the same for a
// bearer token whose lookup fails.
func TestSessionReadFailureIs503(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("zsb_staff")
		if st, b := c.do("GET", "/api/v1/auth/me", nil); st != 200 {
			t.Fatalf("me: %d %s", st, b)
		}
		st, b := c.do("POST", "/api/v1/me/tokens", map[string]any{"name": "ci"})
		var tok struct {
			Token string `json:"token"`
		}
		mustJSON(t, b, &tok)
		bearer := &client{h: h, http: http.DefaultClient, token: tok.Token}
		if st, b := bearer.do("GET", "/api/v1/auth/me", nil); st != 200 {
			t.Fatalf("me by token: %d %s", st, b)
		}
		d.R.Close() // every read now fails, as with a database that cannot be reached
		for who, cl := range map[string]*client{"session": c, "token": bearer} {
			st, b = cl.do("GET", "/api/v1/auth/me", nil)
			var e struct {
				Error struct {
					Code      string `json:"code"`
					RequestID string `json:"request_id"`
				} `json:"error"`
			}
			_ = json.Unmarshal(b, &e)
			if st != 503 || e.Error.Code != "unavailable" || e.Error.RequestID == "" {
				t.Fatalf("%s read failed: got %d %s, want 503 unavailable with a request id", who, st, b)
			}
		}
	})
}

// TestRequestIDs: every response has X-Request-Id, a proxy's id is kept,
// and an error body names the same id.
func TestRequestIDs(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/no-such-route", nil)
	req.Header.Set("X-Request-Id", "proxy-42.a")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || res.Header.Get("X-Request-Id") != "proxy-42.a" || !strings.Contains(string(b), `"request_id":"proxy-42.a"`) {
		t.Fatalf("%d %q %s", res.StatusCode, res.Header.Get("X-Request-Id"), b)
	}
	req, _ = http.NewRequest("GET", h.srv.URL+"/livez", nil)
	req.Header.Set("X-Request-Id", "not ok; <script>")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if id := res.Header.Get("X-Request-Id"); len(id) != 16 {
		t.Fatalf("a malformed id must be replaced by the server's own, got %q", id)
	}
}

// postKeyed is a POST with an Idempotency-Key, as a retrying client sends.
func postKeyed(t *testing.T, c *client, path string, body any, key string) (int, string, bool) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", c.h.srv.URL+path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(auth.CSRFHeader, c.csrf)
	req.Header.Set("Idempotency-Key", key)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header.Get("Idempotent-Replayed") == "true"
}

// TestIdempotencyKey: a retried creating request with the same key gets
// the first answer and creates nothing more; without a key the retry is a
// second request (here refused as a duplicate code); the key on another
// route is refused; another user's same key is theirs.
func TestIdempotencyKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := h.as("sysadmin")
		item := map[string]any{"type": "source_region", "code": "idem1", "label_zh": "中东", "label_en": "Middle East"}
		st1, b1, rep1 := postKeyed(t, c, "/api/v1/dictionary", item, "retry-1")
		st2, b2, rep2 := postKeyed(t, c, "/api/v1/dictionary", item, "retry-1")
		if st1 != 201 || rep1 || st2 != 201 || !rep2 || b1 != b2 {
			t.Fatalf("first %d %v %s; retry %d %v %s", st1, rep1, b1, st2, rep2, b2)
		}
		var n int
		if err := d.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM dict_items WHERE code = 'idem1'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d items after a retried create (%v)", n, err)
		}
		if st, b := c.do("POST", "/api/v1/dictionary", item); st != 409 {
			t.Fatalf("a retry without the key is a second create: want 409 duplicate, got %d %s", st, b)
		}
		if st, b, _ := postKeyed(t, c, "/api/v1/me/tokens", map[string]any{"name": "x"}, "retry-1"); st != 422 || !strings.Contains(b, "/api/v1/dictionary") {
			t.Fatalf("the key on another route: %d %s", st, b)
		}
		other := map[string]any{"name": "ci"}
		if st, b, rep := postKeyed(t, h.as("zsb_staff"), "/api/v1/me/tokens", other, "retry-1"); st != 201 || rep {
			t.Fatalf("another user's same key: %d %v %s", st, rep, b)
		}
		if st, b, _ := postKeyed(t, c, "/api/v1/dictionary", item, strings.Repeat("k", 201)); st != 400 {
			t.Fatalf("a key over 200 characters: %d %s", st, b)
		}
	})
}
