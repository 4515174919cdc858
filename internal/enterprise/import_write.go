package enterprise

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// Writing an import: the records are split into new enterprises, which get
// ids of their own up front, and known ones (by credit code), which are
// upserted. Knowing the new rows' ids before they are written lets the
// search index for them be built while the database writes them (on the
// other core): a million-row import then costs the slower of the two, not
// their sum. The index is published only after the transaction commits,
// together with whatever else was written meanwhile.

// plan is how an import's records land.
type plan struct {
	fresh  []Record // new enterprises, ids lo, lo+1, …
	known  []Record // credit codes already in the library
	lo, hi int64    // the fresh rows' ids (hi < lo when there are none)
	gen    int64
}

// existingCodes maps the library's credit codes to ids (none read when the
// library is empty).
func existingCodes(ctx context.Context, q db.Querier) (map[string]int64, error) {
	out := map[string]int64{}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&n); err != nil || n == 0 {
		return out, err
	}
	rows, err := q.QueryContext(ctx, `SELECT credit_code, id FROM enterprises`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		out[code] = id
	}
	return out, rows.Err()
}

func split(recs []Record, existing map[string]int64) plan {
	var p plan
	for _, r := range recs {
		if _, ok := existing[r.CreditCode]; ok {
			p.known = append(p.known, r)
		} else {
			p.fresh = append(p.fresh, r)
		}
	}
	return p
}

// docOf is the index's view of a new row, as the INSERT stores it.
func docOf(id int64, r Record) doc {
	d := doc{ID: id, Text: normalise(r.Name), Industry: r.Industry, Region: r.Region, Capital: r.Capital, Revenue: -1, Staff: -1,
		Status: "not_contacted", Tags: splitComma(r.Tags), Target: r.IsTarget}
	if r.FormerNames != "" {
		d.Text += "\x00" + normalise(strings.ReplaceAll(r.FormerNames, "\n", "\x00"))
	}
	if r.Revenue != nil {
		d.Revenue = *r.Revenue
	}
	if r.Staff != nil {
		d.Staff = *r.Staff
	}
	if len(r.ExpandedOn) == 10 {
		var y, m, dd int
		fmt.Sscanf(r.ExpandedOn, "%d-%d-%d", &y, &m, &dd)
		d.Expanded = uint32(y*10000 + m*100 + dd)
	}
	return d
}

// speculate starts building, in the background, the index as it will be
// once the fresh rows land: worth it only when they are many.
func (s *Service) speculate(base *Index, p plan) (<-chan *Index, int64) {
	if base != nil && len(p.fresh) <= base.size()/4 {
		return nil, 0
	}
	var docs []doc
	g0 := int64(0)
	if base != nil {
		base.mu.RLock()
		docs, g0 = base.docs(), base.gen
		base.mu.RUnlock()
	}
	for i, r := range p.fresh {
		docs = append(docs, docOf(p.lo+int64(i), r))
	}
	ch := make(chan *Index, 1)
	go func() { ch <- build(docs, g0) }()
	return ch, g0
}

// docs is every live row of the index, for a rebuild.
func (x *Index) docs() []doc {
	bits := make([]string, 64)
	for t, b := range x.tagBit {
		bits[b] = t
	}
	out := make([]doc, 0, x.live)
	for s, id := range x.ids {
		if id == 0 {
			continue
		}
		var tags []string
		for m, b := x.tags[s], 0; m != 0; m, b = m>>1, b+1 {
			if m&1 != 0 {
				tags = append(tags, bits[b])
			}
		}
		out = append(out, doc{ID: id, Text: x.text[s], Industry: x.industries[x.industry[s]], Region: x.regions[x.region[s]],
			Capital: x.capital[s], Revenue: x.revenue[s], Staff: x.staff[s], Status: Statuses[x.status[s]], Owner: x.owner[s],
			Tags: tags, Target: x.target[s], Expanded: x.expanded[s]})
	}
	return out
}

// publish brings a speculatively built index up to date — the rows others
// wrote since its base, and the known rows this import updated — and makes
// it the one searches use.
func (s *Service) publish(ctx context.Context, ch <-chan *Index, g0 int64, p plan) error {
	if ch == nil {
		_, err := s.current(ctx)
		return err
	}
	nx := <-ch
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	others, arch1, g1, err := loadDocsWhere(ctx, s.DB.Reader(), g0, `gen > ? AND gen <> ?`, g0, p.gen)
	if err != nil {
		return err
	}
	updated, arch2, _, err := loadDocsWhere(ctx, s.DB.Reader(), g0, `gen = ? AND (id < ? OR id > ?)`, p.gen, p.lo, p.hi)
	if err != nil {
		return err
	}
	nx.apply(append(others, updated...), append(arch1, arch2...), max(g1, p.gen))
	s.idx.Store(nx)
	return nil
}

