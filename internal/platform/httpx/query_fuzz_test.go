package httpx

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/valid"
)

// The query-parameter decoders: any value is either read (within its
// bounds) or refused as invalid; never a panic, never an internal error.

var querySeeds = []string{"", "1", "0", "-1", "20", "200", "201", "2025", "1999", "99999", "9223372036854775808", "+5", " 7", "1e3",
	"0x10", "2025-02-29", "2024-02-29", "0000-01-01", "2025-13-01", "2025-1-1", "x", "'; DROP TABLE users;--", "%_", "\x00", "１２"}

func userError(t *testing.T, what, v string, err error) {
	t.Helper()
	if err != nil && errs.As(err).Code != errs.Invalid {
		t.Fatalf("%s(%q): %v, want invalid", what, v, err)
	}
}

func FuzzQueryDecoders(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		q := url.Values{"page": {v}, "page_size": {v}, "on": {v}, "n": {v}, "year": {v}}
		r := httptest.NewRequest("GET", "/x?"+q.Encode(), nil)
		p, err := PageOf(r)
		userError(t, "PageOf", v, err)
		if err == nil && (p.Page < 1 || p.Size < 1 || p.Size > 200 || p.Offset() < 0) {
			t.Fatalf("PageOf(%q) = %+v", v, p)
		}
		_, err = QueryDate(r, "on")
		userError(t, "QueryDate", v, err)
		n, err := QueryInt(r, "n", 5, -10, 10)
		userError(t, "QueryInt", v, err)
		if err == nil && (n < -10 || n > 10) {
			t.Fatalf("QueryInt(%q) = %d", v, n)
		}
		y, err := QueryYear(r, "year", 2025)
		userError(t, "QueryYear", v, err)
		if err == nil && !valid.Year(y) {
			t.Fatalf("QueryYear(%q) = %d", v, y)
		}
	})
}

func FuzzPathID(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r := httptest.NewRequest("GET", "/x", nil)
		r.SetPathValue("id", v)
		id, err := PathID(r, "id")
		if err != nil && errs.As(err).Code != errs.NotFound {
			t.Fatalf("PathID(%q): %v, want not found", v, err)
		}
		if err == nil && id < 1 {
			t.Fatalf("PathID(%q) = %d", v, id)
		}
	})
}

func FuzzClientAddr(f *testing.F) {
	for _, s := range []string{"", "10.0.0.1", "1.2.3.4, 10.0.0.1", "::1", "[::1]:80", "a, b, c", ",,,", "10.0.0.1,"} {
		f.Add("10.0.0.9:1234", s)
	}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("GET", "/x", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		_ = ClientAddr(r, []string{"10.0.0.9", "10.0.0.0/8"})
		_ = ClientAddr(r, nil)
	})
}
