package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

type sample struct {
	Name  string     `json:"name"`
	Count int        `json:"count"`
	Day   civil.Date `json:"day"`
	IDs   []int64    `json:"ids"`
}

// FuzzDecode: any body is either decoded or refused with a user-facing
// error code; never a panic, never an internal error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"x","count":1,"day":"2024-01-01","ids":[1]}`, `{`, `[]`, `{"nope":1}`, `{"count":"x"}`, `{"day":"x"}`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		var v sample
		if err := Decode(httptest.NewRecorder(), r, &v); err != nil {
			if c := errs.As(err).Code; c != errs.Invalid && c != errs.TooLarge {
				t.Fatalf("%q: code %s", body, c)
			}
		}
	})
}

func TestPageOf(t *testing.T) {
	for q, ok := range map[string]bool{"": true, "page=2&page_size=200": true, "page=0": false, "page_size=201": false, "page=x": false} {
		_, err := PageOf(httptest.NewRequest("GET", "/?"+q, nil))
		if (err == nil) != ok {
			t.Errorf("%q: err=%v", q, err)
		}
	}
}
