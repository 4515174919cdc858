// Package region is the administrative-division code list (GB/T 2260 as the
// NBS publishes it) that enterprises' headquarters are coded with. See SOURCE.md.
package region

import (
	_ "embed"
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/httpx"
)

//go:embed admin_divisions_cn.csv
var raw string

// Division is one province, prefecture or county.
type Division struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  int    `json:"level"`
	Parent string `json:"parent"`
}

var (
	all    []Division
	byCode = map[string]Division{}
)

func init() {
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		panic("region: " + err.Error())
	}
	for _, r := range rows[1:] {
		all = append(all, Division{Code: r[0], Name: r[1], Level: int(r[2][0] - '0'), Parent: r[3]})
	}
	all = append(all, Division{"810000", "香港特别行政区", 1, ""}, Division{"820000", "澳门特别行政区", 1, ""}, Division{"710000", "台湾省", 1, ""})
	for _, d := range all {
		byCode[d.Code] = d
	}
}

// Lookup finds a code.
func Lookup(code string) (Division, bool) {
	d, ok := byCode[code]
	return d, ok
}

// Prefix is the significant part of a code: 440000 → "44", 441200 → "4412",
// 441202 → "441202". A code lies within another when it starts with the
// other's prefix. Anything but six digits is its own prefix (never sliced:
// a short code once panicked here).
func Prefix(code string) string {
	if !wellFormed(code) {
		return code
	}
	switch {
	case strings.HasSuffix(code, "0000"):
		return code[:2]
	case strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return code
}

func wellFormed(code string) bool {
	if len(code) != 6 {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// Within reports whether code lies within (or is) the division area.
func Within(code, area string) bool {
	return area != "" && strings.HasPrefix(code, Prefix(area))
}

// FullName is "广东省 肇庆市 端州区" for a county.
func FullName(code string) string {
	d, ok := byCode[code]
	if !ok {
		return ""
	}
	if p, ok := byCode[d.Parent]; ok && d.Parent != code {
		return FullName(p.Code) + " " + d.Name
	}
	return d.Name
}

// Search finds divisions whose code starts with q or whose name contains it.
func Search(q string, limit int) []Division {
	out := []Division{}
	for _, d := range all {
		if q == "" || strings.HasPrefix(d.Code, q) || strings.Contains(d.Name, q) {
			out = append(out, d)
			if len(out) == limit {
				break
			}
		}
	}
	return out
}

// Handler answers GET /api/v1/regions?q=.
func Handler(w http.ResponseWriter, r *http.Request) error {
	items := Search(strings.TrimSpace(r.URL.Query().Get("q")), 50)
	return httpx.JSON(w, 200, httpx.List[Division]{Items: items, Total: len(items)})
}
