package project

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// dupGuard holds projects by investor (credit code, normalised name): the
// registered ones that share an investor with a chunk of rows, fetched by
// index as the chunk is read (rather than every project before the import
// starts), or the rows above in the file.
type dupGuard struct {
	byCode, byInvestor map[string][]dupEntry
}

// dupEntry is a project the guard knows: its normalised name, and its name
// and unit (or row) for the message, joined only when it matches.
type dupEntry struct{ norm, name, where string }

func (e dupEntry) label() string { return e.name + "（" + e.where + "）" }

func newDupGuard() *dupGuard {
	return &dupGuard{byCode: map[string][]dupEntry{}, byInvestor: map[string][]dupEntry{}}
}

// knownProjects fetches the registered projects that share an investor
// with the good rows.
func knownProjects(ctx context.Context, q db.Querier, rows []ledgerRow) (*dupGuard, error) {
	g := newDupGuard()
	var invs, codes []string
	seen := map[string]bool{}
	for _, r := range rows {
		if len(r.errs) > 0 {
			continue
		}
		if !seen["n:"+r.invNorm] {
			seen["n:"+r.invNorm] = true
			invs = append(invs, r.invNorm)
		}
		if c := r.in.InvestorUSCC; c != "" && !seen["c:"+c] {
			seen["c:"+c] = true
			codes = append(codes, c)
		}
	}
	if len(invs) == 0 {
		return g, nil
	}
	// PostgreSQL takes the keys as two arrays: one statement, prepared once
	// (a list of placeholders, its length changing from chunk to chunk,
	// made pgx prepare a new statement for each: 40 ms a chunk).
	where, args := `p.investor_norm = ANY(?) OR p.investor_uscc = ANY(?)`, []any{invs, codes}
	if q.Dialect() != db.Postgres {
		where, args = `p.investor_norm IN (`+placeholders(len(invs))+`)`, nil
		for _, v := range invs {
			args = append(args, v)
		}
		if len(codes) > 0 {
			where += ` OR p.investor_uscc IN (` + placeholders(len(codes)) + `)`
			for _, v := range codes {
				args = append(args, v)
			}
		}
	}
	rs, err := q.QueryContext(ctx, `SELECT p.investor_uscc, p.investor_norm, p.name_norm, p.name, u.name FROM projects p
		JOIN units u ON u.id = COALESCE(p.locality_unit_id, p.owner_unit_id) WHERE `+NotMergedSQL+` AND (`+where+`) ORDER BY p.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "duplicate guard")
	}
	defer rs.Close()
	for rs.Next() {
		var code, inv, norm, name, unit string
		if err := rs.Scan(&code, &inv, &norm, &name, &unit); err != nil {
			return nil, errs.Wrap(err, "duplicate guard")
		}
		g.put(code, inv, dupEntry{norm, name, unit})
	}
	return g, errs.Wrap(rs.Err(), "duplicate guard")
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func (g *dupGuard) put(code, inv string, e dupEntry) {
	if code != "" {
		g.byCode[code] = append(g.byCode[code], e)
	}
	g.byInvestor[inv] = append(g.byInvestor[inv], e)
}

func (g *dupGuard) add(r ledgerRow, where string) {
	g.put(r.in.InvestorUSCC, r.invNorm, dupEntry{r.nameNorm, r.in.Name, where})
}

// matchDuplicate names the first registered project, or row above, the row
// duplicates (the same investor's credit code; or the same investor by
// name and names at least 60% alike), or "".
func matchDuplicate(r ledgerRow, known, above *dupGuard) string {
	if c := r.in.InvestorUSCC; c != "" {
		for _, l := range [][]dupEntry{known.byCode[c], above.byCode[c]} {
			if len(l) > 0 {
				return l[0].label()
			}
		}
	}
	for _, l := range [][]dupEntry{known.byInvestor[r.invNorm], above.byInvestor[r.invNorm]} {
		for _, e := range l {
			if similarity(e.norm, r.nameNorm) >= 0.6 {
				return e.label()
			}
		}
	}
	return ""
}

// ledgerBatch gathers the rows of the four tables an import writes (SQLite)
// and writes them with multi-row INSERTs, the projects before the rows that
// refer to them. OR FAIL: a failing row stops its statement without undoing
// the statement's rows before it (which would need a statement journal);
// the error undoes the whole transaction anyway.
type ledgerBatch struct {
	a                                       *org.Actor
	now                                     time.Time
	gen                                     int64 // counters('project'), for the mirror
	projects, introducers, transitions, pus *bulkInsert
	units                                   map[int64]bool // every unit the rows name
}

func newLedgerBatch(a *org.Actor, now time.Time, gen int64) *ledgerBatch {
	return &ledgerBatch{a: a, now: now, gen: gen, units: map[int64]bool{},
		projects:    newBulkInsert(`INSERT OR FAIL INTO projects (`+strings.Join(storedLedgerColumns, ", ")+`) VALUES `, len(storedLedgerColumns)),
		introducers: newBulkInsert(`INSERT OR FAIL INTO project_introducers (project_id, unit_id, share_bp) VALUES `, 3),
		transitions: newBulkInsert(`INSERT OR FAIL INTO project_transitions (project_id, action, from_stage, to_stage, from_status, to_status,
		on_date, evidence, by_user_id, at) VALUES `, 10),
		pus: newBulkInsert(`INSERT OR FAIL INTO project_units (unit_id, project_id) VALUES `, 2),
	}
}

// insertLedger writes the good rows on SQLite. Ids follow the highest: the
// transaction holds SQLite's only write lock.
func (s *Service) insertLedger(ctx context.Context, tx *db.Tx, a *org.Actor, ck *checker, w *written, gen int64) error {
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM projects`).Scan(&next); err != nil {
		return errs.Wrap(err, "allocate ids")
	}
	b := newLedgerBatch(a, s.now(), gen)
	defer b.close()
	for good, ok := ck.next(); ok; good, ok = ck.next() {
		for _, r := range good {
			b.add(r, next)
			w.add(next)
			next++
			if b.projects.full() {
				if err := b.flush(ctx, tx, false); err != nil {
					return err
				}
			}
		}
	}
	if err := b.flush(ctx, tx, true); err != nil {
		return err
	}
	return checkForeignKeys(ctx, tx, a, b.units)
}

