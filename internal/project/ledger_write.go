package project

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// dupGuard holds every registered project's investor keys and name, so that
// a 50,000-row import checks duplicates in memory rather than by 50,000 queries.
type dupGuard struct {
	byInvestor map[string][]dupEntry
}

type dupEntry struct{ name, label string }

func loadGuard(ctx context.Context, q db.Querier) (*dupGuard, error) {
	g := &dupGuard{byInvestor: map[string][]dupEntry{}}
	rows, err := q.QueryContext(ctx, `SELECT p.investor_uscc, p.investor_norm, p.name_norm, p.name, u.name FROM projects p
		JOIN units u ON u.id = COALESCE(p.locality_unit_id, p.owner_unit_id)`)
	if err != nil {
		return nil, errs.Wrap(err, "duplicate guard")
	}
	defer rows.Close()
	for rows.Next() {
		var code, inv, norm, name, unit string
		if err := rows.Scan(&code, &inv, &norm, &name, &unit); err != nil {
			return nil, errs.Wrap(err, "duplicate guard")
		}
		g.put(code, inv, dupEntry{norm, name + "（" + unit + "）"})
	}
	return g, errs.Wrap(rows.Err(), "duplicate guard")
}

func (g *dupGuard) put(code, inv string, e dupEntry) {
	if code != "" {
		g.byInvestor["c:"+code] = append(g.byInvestor["c:"+code], e)
	}
	g.byInvestor["n:"+inv] = append(g.byInvestor["n:"+inv], e)
}

func (g *dupGuard) add(in Input, label string) {
	g.put(in.InvestorUSCC, NormInvestor(in.InvestorName), dupEntry{NormName(in.Name), in.Name + "（" + label + "）"})
}

// match names the first registered project the input duplicates, or "".
func (g *dupGuard) match(in Input) string {
	name := NormName(in.Name)
	keys := []string{"n:" + NormInvestor(in.InvestorName)}
	if in.InvestorUSCC != "" {
		keys = append(keys, "c:"+in.InvestorUSCC)
	}
	for _, k := range keys {
		for _, e := range g.byInvestor[k] {
			if similarity(e.name, name) >= 0.6 {
				return e.label
			}
		}
	}
	return ""
}

// writeLedger inserts the rows in multi-row batches: ids are taken up
// front (the sequence on PostgreSQL; after the highest id on SQLite, whose
// single writer holds the database), so codes, introducers and transitions
// need no round trip per project.
func (s *Service) writeLedger(ctx context.Context, tx *db.Tx, a *org.Actor, rows []ledgerRow) (int64, int64, error) {
	ids, err := allocateIDs(ctx, tx, len(rows))
	if err != nil {
		return 0, 0, err
	}
	now := s.now()
	vals := make([][]any, len(rows))
	for i, r := range rows {
		in, d := r.in, r.dates
		vals[i] = []any{ids[i], fmt.Sprintf("XM-%s-%06d", d[0].String()[:4], ids[i]), in.Name, NormName(in.Name), in.InvestorName,
			NormInvestor(in.InvestorName), in.InvestorUSCC, in.IndustryCode, in.ChainRole, in.ContractInvestment, in.FixedAssetInvestment,
			in.ForeignCapital, in.FundsInPlace, in.IsForeign, in.SourceRegion, in.Channel, in.Referrer, strings.Join(in.Tags, ","),
			in.LandAreaMu, in.ExpectedOutput, in.ExpectedTax, in.ExpectedJobs, r.stage, r.status, d[0], d[1], d[2], d[3], d[4], d[5],
			a.UnitID, in.LocalityUnitID, in.IsKey, nullID(a.UserID), 1, now, now}
	}
	err = insertBatches(ctx, tx, `INSERT INTO projects (id, code, name, name_norm, investor_name, investor_norm, investor_uscc, industry_code,
		chain_role, contract_investment, fixed_asset_investment, foreign_capital, funds_in_place, is_foreign, source_region, channel, referrer,
		tags, land_area_mu, expected_output, expected_tax, expected_jobs, stage, status, lead_on, negotiating_on, signed_on, registered_on,
		construction_on, production_on, owner_unit_id, locality_unit_id, is_key, created_by, version, created_at, updated_at) VALUES `, 37, vals)
	if err != nil {
		return 0, 0, err
	}
	if err := s.batchIntroducers(ctx, tx, rows, ids); err != nil {
		return 0, 0, err
	}
	if err := s.batchTransitions(ctx, tx, a, rows, ids); err != nil {
		return 0, 0, err
	}
	if err := Reindex(ctx, tx, ids[0], ids[len(ids)-1]); err != nil {
		return 0, 0, err
	}
	return ids[0], ids[len(ids)-1], nil
}

// allocateIDs reserves n project ids, ascending.
func allocateIDs(ctx context.Context, tx *db.Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.Dialect() == db.Postgres {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('projects', 'id')) FROM generate_series(1, CAST(? AS INTEGER)) ORDER BY 1`, n)
		if err != nil {
			return nil, errs.Wrap(err, "allocate ids")
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, errs.Wrap(err, "allocate ids")
			}
			ids = append(ids, id)
		}
		return ids, errs.Wrap(rows.Err(), "allocate ids")
	}
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM projects`).Scan(&top); err != nil {
		return nil, errs.Wrap(err, "allocate ids")
	}
	for i := 1; i <= n; i++ {
		ids = append(ids, top+int64(i))
	}
	return ids, nil
}

// insertBatches runs a multi-row INSERT of n rows of width placeholders each,
// a few hundred rows a statement.
func insertBatches(ctx context.Context, tx *db.Tx, head string, width int, rows [][]any) error {
	per := min(1000, 30000/width) // under both engines' limits on bound parameters
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var args []any
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		q := head + strings.TrimSuffix(strings.Repeat(one+", ", end-start), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return errs.Wrap(err, "batch insert")
		}
	}
	return nil
}

func (s *Service) batchIntroducers(ctx context.Context, tx *db.Tx, rows []ledgerRow, ids []int64) error {
	var vals [][]any
	for i, r := range rows {
		for _, in := range r.in.Introducers {
			vals = append(vals, []any{ids[i], in.UnitID, in.Share})
		}
	}
	return insertBatches(ctx, tx, `INSERT INTO project_introducers (project_id, unit_id, share_bp) VALUES `, 3, vals)
}

// batchTransitions records, for each imported project, that it entered at
// its stage by import (the ledger, not evidence, vouches for its past).
func (s *Service) batchTransitions(ctx context.Context, tx *db.Tx, a *org.Actor, rows []ledgerRow, ids []int64) error {
	now := s.now()
	var vals [][]any
	for i, r := range rows {
		on := r.dates[stageIndex(r.stage)]
		vals = append(vals, []any{ids[i], "import", "lead", r.stage, "active", r.status, on, "台账导入", nullID(a.UserID), now})
	}
	return insertBatches(ctx, tx, `INSERT INTO project_transitions (project_id, action, from_stage, to_stage, from_status, to_status,
		on_date, evidence, by_user_id, at) VALUES `, 10, vals)
}
