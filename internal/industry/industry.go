// Package industry is the national industry classification (GB/T 4754-2017)
// that projects, enterprises and chain links are coded with. See SOURCE.md.
package industry

import (
	_ "embed"
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/httpx"
)

//go:embed gbt4754_2017.csv
var raw string

// Code is one class of the classification.
type Code struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Parent string `json:"parent"`
}

var (
	all    []Code
	byCode = map[string]Code{}
)

func init() {
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		panic("industry: " + err.Error())
	}
	for _, r := range rows[1:] {
		c := Code{Code: r[0], Name: r[1], Level: r[2], Parent: r[3]}
		all = append(all, c)
		byCode[c.Code] = c
	}
}

// Lookup finds a code.
func Lookup(code string) (Code, bool) {
	c, ok := byCode[code]
	return c, ok
}

// Search finds codes whose code starts with q or whose name contains it.
func Search(q string, limit int) []Code {
	out := []Code{}
	for _, c := range all {
		if q == "" || strings.HasPrefix(c.Code, q) || strings.Contains(c.Name, q) {
			out = append(out, c)
			if len(out) == limit {
				break
			}
		}
	}
	return out
}

// Handler answers GET /api/v1/industries?q=.
func Handler(w http.ResponseWriter, r *http.Request) error {
	items := Search(strings.TrimSpace(r.URL.Query().Get("q")), 50)
	return httpx.JSON(w, 200, httpx.List[Code]{Items: items, Total: len(items)})
}

// Within reports whether code lies within the class filter: a 门类 letter
// ("C") or a leading part of the digits ("36", "361", "3612").
func Within(code, filter string) bool {
	if filter == "" {
		return true
	}
	if f := filter[0]; f >= 'A' && f <= 'Z' {
		return Section(code) == filter
	}
	return strings.HasPrefix(code, filter)
}

// Section is the 门类 letter of a code ("3612" → "C"), or "" when unknown.
func Section(code string) string {
	for {
		c, ok := byCode[code]
		if !ok {
			return ""
		}
		if c.Parent == "" {
			return c.Code
		}
		code = c.Parent
	}
}
