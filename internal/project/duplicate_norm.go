package project

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/region"
)

// How an enterprise's name is reduced to what identifies it, so that the
// usual ways of writing one firm compare equal: 深圳市华鹏热管理科技有限公司,
// 深圳华鹏热管理科技有限公司 and 华鹏热管理科技（深圳）有限公司 are one firm.
//
//   - full-width letters, digits and brackets become half-width, letters lower case;
//   - a bracketed place name (a county's short form too), or 中国, is
//     dropped: 华鹏（深圳）, 富仕电子（四会）, 松下电器(中国);
//   - the company form is dropped: 股份有限公司, 有限责任公司, 有限公司, 集团 …;
//   - leading places are dropped: provinces and prefecture-level cities with or
//     without their suffix (广东省, 广东, 深圳市, 深圳), counties with it (顺德区),
//     as long as three characters remain (上海汽车 stays: 汽车 alone names no firm);
//   - spaces and punctuation go.

var companyForms = []string{"股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "co.,ltd.", "coltd", "ltd", "inc"}

// placeSuffixes are stripped from provinces' and cities' names to give the
// short forms firms are written with.
var placeSuffixes = []string{"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "盟"}

var places struct {
	once    sync.Once
	prefix  map[rune][]string // by first character, longest first
	bracket map[string]bool   // a bracket holding one of these is dropped
}

func loadPlaces() {
	set := map[string]bool{}
	places.bracket = map[string]bool{"中国": true}
	for _, d := range region.Search("", -1) {
		if d.Level == 3 {
			// Counties lead a name only in full (南山 is also a firm's name);
			// in brackets the short form is a place too: 富仕电子（四会）.
			set[d.Name] = true
			places.bracket[d.Name] = true
			for _, suf := range []string{"自治县", "区", "县", "市", "旗"} {
				if short := strings.TrimSuffix(d.Name, suf); short != d.Name && utf8.RuneCountInString(short) >= 2 {
					places.bracket[short] = true
					break
				}
			}
			continue
		}
		set[d.Name] = true
		places.bracket[d.Name] = true
		for _, suf := range placeSuffixes {
			if short := strings.TrimSuffix(d.Name, suf); short != d.Name && utf8.RuneCountInString(short) >= 2 {
				set[short] = true
				places.bracket[short] = true
				break
			}
		}
	}
	places.prefix = map[rune][]string{}
	for p := range set {
		r, _ := utf8.DecodeRuneInString(p)
		places.prefix[r] = append(places.prefix[r], p)
	}
	for _, l := range places.prefix {
		sort.Slice(l, func(i, j int) bool {
			if len(l[i]) != len(l[j]) {
				return len(l[i]) > len(l[j])
			}
			return l[i] < l[j]
		})
	}
}

// NormInvestor reduces an enterprise name to what identifies it (above).
func NormInvestor(s string) string {
	places.once.Do(loadPlaces)
	s = dropPlaceBrackets(foldWidth(strings.ToLower(s)))
	for _, f := range companyForms {
		s = strings.ReplaceAll(s, f, "")
	}
	s = stripPunct(s)
	for again := true; again; {
		again = false
		first, _ := utf8.DecodeRuneInString(s)
		for _, p := range places.prefix[first] {
			if rest := strings.TrimPrefix(s, p); rest != s && utf8.RuneCountInString(rest) >= 3 {
				s, again = rest, true
				break
			}
		}
	}
	return s
}

// foldWidth turns full-width forms (Ａ, １, （, ：, the ideographic space)
// into their half-width ones.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// dropPlaceBrackets removes "(深圳)" and the like; other brackets stay
// (their punctuation goes later), so "(集团)" or "(研发)" still count.
func dropPlaceBrackets(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			break
		}
		inner := strings.TrimSpace(s[i+1 : i+j])
		b.WriteString(s[:i])
		if !places.bracket[inner] {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// NormName reduces a project name for comparison.
func NormName(s string) string {
	s = foldWidth(strings.ToLower(s))
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

// normVersion is the version of NormName and NormInvestor the stored
// name_norm and investor_norm were computed with; raise it when they change.
const normVersion = 2

// Renormalise recomputes the stored normalised names when they were made
// by an older version of the normalisation (counters('project_norm')), so
// that the duplicate guard's SQL compares like with like. It runs at start.
func (s *Service) Renormalise(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var v int64
		err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'project_norm'`).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return errs.Wrap(err, "norm version")
		}
		if err == nil && v >= normVersion {
			return nil
		}
		type row struct {
			id                       int64
			name, investor, nn, invN string
		}
		var rows []row
		rs, err := tx.QueryContext(ctx, `SELECT id, name, investor_name, name_norm, investor_norm FROM projects ORDER BY id`)
		if err != nil {
			return errs.Wrap(err, "renormalise")
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.name, &r.investor, &r.nn, &r.invN); err != nil {
				rs.Close()
				return errs.Wrap(err, "renormalise")
			}
			rows = append(rows, r)
		}
		rs.Close()
		for _, r := range rows {
			if nn, inv := NormName(r.name), NormInvestor(r.investor); nn != r.nn || inv != r.invN {
				if _, err := tx.ExecContext(ctx, `UPDATE projects SET name_norm = ?, investor_norm = ? WHERE id = ?`, nn, inv, r.id); err != nil {
					return errs.Wrap(err, "renormalise")
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM counters WHERE name = 'project_norm'`); err != nil {
			return errs.Wrap(err, "norm version")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('project_norm', ?)`, normVersion)
		return errs.Wrap(err, "norm version")
	})
}
