package project

import (
	"context"
	"strings"
	"unicode"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Two derived tables keep lists fast (measured in `attract bench`):
// project_units (every unit a project belongs to, for data scope) and
// project_terms (character bigrams of name and investor, for keywords).
// Every write that changes those facts calls Reindex in its transaction.

// Reindex rebuilds both tables for the projects with ids in [from, to].
func Reindex(ctx context.Context, tx *db.Tx, from, to int64) error {
	for _, q := range []string{
		`DELETE FROM project_units WHERE project_id >= ? AND project_id <= ?`,
		`DELETE FROM project_terms WHERE project_id >= ? AND project_id <= ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, from, to); err != nil {
			return errs.Wrap(err, "reindex")
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO project_units (unit_id, project_id)
		SELECT owner_unit_id, id FROM projects WHERE id >= ? AND id <= ?
		UNION SELECT locality_unit_id, id FROM projects WHERE locality_unit_id IS NOT NULL AND id >= ? AND id <= ?
		UNION SELECT handover_to_unit_id, id FROM projects WHERE handover_to_unit_id IS NOT NULL AND id >= ? AND id <= ?
		UNION SELECT unit_id, project_id FROM project_introducers WHERE project_id >= ? AND project_id <= ?`,
		from, to, from, to, from, to, from, to)
	if err != nil {
		return errs.Wrap(err, "reindex units")
	}
	return reindexTerms(ctx, tx, from, to)
}

func reindexTerms(ctx context.Context, tx *db.Tx, from, to int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, investor_name FROM projects WHERE id >= ? AND id <= ?`, from, to)
	if err != nil {
		return errs.Wrap(err, "reindex terms")
	}
	var vals [][]any
	for rows.Next() {
		var id int64
		var name, investor string
		if err := rows.Scan(&id, &name, &investor); err != nil {
			rows.Close()
			return errs.Wrap(err, "reindex terms")
		}
		for _, t := range Terms(name + " " + investor) {
			vals = append(vals, []any{t, id})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "reindex terms")
	}
	return insertBatches(ctx, tx, `INSERT INTO project_terms (term, project_id) VALUES `, 2, vals)
}

// Terms are the distinct character bigrams of a text, lower-cased, within
// runs of letters and digits (a keyword never spans punctuation or space).
func Terms(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, run := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(run)
		for i := 0; i+1 < len(rs); i++ {
			t := string(rs[i : i+2])
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// keywordSQL finds projects whose name or investor contains q: through the
// bigram index when q has two or more characters, then rechecked with LIKE
// (the bigrams can all occur without the whole keyword); a code-like or
// one-character keyword scans.
func keywordSQL(q string) (string, []any) {
	like := db.Like(q)
	recheck := `(p.name LIKE ? ESCAPE '\' OR p.investor_name LIKE ? ESCAPE '\' OR p.code LIKE ? ESCAPE '\')`
	terms := Terms(q)
	codeLike := strings.Trim(strings.ToUpper(q), "XM-0123456789") == ""
	if len(terms) == 0 || codeLike {
		return recheck, []any{like, like, like}
	}
	var parts []string
	var args []any
	for _, t := range terms {
		parts = append(parts, `p.id IN (SELECT project_id FROM project_terms WHERE term = ?)`)
		args = append(args, t)
	}
	return "(" + strings.Join(parts, " AND ") + " AND (p.name LIKE ? ESCAPE '\\' OR p.investor_name LIKE ? ESCAPE '\\'))", append(args, like, like)
}

// EnsureIndexed builds the derived tables for a database that has projects
// but no terms yet (one made before they existed).
func EnsureIndexed(ctx context.Context, d *db.DB) error {
	var terms, lo, hi int64
	if err := d.Reader().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM project_terms), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM projects`).
		Scan(&terms, &lo, &hi); err != nil {
		return errs.Wrap(err, "index check")
	}
	if terms > 0 || hi == 0 {
		return nil
	}
	return d.InTx(ctx, func(tx *db.Tx) error { return Reindex(ctx, tx, lo, hi) })
}
