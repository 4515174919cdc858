package project

import (
	"context"
	"strings"
	"unicode"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// The duplicate guard: the same project must not be registered twice by two
// units (the spreadsheets' worst habit). Two projects are duplicates when
// their investors are the same — by credit code when both have one, else by
// normalised name — and their names are close (bigram similarity ≥ 0.6).

var companySuffixes = []string{"股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "（中国）", "(中国)", "co.,ltd.", "coltd", "ltd", "inc"}

// NormInvestor reduces an enterprise name to what identifies it.
func NormInvestor(s string) string {
	s = strings.ToLower(s)
	for _, suf := range companySuffixes {
		s = strings.ReplaceAll(s, suf, "")
	}
	return stripPunct(s)
}

// NormName reduces a project name for comparison.
func NormName(s string) string {
	s = strings.ToLower(s)
	for _, w := range []string{"项目", "建设"} {
		s = strings.ReplaceAll(s, w, "")
	}
	return stripPunct(s)
}

func stripPunct(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

// similarity is the Dice coefficient of the two strings' character bigrams.
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ba, bb := bigrams(a), bigrams(b)
	if len(ba) == 0 || len(bb) == 0 {
		return 0
	}
	common := 0
	for g, n := range ba {
		common += min(n, bb[g])
	}
	total := 0
	for _, n := range ba {
		total += n
	}
	for _, n := range bb {
		total += n
	}
	return 2 * float64(common) / float64(total)
}

func bigrams(s string) map[string]int {
	r := []rune(s)
	m := map[string]int{}
	for i := 0; i+1 < len(r); i++ {
		m[string(r[i:i+2])]++
	}
	return m
}

// Duplicate is a project that looks like the one being registered. Outside
// the caller's scope only its name and unit are shown.
type Duplicate struct {
	ID           *int64 `json:"id"`
	Name         string `json:"name"`
	UnitName     string `json:"unit_name"`
	InScope      bool   `json:"in_scope"`
	InvestorName string `json:"investor_name,omitempty"`
	Stage        string `json:"stage,omitempty"`
}

// DuplicateQuery is what the guard compares.
type DuplicateQuery struct {
	Name         string `json:"name"`
	InvestorName string `json:"investor_name"`
	InvestorUSCC string `json:"investor_uscc"`
}

// FindDuplicates looks across the whole city (not just the caller's scope:
// that is the point) and reveals details only of projects in scope.
func (s *Service) FindDuplicates(ctx context.Context, q db.Querier, a *org.Actor, in DuplicateQuery, except int64) ([]Duplicate, error) {
	inv, name := NormInvestor(in.InvestorName), NormName(in.Name)
	if inv == "" && in.InvestorUSCC == "" {
		return []Duplicate{}, nil
	}
	cond, args := scopeSQL(a)
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.name, p.name_norm, p.investor_name, p.stage, u.name, CASE WHEN `+cond+` THEN 1 ELSE 0 END
		FROM projects p JOIN units u ON u.id = COALESCE(p.locality_unit_id, p.owner_unit_id)
		WHERE p.id <> ? AND ((p.investor_uscc <> '' AND p.investor_uscc = ?) OR p.investor_norm = ?) ORDER BY p.id`,
		append(args, except, in.InvestorUSCC, inv)...)
	if err != nil {
		return nil, errs.Wrap(err, "find duplicates")
	}
	defer rows.Close()
	out := []Duplicate{}
	for rows.Next() {
		var d Duplicate
		var id int64
		var norm string
		var inScope int
		if err := rows.Scan(&id, &d.Name, &norm, &d.InvestorName, &d.Stage, &d.UnitName, &inScope); err != nil {
			return nil, errs.Wrap(err, "scan duplicate")
		}
		if similarity(norm, name) < 0.6 {
			continue
		}
		if d.InScope = inScope == 1; d.InScope {
			d.ID = &id
		} else {
			d.InvestorName, d.Stage = "", ""
		}
		out = append(out, d)
	}
	return out, errs.Wrap(rows.Err(), "find duplicates")
}
