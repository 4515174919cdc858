package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// badValues are what an assessor types into a query parameter: signs,
// zeroes, huge and out-of-range numbers, short and malformed codes, NUL
// characters, SQL metacharacters (LIKE's too) and very long text.
var badValues = []string{"-1", "0", "99999", "100", "x00", "9223372036854775808", "2024-13-45",
	"a\x00b", "' OR 1=1 --", "%_\\", strings.Repeat("长", 3000)}

// paramRE finds the query parameter names a package's handlers read.
var paramRE = regexp.MustCompile(`(?:\.Get|Query[A-Za-z]*\(r,|[a-zA-Z]+Param\(r,|queryID\(r,|v\[)\s*\(?"([a-z_]+)"`)

// paramsOf lists the query parameters read anywhere in a package's sources
// (plus paging, read by the shared helper), so a new parameter is walked
// without this test changing.
func paramsOf(t *testing.T, pkg string, cache map[string][]string) []string {
	if got, ok := cache[pkg]; ok {
		return got
	}
	set := map[string]bool{"page": true, "page_size": true}
	files, _ := filepath.Glob(filepath.Join("..", pkg, "*.go"))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range paramRE.FindAllStringSubmatch(string(src), -1) {
			set[m[1]] = true
		}
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	cache[pkg] = out
	return out
}

// handlerPackage is the package (directory under internal/) of a route's handler.
func handlerPackage(h any) string {
	name := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
	_, rest, _ := strings.Cut(name, "/internal/")
	pkg, _, _ := strings.Cut(rest, ".")
	return pkg
}

var idRE = regexp.MustCompile(`/api/v1/([a-z-]+/)*[a-z-]+/(\d+)`)

// TestNoServerErrorOnBadParameters walks every GET route of the route table
// as a user allowed to call it, with every parameter its package reads set
// to every bad value in turn, and every numeric path segment replaced by
// malformed ids: any 5xx fails.
func TestNoServerErrorOnBadParameters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		cache := map[string][]string{}
		calls := 0
		for _, rt := range h.app.Server().Routes() {
			if rt.Method != "GET" {
				continue
			}
			row, ok := matrix[rt.Method+" "+rt.Path]
			if !ok || len(row.allowed) == 0 && !row.public {
				continue
			}
			user := ""
			if len(row.allowed) > 0 {
				user = row.allowed[0]
			}
			c := h.anon()
			if user != "" {
				c = h.as(user)
			}
			p, _ := row.prep(h, user)
			base, _, _ := strings.Cut(p, "?")
			try := func(path string) {
				calls++
				if st, b := c.do("GET", path, nil); st >= 500 {
					t.Errorf("%s %s as %s: %d %.300s", rt.Path, path, user, st, b)
				}
			}
			for _, param := range paramsOf(t, handlerPackage(rt.Handler), cache) {
				for _, v := range badValues {
					try(base + "?" + url.Values{param: {v}}.Encode())
				}
			}
			if loc := idRE.FindStringSubmatchIndex(base); loc != nil {
				for _, id := range []string{"0", "-1", "99999999", "9223372036854775808", "x", "1.5"} {
					try(base[:loc[4]] + id + base[loc[5]:])
				}
			}
		}
		t.Logf("%d requests", calls)
	})
}
