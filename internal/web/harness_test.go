package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

const (
	demoPW  = "Demo-pass-2026"
	adminPW = "Admin-pass-2026"
)

// harness is a running server over a real database with the demo data set.
type harness struct {
	t       *testing.T
	app     *app.App
	srv     *httptest.Server
	clients map[string]*client
}

func newHarness(t *testing.T, d *db.DB) *harness {
	t.Helper()
	return newHarnessWith(t, d, nil)
}

// newHarnessWith changes the config first (set may be nil). Administrators
// sign in without a second factor unless set requires it (its own tests).
func newHarnessWith(t *testing.T, d *db.DB, set func(*app.Config)) *harness {
	t.Helper()
	cfg := app.Config{AdminPassword: adminPW, DemoPassword: demoPW, Auth: auth.Defaults()}
	cfg.Auth.AdminTOTPOptional = true
	if set != nil {
		set(&cfg)
	}
	a := app.New(d, cfg)
	t.Cleanup(a.Enterprise.Wait) // background imports end before the database closes
	ctx := context.Background()
	if _, err := a.Org.Bootstrap(ctx, adminPW, demo.Since); err != nil {
		t.Fatal(err)
	}
	if err := a.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadOrg(ctx, a.Org, demoPW); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Server().Handler())
	t.Cleanup(srv.Close)
	return &harness{t: t, app: a, srv: srv, clients: map[string]*client{}}
}

// client is a browser-like caller: cookie jar plus CSRF header.
type client struct {
	h     *harness
	http  *http.Client
	csrf  string
	lang  string
	token string // bearer token instead of the cookie, when set
}

func (h *harness) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{Jar: jar}}
}

// as returns a signed-in client for a user (cached per harness).
func (h *harness) as(username string) *client {
	h.t.Helper()
	if c, ok := h.clients[username]; ok {
		return c
	}
	pw := demoPW
	if username == "admin" {
		pw = adminPW
	}
	c := h.anon()
	c.login(username, pw)
	h.clients[username] = c
	return c
}

func (c *client) login(username, pw string) {
	c.h.t.Helper()
	st, body := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": pw})
	if st != 200 {
		c.h.t.Fatalf("login %s: %d %s", username, st, body)
	}
	var info struct {
		CSRFToken string `json:"csrf_token"`
	}
	mustJSON(c.h.t, body, &info)
	c.csrf = info.CSRFToken
}

// do sends a request; body may be nil, a string (sent raw) or a value (JSON).
func (c *client) do(method, path string, body any) (int, []byte) {
	c.h.t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case upload:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", b.kind)
		fw, _ := mw.CreateFormFile("file", b.filename)
		_, _ = fw.Write(b.data)
		_ = mw.Close()
		rd, contentType = &buf, mw.FormDataContentType()
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.h.srv.URL+path, rd)
	if err != nil {
		c.h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if c.csrf != "" {
		req.Header.Set(auth.CSRFHeader, c.csrf)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	c.checkResponse(method, path, resp.StatusCode, resp.Header.Get("Content-Type"), out)
	return resp.StatusCode, out
}

// get decodes a 200 answer into v.
func (c *client) get(path string, v any) {
	c.h.t.Helper()
	st, body := c.do("GET", path, nil)
	if st != 200 {
		c.h.t.Fatalf("GET %s: %d %s", path, st, body)
	}
	mustJSON(c.h.t, body, v)
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// unitID finds a demo unit by code.
func (h *harness) unitID(code string) int64 {
	h.t.Helper()
	var id int64
	if err := h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT id FROM units WHERE code = ?`, code).Scan(&id); err != nil {
		h.t.Fatalf("unit %s: %v", code, err)
	}
	return id
}

// userID finds a user by name.
func (h *harness) userID(username string) int64 {
	h.t.Helper()
	var id int64
	if err := h.app.DB.Reader().QueryRowContext(context.Background(), `SELECT id FROM users WHERE username = ?`, username).Scan(&id); err != nil {
		h.t.Fatalf("user %s: %v", username, err)
	}
	return id
}

var system = &org.Actor{Username: "test", Scope: org.ScopeAll, Perms: map[string]bool{"role:write": true}}

// upload is a multipart file body for client.do.
type upload struct {
	kind, filename string
	data           []byte
}

// pdf is a minimal PDF: enough for content sniffing.
var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