// checkForeignKeys stands for the foreign keys, off while the rows went in:
// with them on, every multi-row INSERT keeps a statement journal (a
// temporary file) to undo its own rows should one fail its check, which
// took a quarter of the writing. Every unit and user an imported row names
// is one of a few known ones (the importing user and unit, the units in
// the lookups), and projects are named by the ids just inserted; so the
// check is of those few, with the transaction undone when one is missing.
func checkForeignKeys(ctx context.Context, tx *db.Tx, a *org.Actor, units map[int64]bool) error {
	if len(units) == 0 {
		return nil
	}
	ids := make([]any, 0, len(units))
	for id := range units {
		ids = append(ids, id)
	}
	var n int
	q := `SELECT COUNT(*) FROM units WHERE id IN (` + placeholders(len(ids)) + `)`
	if err := tx.QueryRowContext(ctx, q, ids...).Scan(&n); err != nil {
		return errs.Wrap(err, "check units")
	}
	if n != len(ids) {
		return errs.Wrap(fmt.Errorf("%d of the %d units the rows name do not exist", len(ids)-n, len(ids)), "FOREIGN KEY constraint failed")
	}
	if a.UserID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, a.UserID).Scan(&n); err != nil {
			return errs.Wrap(err, "check user")
		}
		if n != 1 {
			return errs.Wrap(fmt.Errorf("user %d does not exist", a.UserID), "FOREIGN KEY constraint failed")
		}
	}
	return nil
}

func (b *ledgerBatch) add(r ledgerRow, id int64) {
	in, a := r.in, b.a
	b.projects.add(fieldValues(ledgerFields(r, id, a, b.now, b.gen))...)
	for _, in := range in.Introducers {
		b.introducers.add(id, in.UnitID, in.Share)
	}
	b.transitions.add(id, "import", "lead", r.stage, "active", r.status, r.dates[stageIndex(r.stage)], "台账导入", db.NullID(a.UserID), b.now)
	for _, u := range projectUnits(r, a.UnitID) {
		b.pus.add(u, id)
		b.units[u] = true
	}
}

// flush writes the projects gathered, then the full statements' worth of
// the rows that refer to them (all of them at the end).
func (b *ledgerBatch) flush(ctx context.Context, tx *db.Tx, final bool) error {
	if err := b.projects.write(ctx, tx, true); err != nil {
		return err
	}
	for _, t := range []*bulkInsert{b.introducers, b.transitions, b.pus} {
		if err := t.write(ctx, tx, final); err != nil {
			return err
		}
	}
	return nil
}

func (b *ledgerBatch) close() {
	for _, t := range []*bulkInsert{b.projects, b.introducers, b.transitions, b.pus} {
		t.close()
	}
}

func projectCode(leadOn string, id int64) string { return fmt.Sprintf("XM-%s-%06d", leadOn[:4], id) }

// projectUnits are the units a new project belongs to (see Reindex): the
// registering unit, the landing locality and the introducers, each once.
func projectUnits(r ledgerRow, owner int64) []int64 {
	out := make([]int64, 0, 2+len(r.in.Introducers))
	out = append(out, owner)
	if l := r.in.LocalityUnitID; l != nil && *l != owner {
		out = append(out, *l)
	}
next:
	for _, in := range r.in.Introducers {
		for _, u := range out {
			if u == in.UnitID {
				continue next
			}
		}
		out = append(out, in.UnitID)
	}
	return out
}

// bulkInsert gathers rows of one table, width arguments each, and writes
// them with multi-row INSERTs of up to 1,000 rows (under both engines'
// limits on bound parameters); the full-sized statement is prepared once.
type bulkInsert struct {
	head        string
	width, rows int // arguments a row, rows a full statement
	args        []any
	stmt        *sql.Stmt
}

func newBulkInsert(head string, width int) *bulkInsert {
	return &bulkInsert{head: head, width: width, rows: min(1000, 30000/width)}
}

func (t *bulkInsert) add(args ...any) { t.args = append(t.args, args...) }
func (t *bulkInsert) full() bool      { return len(t.args) >= t.rows*t.width }

func (t *bulkInsert) sql(n int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", t.width), ", ") + ")"
	return t.head + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
}

// write runs the full statements gathered, and the rest too when all.
func (t *bulkInsert) write(ctx context.Context, tx *db.Tx, all bool) error {
	size := t.rows * t.width
	start := 0
	for ; len(t.args)-start >= size; start += size {
		if t.stmt == nil {
			var err error
			if t.stmt, err = tx.PrepareContext(ctx, t.sql(t.rows)); err != nil {
				return errs.Wrap(err, "batch insert")
			}
		}
		if _, err := t.stmt.ExecContext(ctx, t.args[start:start+size]...); err != nil {
			return errs.Wrap(err, "batch insert")
		}
	}
	if all && start < len(t.args) {
		if _, err := tx.ExecContext(ctx, t.sql((len(t.args)-start)/t.width), t.args[start:]...); err != nil {
			return errs.Wrap(err, "batch insert")
		}
		start = len(t.args)
	}
	t.args = append(t.args[:0], t.args[start:]...)
	return nil
}

func (t *bulkInsert) close() {
	if t.stmt != nil {
		t.stmt.Close()
	}
}
