package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/zhaoqing/attract/internal/web"
)

// Every answer a test receives is held against the route table: when the
// status is the route's documented success status, the body must decode into
// the documented response type, with no field the type lacks and no value
// of another type (see checkResponse). So the OpenAPI
// document cannot say one thing while a handler answers another, for every
// route some test calls.

type documented struct {
	method string
	path   *regexp.Regexp
	status int
	resp   []reflect.Type // any one of them
	name   string
}

var (
	documentedOnce sync.Once
	documentedList []documented
	checkedMu      sync.Mutex
	checked        = map[string]bool{}
)

func documentedRoutes(server func() *web.Server) []documented {
	documentedOnce.Do(func() {
		for _, rt := range server().Routes() {
			io, _ := rt.Body.(web.IO) // every route, so a literal path is not taken for a parameter
			status := io.Status
			if status == 0 {
				status = 200
			}
			pat := "^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(rt.Path), `[^/]+`) + `(\?.*)?$`
			documentedList = append(documentedList, documented{rt.Method, regexp.MustCompile(pat), status, typesOf(io.Resp, io.Or), rt.Method + " " + rt.Path})
		}
		// a literal segment wins over a parameter ("/projects/export" over "/projects/{id}")
		sort.SliceStable(documentedList, func(i, j int) bool {
			return strings.Count(documentedList[i].name, "{") < strings.Count(documentedList[j].name, "{")
		})
	})
	return documentedList
}

// checkResponse fails the test when a documented success answer does not
// match its declared type.
func (c *client) checkResponse(method, path string, status int, contentType string, body []byte) {
	if !strings.HasPrefix(contentType, "application/json") {
		return // a file (the error list of an import, say) on a route that answers JSON otherwise
	}
	for _, d := range documentedRoutes(c.h.app.Server) {
		if d.method != method || !d.path.MatchString(path) {
			continue
		}
		if len(d.resp) == 0 || status != d.status {
			return
		}
		if err := conformsToOne(body, d.resp); err != nil {
			c.h.t.Errorf("%s answered a body that is not its documented %s: %v\n%s", d.name, d.resp, err, truncate(body))
		}
		markChecked(d.name)
		return
	}
}

func markChecked(name string) {
	checkedMu.Lock()
	defer checkedMu.Unlock()
	checked[name] = true
}

func countChecked() int {
	checkedMu.Lock()
	defer checkedMu.Unlock()
	return len(checked)
}

func typesOf(vs ...any) []reflect.Type {
	var out []reflect.Type
	for _, v := range vs {
		if v != nil {
			out = append(out, reflect.TypeOf(v))
		}
	}
	return out
}

// conformsToOne answers the first type's mismatch when body conforms to none.
func conformsToOne(body []byte, ts []reflect.Type) error {
	var first error
	for _, t := range ts {
		err := conforms(body, t)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// conforms decodes body strictly into a new t.
func conforms(body []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	v := reflect.New(t)
	if err := dec.Decode(v.Interface()); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}

func TestConformsRejectsAnUndocumentedField(t *testing.T) {
	type answer struct {
		ID int64 `json:"id"`
	}
	if err := conforms([]byte(`{"id":1}`), reflect.TypeOf(answer{})); err != nil {
		t.Fatalf("a matching body: %v", err)
	}
	if err := conforms([]byte(`{"id":1,"name":"x"}`), reflect.TypeOf(answer{})); err == nil {
		t.Fatal("a body with a field the type lacks conforms")
	}
	if err := conforms([]byte(`{"id":"1"}`), reflect.TypeOf(answer{})); err == nil {
		t.Fatal("a body with a field of another type conforms")
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() {
		fmt.Printf("response schemas checked against real answers: %d routes\n", countChecked())
	}
	os.Exit(code)
}
