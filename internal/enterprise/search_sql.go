package enterprise

import (
	"context"
	"strings"
	"unicode"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// While the index is first built after a start (10 s for a million
// enterprises on a quiet machine, a minute under load), searches are
// answered from SQL instead of waiting for it: a substring scan (LIKE on
// SQLite, ILIKE on PostgreSQL) narrows the rows, and the rows it finds are
// put in a small index of columns only and ranked by the very code the
// index ranks with (filters, text check, sort, ties, total), so the answer
// is the one the index will give. It costs a scan of the table per search
// (a few hundred milliseconds at a million rows): slower, never wrong.

// WarmLater tells the service that a Warm is coming (the server calls it
// as it starts): until the index is built, searches go to SQL rather than
// each waiting for the build.
func (s *Service) WarmLater() { s.warming.Store(true) }

// Indexed reports whether searches take the fast path (the index is built).
func (s *Service) Indexed() bool { return s.idx.Load() != nil }

// fromSQL reports whether a search now should be answered from SQL.
func (s *Service) fromSQL() bool { return s.idx.Load() == nil && s.warming.Load() }

// searchSQL answers a search from the table.
func (s *Service) searchSQL(ctx context.Context, q Query) ([]Enterprise, int, error) {
	cond, args := "archived = ?", []any{false}
	if code := strings.ToUpper(strings.TrimSpace(q.Q)); uscc.Valid(code) {
		// A whole credit code finds its enterprise, as in Search.
		cond, args = cond+" AND credit_code = ?", append(args, code)
		q.Q = ""
	}
	needle := normalise(strings.TrimSpace(q.Q))
	if needle != "" && !cased(needle) {
		like := "LIKE" // ASCII case folded, as the index folds it
		if s.DB.Dialect == db.Postgres {
			like = "ILIKE"
		}
		pat := "%" + escapeLike(needle) + "%"
		cond += " AND (name " + like + " ? ESCAPE '\\' OR former_names " + like + " ? ESCAPE '\\')"
		args = append(args, pat, pat)
	}
	docs, _, _, err := loadDocsWhere(ctx, s.DB.Reader(), 0, cond, args...)
	if err != nil {
		return nil, 0, err
	}
	x := newIndex()
	for _, d := range docs {
		x.put(d)
	}
	f := x.compile(q)
	hits := Hits{IDs: []int64{}}
	if !f.noTag {
		hits = x.rank(q, &f, needle, nil, needle == "")
	}
	items, err := byIDs(ctx, s.DB.Reader(), hits.IDs)
	return items, hits.Total, err
}

// cased reports whether s holds a letter other than ASCII that has case:
// SQLite's LIKE folds ASCII only, so for such a needle the scan is not
// narrowed (the text check alone decides, as in the index).
func cased(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII && (unicode.ToUpper(r) != r || unicode.ToLower(r) != r) {
			return true
		}
	}
	return false
}

// escapeLike makes every character of s literal in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
