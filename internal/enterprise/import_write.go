package enterprise

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	fresh    []Record // new enterprises …
	freshIDs []int64  // … and the ids given to them
	knownIDs []int64  // ids of the enterprises the import updates
	gen      int64
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
		docs, g0 = base.snapshot()
	}
	for i, r := range p.fresh {
		docs = append(docs, docOf(p.freshIDs[i], r))
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
	for i := 0; i < len(p.knownIDs); i += 500 {
		ids := p.knownIDs[i:min(i+500, len(p.knownIDs))]
		args := make([]any, len(ids))
		for k, id := range ids {
			args[k] = id
		}
		updated, arch, _, err := loadDocsWhere(ctx, s.DB.Reader(), g0, `id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
		if err != nil {
			return err
		}
		others, arch1 = append(others, updated...), append(arch1, arch...)
	}
	nx.apply(others, arch1, max(g1, p.gen))
	s.idx.Store(nx)
	return nil
}

// batches writes records in statements of many rows (SQLite's cost is per
// statement far more than per row): new ones with their ids, known ones (ids
// nil) as upserts on the credit code.
func batches(ctx context.Context, tx *db.Tx, recs []Record, ids []int64, gen int64, now time.Time) error {
	const batch = 200
	ncol := 16
	cols := insertCols
	if ids != nil {
		ncol, cols = 17, "id, "+insertCols
	}
	stmtFor := func(n int) string {
		row := "(" + strings.Repeat("?,", ncol-1) + "?)"
		q := `INSERT INTO enterprises (` + cols + `) VALUES ` + strings.Repeat(row+",", n-1) + row
		if ids == nil {
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
			if ids != nil {
				args = append(args, ids[i+k])
			}
			args = append(args, r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, nullStr(r.FoundedOn),
				nullInt(r.Revenue), nullInt(r.Staff), r.Listing, r.Tags, r.IsTarget, nullStr(r.ExpandedOn), gen, now, now)
		}
		q := full
		if end-i < batch {
			q = stmtFor(end - i)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("write rows %d–%d: %w", i+1, end, err)
		}
	}
	return nil
}
