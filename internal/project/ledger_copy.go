package project

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// copyLedger writes the good rows on PostgreSQL with COPY, its fastest way
// in, inside the import's transaction: the projects as the checker passes
// them (ids reserved from the sequence chunk by chunk, on another
// connection, as nextval is not transactional anyway), then their
// introducers, transitions and units.
func (s *Service) copyLedger(ctx context.Context, raw func(func(any) error) error, a *org.Actor, ck *checker, w *written, gen int64) error {
	now := s.now()
	// What the projects' rows bring to the other tables, by project id.
	var intro []IntroducerInput
	var introIDs, stageIDs, unitIDs, units []int64
	var stageRows []ledgerRow
	err := raw(func(dc any) error {
		conn := dc.(*stdlib.Conn).Conn()
		var chunk []ledgerRow
		var chunkIDs []int64
		i := 0
		_, err := conn.CopyFrom(ctx, pgx.Identifier{"projects"}, storedLedgerColumns, pgx.CopyFromFunc(func() ([]any, error) {
			for i == len(chunk) {
				good, ok := ck.next()
				if !ok {
					return nil, nil
				}
				var err error
				if chunkIDs, err = s.reserveIDs(ctx, len(good)); err != nil {
					return nil, err
				}
				chunk, i = good, 0
			}
			r, id := chunk[i], chunkIDs[i]
			i++
			w.add(id)
			for _, in := range r.in.Introducers {
				intro, introIDs = append(intro, in), append(introIDs, id)
			}
			stageRows, stageIDs = append(stageRows, ledgerRow{stage: r.stage, status: r.status, dates: r.dates}), append(stageIDs, id)
			for _, u := range projectUnits(r, a.UnitID) {
				units, unitIDs = append(units, u), append(unitIDs, id)
			}
			return copyProjectRow(r, id, a, now, gen), nil
		}))
		if err != nil {
			return fmt.Errorf("copy into projects: %w", err)
		}
		by := db.NullID(a.UserID)
		if err := copyRows(ctx, conn, "project_introducers", []string{"project_id", "unit_id", "share_bp"}, len(intro), func(i int) []any {
			return []any{introIDs[i], intro[i].UnitID, int64(intro[i].Share)}
		}); err != nil {
			return err
		}
		if err := copyRows(ctx, conn, "project_transitions", []string{"project_id", "action", "from_stage", "to_stage", "from_status", "to_status",
			"on_date", "evidence", "by_user_id", "at"}, len(stageRows), func(i int) []any {
			r := stageRows[i]
			return []any{stageIDs[i], "import", "lead", r.stage, "active", r.status, pgDate(r.dates[stageIndex(r.stage)]), "台账导入", by, now}
		}); err != nil {
			return err
		}
		return copyRows(ctx, conn, "project_units", []string{"unit_id", "project_id"}, len(units), func(i int) []any { return []any{units[i], unitIDs[i]} })
	})
	return errs.Wrap(err, "import")
}

// copyRows copies n rows, the i-th made by row, into a table.
func copyRows(ctx context.Context, conn *pgx.Conn, table string, cols []string, n int, row func(i int) []any) error {
	i := 0
	_, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return row(i - 1), nil
	}))
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

// reserveIDs takes n ids from the projects' sequence, ascending.
func (s *Service) reserveIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	rows, err := s.DB.W.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('projects', 'id')) FROM generate_series(1, $1) ORDER BY 1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// copyProjectRow is a project's row in the types pgx encodes for COPY.
func copyProjectRow(r ledgerRow, id int64, a *org.Actor, now time.Time, gen int64) []any {
	vals := fieldValues(ledgerFields(r, id, a, now, gen))
	for i, v := range vals {
		vals[i] = copyValue(v)
	}
	return vals
}

// pgDate is a civil date as COPY takes it (NULL when unset).
func pgDate(d civil.Date) any {
	if d.IsZero() {
		return nil
	}
	s := d.String() // YYYY-MM-DD
	n := func(b string) int {
		v := 0
		for _, c := range b {
			v = v*10 + int(c-'0')
		}
		return v
	}
	return time.Date(n(s[:4]), time.Month(n(s[5:7])), n(s[8:10]), 0, 0, 0, 0, time.UTC)
}