// write lands the records in one transaction with the import's audit entry,
// then publishes the index.
func (s *Service) write(ctx context.Context, a *org.Actor, recs []Record, filename string, res *ImportResult, progress Progress) error {
	base, err := s.current(ctx)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	var p plan
	var ch <-chan *Index
	var g0 int64
	if s.DB.Dialect == db.Postgres {
		if p, err = s.planPostgres(ctx, recs); err != nil {
			return err
		}
		ch, g0 = s.speculate(base, p)
		err = s.writePostgres(ctx, a, &p, filename, res, progress, now)
	} else {
		err = s.writeSQLite(ctx, a, recs, &p, &ch, &g0, base, filename, res, progress, now)
	}
	if err != nil {
		if ch != nil {
			go func() { <-ch }() // let the speculative build finish and be dropped
		}
		return err
	}
	progress("index", 0, len(recs))
	return s.publish(ctx, ch, g0, p)
}

func (s *Service) writeSQLite(ctx context.Context, a *org.Actor, recs []Record, p *plan, ch *<-chan *Index, g0 *int64, base *Index,
	filename string, res *ImportResult, progress Progress, now time.Time) error {
	defer s.DB.W.ExecContext(context.Background(), `PRAGMA cache_size = -8192`) // back to the pool's usual cache
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		existing, err := existingCodes(ctx, tx)
		if err != nil {
			return err
		}
		*p = split(recs, existing)
		var maxID int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM enterprises`).Scan(&maxID); err != nil {
			return err
		}
		p.lo, p.hi = maxID+1, maxID+int64(len(p.fresh))
		if p.gen, err = nextGen(ctx, tx); err != nil {
			return err
		}
		*ch, *g0 = s.speculate(base, *p)
		// The credit-code index of a million rows outgrows the usual page
		// cache; a large cache for the import's length keeps its inserts in
		// memory (the writer connection is the import's alone meanwhile).
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return err
		}
		if err := batches(ctx, tx, p.fresh, p.lo, p.gen, now, progress, len(recs)); err != nil {
			return err
		}
		if err := batches(ctx, tx, p.known, 0, p.gen, now, progress, len(recs)); err != nil {
			return err
		}
		res.Inserted, res.Updated = len(p.fresh), len(p.known)
		progress("write", len(recs), len(recs))
		return audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, importSummary(filename, res)))
	})
}

// batches writes records in statements of many rows (SQLite's cost is per
// statement far more than per row): new ones with their ids from firstID,
// known ones (firstID 0) as upserts on the credit code.
func batches(ctx context.Context, tx *db.Tx, recs []Record, firstID, gen int64, now time.Time, progress Progress, total int) error {
	const batch = 200
	ncol := 16
	cols := insertCols
	if firstID > 0 {
		ncol, cols = 17, "id, "+insertCols
	}
	stmtFor := func(n int) string {
		row := "(" + strings.Repeat("?,", ncol-1) + "?)"
		q := `INSERT INTO enterprises (` + cols + `) VALUES ` + strings.Repeat(row+",", n-1) + row
		if firstID == 0 {
			q += fmt.Sprintf(upsertOn, "char(10)", "trim")
		}
		return q
	}
	full := stmtFor(batch)
	args := make([]any, 0, batch*ncol)
	for i := 0; i < len(recs); i += batch {
		end := min(i+batch, len(recs))
		args = args[:0]
		for k, r := range recs[i:end] {
			if firstID > 0 {
				args = append(args, firstID+int64(i+k))
			}
			args = append(args, r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, nullStr(r.FoundedOn),
				nullPtr(r.Revenue), nullPtr(r.Staff), r.Listing, r.Tags, r.IsTarget, nullStr(r.ExpandedOn), gen, now, now)
		}
		q := full
		if end-i < batch {
			q = stmtFor(end - i)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("write rows %d–%d: %w", i+1, end, err)
		}
		if i%50000 == 0 {
			progress("write", i, total)
		}
	}
	return nil
}
