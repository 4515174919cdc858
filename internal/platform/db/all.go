package db

import "context"

// Scanner is a row to scan: *sql.Row or *sql.Rows.
type Scanner = interface{ Scan(...any) error }

// All runs query and scans every row with scan: the one loop of a list
// read. It answers an empty slice (not nil) when there are no rows, so a
// list answers [] in JSON.
func All[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
