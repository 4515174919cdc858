package valid

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// Text accepts exactly the strings both engines store: valid UTF-8 with no
// C0 control but tab, CR and LF.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "招商", "a\tb\r\n", "a\x00b", "\x1f", "\xff\xfe", "\u2028", "'; --"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := utf8.ValidString(s)
		for _, r := range s {
			if r < 0x20 && r != '\t' && r != '\r' && r != '\n' {
				want = false
			}
		}
		if Text(s) != want {
			t.Fatalf("Text(%q) = %v, want %v", s, !want, want)
		}
	})
}

type checked struct {
	Name  string            `json:"name"`
	Count int               `json:"count"`
	Big   int64             `json:"big"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
	Inner *struct {
		Note string `json:"note"`
		Sort int    `json:"sort"`
	} `json:"inner"`
}

// Check walks any decoded request without a panic and refuses NUL text
// and 32-bit overflows wherever they sit.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{}`, `{"name":"a\u0000b"}`, `{"count":4294967296}`, `{"tags":["x","\u0001"]}`,
		`{"attrs":{"k\u0000":"v"}}`, `{"inner":{"note":"ok","sort":-2147483649}}`, `{"big":9223372036854775807}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var c checked
		if json.Unmarshal([]byte(body), &c) != nil {
			return
		}
		err := Check(&c)
		if err == nil && (!Text(c.Name) || !Int32(int64(c.Count))) {
			t.Fatalf("Check passed %+v", c)
		}
	})
}
