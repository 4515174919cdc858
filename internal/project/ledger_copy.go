package project

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
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
		_, err := conn.CopyFrom(ctx, pgx.Identifier{"projects"}, copyProjectCols, pgx.CopyFromFunc(func() ([]any, error) {
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
		by := nullID(a.UserID)
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

var copyProjectCols = []string{"id", "code", "name", "name_norm", "investor_name", "investor_norm", "investor_uscc", "industry_code",
	"chain_role", "contract_investment", "fixed_asset_investment", "foreign_capital", "funds_in_place", "is_foreign", "source_region", "channel",
	"referrer", "tags", "land_area_mu", "expected_output", "expected_tax", "expected_jobs", "stage", "status", "lead_on", "negotiating_on",
	"signed_on", "registered_on", "construction_on", "production_on", "owner_unit_id", "locality_unit_id", "is_key", "created_by", "version",
	"created_at", "updated_at", "gen", "verify_status"}

// copyProjectRow is a project's row in the types pgx encodes for COPY.
func copyProjectRow(r ledgerRow, id int64, a *org.Actor, now time.Time, gen int64) []any {
	in, d := r.in, r.dates
	var locality any
	if in.LocalityUnitID != nil {
		locality = *in.LocalityUnitID
	}
	return []any{id, projectCode(d[0].String(), id), in.Name, r.nameNorm, in.InvestorName, r.invNorm, in.InvestorUSCC, in.IndustryCode,
		in.ChainRole, int64(in.ContractInvestment), int64(in.FixedAssetInvestment), int64(in.ForeignCapital), int64(in.FundsInPlace),
		in.IsForeign, in.SourceRegion, in.Channel, in.Referrer, strings.Join(in.Tags, ","), int64(in.LandAreaMu), int64(in.ExpectedOutput),
		int64(in.ExpectedTax), int64(in.ExpectedJobs), r.stage, r.status, pgDate(d[0]), pgDate(d[1]), pgDate(d[2]), pgDate(d[3]),
		pgDate(d[4]), pgDate(d[5]), a.UnitID, locality, in.IsKey, nullID(a.UserID), int32(1), now, now, gen, pendingAt(r.stage)}
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
