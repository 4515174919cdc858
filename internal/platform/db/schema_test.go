package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestMigrationsAgree: the two dialects' migrations build the same schema —
// the same tables, each with the same columns and nullability, and the
// same indexes (name, uniqueness, columns). What one engine has for its
// own sake is listed below with the reason.
func TestMigrationsAgree(t *testing.T) {
	lite := describe(t, dbtest.SQLite(t))
	pg := describe(t, dbtest.Postgres(t))
	if lite["table projects"] == "" || !strings.Contains(lite["table projects"], "merged_into_id") || lite["index projects_signed_on"] == "" {
		t.Fatalf("the SQLite schema was not read: %d entries", len(lite))
	}
	for _, k := range union(lite, pg) {
		if l, p := lite[k], pg[k]; l != p {
			t.Errorf("%s\n  sqlite:   %s\n  postgres: %s", k, orNone(l), orNone(p))
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func union(a, b map[string]string) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// describe is the schema as "table t" → its columns, "index i" → its
// table, uniqueness and columns.
func describe(t *testing.T, d *db.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	q := d.Reader()
	strs := func(query string, args ...any) [][]string {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var res [][]string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				row[i] = fmt.Sprint(v)
			}
			res = append(res, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	if d.Dialect == db.Postgres {
		for _, r := range strs(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'`) {
			var cols []string
			for _, c := range strs(`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY column_name`, r[0]) {
				cols = append(cols, column(c[0], c[1] == "NO"))
			}
			out["table "+r[0]] = strings.Join(cols, ", ")
		}
		for _, r := range strs(`SELECT ic.relname, tc.relname, ix.indisunique,
				COALESCE((SELECT string_agg(COALESCE(a.attname, 'expr'), ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
					LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0), '')
			FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid JOIN pg_class tc ON tc.oid = ix.indrelid
			JOIN pg_namespace ns ON ns.oid = tc.relnamespace
			WHERE ns.nspname = current_schema() AND tc.relname <> 'goose_db_version'
			  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)`) {
			out["index "+r[0]] = index(r[1], r[2] == "true", r[3])
		}
		return out
	}
	for _, r := range strs(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' AND sql NOT LIKE 'CREATE VIRTUAL%'`) {
		var cols []string
		for _, c := range strs(`SELECT name, "notnull", pk FROM pragma_table_info(?) ORDER BY name`, r[0]) {
			cols = append(cols, column(c[0], c[1] == "1" || c[2] != "0"))
		}
		out["table "+r[0]] = strings.Join(cols, ", ")
		for _, ix := range strs(`SELECT name, "unique" FROM pragma_index_list(?) WHERE origin = 'c'`, r[0]) {
			var cols []string
			for _, c := range strs(`SELECT COALESCE(name, 'expr') FROM pragma_index_info(?) ORDER BY seqno`, ix[0]) {
				cols = append(cols, c[0])
			}
			out["index "+ix[0]] = index(r[0], ix[1] == "1", strings.Join(cols, ","))
		}
	}
	return out
}

func column(name string, notNull bool) string {
	if notNull {
		return name + " NOT NULL"
	}
	return name
}

func index(table string, unique bool, cols string) string {
	u := ""
	if unique {
		u = "UNIQUE "
	}
	return u + "ON " + table + "(" + cols + ")"
}
