package enterprise

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// Writing an import: the records are split into new enterprises, which the
// writer gives ids of their own as it writes them, and known ones (by
// credit code), which are upserted. Knowing the new rows' ids, the search
// index for them is built from the reader's view of them (no read back
// from the table) while the last transaction ends; it is published only
// after the commit, together with whatever else was written meanwhile.

// plan is how an import's records land. The records themselves are not
// kept once written: only the index's view of the new ones, in the chunks
// the file was read in.
type plan struct {
	fresh    [][]doc // the new enterprises, as the index holds them, with their ids (a small import)
	inserted int
	// A large import (more new rows than a quarter of the index) fills the
	// next index's columns as it reads instead (build, with the base index's
	// rows in its first baseSlots slots, base's generation g0); the new
	// rows' ids come in runs, filled in once every row has its id.
	build     *Index
	baseSlots int
	g0        int64
	runs      []idRun
	rowsHint  int     // the rows the file is expected to hold (0: unknown)
	knownIDs  []int64 // ids of the enterprises the import updates
	gens      []int64 // the generations its rows carry (one per transaction)
}

// codeMap maps credit codes compactly: a unified social credit code is 18
// ASCII characters, kept as an array key (a string key costs a header and
// an allocation more; an import of two million rows holds two of these
// maps). Any other key (never a valid code) goes to a plain map.
type codeMap[V any] struct {
	fixed map[[18]byte]V
	other map[string]V
}

func (m *codeMap[V]) get(code string) (V, bool) {
	if len(code) == 18 {
		v, ok := m.fixed[[18]byte([]byte(code))]
		return v, ok
	}
	v, ok := m.other[code]
	return v, ok
}

func (m *codeMap[V]) put(code string, v V) {
	if len(code) == 18 {
		if m.fixed == nil {
			m.fixed = map[[18]byte]V{}
		}
		m.fixed[[18]byte([]byte(code))] = v
		return
	}
	if m.other == nil {
		m.other = map[string]V{}
	}
	m.other[code] = v
}

type codeSet = codeMap[int64]

// existingCodes maps the library's credit codes to ids (none read when the
// library is empty).
func existingCodes(ctx context.Context, q db.Querier) (codeSet, error) {
	var out codeSet
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&n); err != nil || n == 0 {
		return out, err
	}
	out.fixed = make(map[[18]byte]int64, n)
	rows, err := q.QueryContext(ctx, `SELECT credit_code, id FROM enterprises`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	var code []byte
	for rows.Next() {
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return out, err
		}
		out.put(string(code), id)
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

// idRun is a chunk's new rows: the k-th to the k+n-1-th of the import's,
// with the ids first to first+n-1.
type idRun struct {
	k, n  int
	first int64
}

// rowsPerMB is the estimate of an enterprise CSV's rows per MB the next
// index is sized by (a row of the template with a name of a dozen
// characters is about 100 bytes).
const rowsPerMB = 10_000

// freshDoc takes in the index's view d of the import's next new row: kept
// in the chunk while the import is small, in the next index's columns once
// it is large (the rows kept so far then move there).
func (p *plan) freshDoc(base *Index, quarter int, cur *chunk, d doc) {
	if p.build == nil && p.inserted+len(cur.docs) >= quarter {
		n := p.inserted + len(cur.docs)
		x := newIndex()
		if base != nil {
			p.g0 = base.copyInto(x, max(p.rowsHint, n+1))
		} else {
			x.sized(max(p.rowsHint, n+1))
		}
		p.baseSlots = len(x.ids)
		for _, part := range p.fresh {
			for _, d := range part {
				x.putCols(d)
			}
		}
		for _, d := range cur.docs {
			x.putCols(d)
		}
		p.fresh, cur.docs, p.build = nil, nil, x
	}
	if p.build != nil {
		p.build.putCols(d)
		return
	}
	cur.docs = append(cur.docs, d)
}

// copyInto sizes y for x's live rows and more, copies them there, and
// returns x's generation then.
func (x *Index) copyInto(y *Index, more int) int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	y.sized(x.live + more)
	x.copyLive(y)
	return x.gen
}

// copyLive puts every live slot of x into y (the caller holds x's lock).
func (x *Index) copyLive(y *Index) {
	bits := x.tagNames()
	for s, id := range x.ids {
		if id != 0 {
			y.put(x.docAt(uint32(s), bits))
		}
	}
}

// speculate starts building, in the background, the index as it will be
// once the fresh rows land: worth it only when they are many.
func (s *Service) speculate(base *Index, p plan) (<-chan *Index, int64) {
	if x := p.build; x != nil {
		// Every new row has its id now.
		for _, r := range p.runs {
			for i := range r.n {
				id := r.first + int64(i)
				x.ids[p.baseSlots+r.k+i] = id
				x.slot[id] = uint32(p.baseSlots + r.k + i)
			}
		}
		x.gen = p.g0
		ch := make(chan *Index, 1)
		go func() {
			x.postAll()
			ch <- x
		}()
		return ch, p.g0
	}
	if base != nil && p.inserted <= base.size()/4 {
		return nil, 0
	}
	parts := p.fresh
	g0 := int64(0)
	if base != nil {
		var docs []doc
		docs, g0 = base.snapshot()
		parts = append([][]doc{docs}, parts...)
	}
	ch := make(chan *Index, 1)
	go func() { ch <- buildParts(parts, g0) }()
	return ch, g0
}

// docs is every live row of the index, for a rebuild.
func (x *Index) docs() []doc {
	bits := x.tagNames()
	out := make([]doc, 0, x.live)
	for s, id := range x.ids {
		if id != 0 {
			out = append(out, x.docAt(uint32(s), bits))
		}
	}
	return out
}

// tagNames is the tags by their bit.
func (x *Index) tagNames() []string {
	bits := make([]string, 64)
	for t, b := range x.tagBit {
		bits[b] = t
	}
	return bits
}

// docAt is slot s as a doc (bits: tagNames).
func (x *Index) docAt(s uint32, bits []string) doc {
	var tags []string
	for m, b := x.tags[s], 0; m != 0; m, b = m>>1, b+1 {
		if m&1 != 0 {
			tags = append(tags, bits[b])
		}
	}
	return doc{ID: x.ids[s], Text: x.textOf(s), Industry: x.industries[x.industry[s]], Region: x.regions[x.region[s]],
		Capital: x.capital[s], Revenue: x.revenue[s], Staff: x.staff[s], Status: Statuses[x.status[s]], Owner: x.owner[s],
		Tags: tags, Target: x.target[s], Expanded: x.expanded[s]}
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
	ours, args := gensIn(p.gens)
	others, arch1, g1, err := loadDocsWhere(ctx, s.DB.Reader(), g0, `gen > ? AND NOT `+ours, append([]any{g0}, args...)...)
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
	nx.apply(others, arch1, max(g1, slices.Max(p.gens)))
	s.idx.Store(nx)
	return nil
}

// inserter writes records in statements of many rows (SQLite's cost is per
// statement far more than per row): new ones with their ids, known ones as
// upserts on the credit code. The statement of a full batch is prepared
// once for the import (a 3,400-placeholder statement costs more to prepare
// than to run); only a chunk's last, shorter batch is prepared anew.
type inserter struct {
	tx         *db.Tx
	gen        int64
	now        string
	fresh, upd *sql.Stmt
	args       []any
}

// insertBatch rows a statement: 500 × 17 = 8,500 parameters, within
// SQLite's 32,766; a chunk of the reader's (2,000 rows) is four of them.
const insertBatch = 500

func newInserter(ctx context.Context, tx *db.Tx, gen int64, now time.Time) (*inserter, error) {
	// The time as the driver writes it (_time_format=sqlite), formatted once
	// rather than twice a row.
	in := &inserter{tx: tx, gen: gen, now: now.UTC().Format("2006-01-02 15:04:05.999999999-07:00"), args: make([]any, 0, insertBatch*17)}
	var err error
	if in.fresh, err = tx.PrepareContext(ctx, insertSQL(insertBatch, true)); err != nil {
		return nil, err
	}
	if in.upd, err = tx.PrepareContext(ctx, insertSQL(insertBatch, false)); err != nil {
		in.fresh.Close()
		return nil, err
	}
	return in, nil
}

func (in *inserter) Close() {
	in.fresh.Close()
	in.upd.Close()
}

// insertSQL is the INSERT of n rows: with their ids (new rows), or
// without, as upserts (known rows).
func insertSQL(n int, withIDs bool) string {
	ncol, cols := 16, insertCols
	if withIDs {
		ncol, cols = 17, "id, "+insertCols
	}
	row := "(" + strings.Repeat("?,", ncol-1) + "?)"
	q := `INSERT INTO enterprises (` + cols + `) VALUES ` + strings.Repeat(row+",", n-1) + row
	if !withIDs {
		q += fmt.Sprintf(upsertOn, "char(10)", "trim")
	}
	return q
}

// write writes recs (ids nil: known rows).
func (in *inserter) write(ctx context.Context, recs []Record, ids []int64) error {
	for i := 0; i < len(recs); i += insertBatch {
		end := min(i+insertBatch, len(recs))
		in.args = in.args[:0]
		for k, r := range recs[i:end] {
			if ids != nil {
				in.args = append(in.args, ids[i+k])
			}
			in.args = append(in.args, r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, nullStr(r.FoundedOn),
				nullInt(r.Revenue), nullInt(r.Staff), r.Listing, r.Tags, r.IsTarget, nullStr(r.ExpandedOn), in.gen, in.now, in.now)
		}
		var err error
		switch {
		case end-i == insertBatch && ids != nil:
			_, err = in.fresh.ExecContext(ctx, in.args...)
		case end-i == insertBatch:
			_, err = in.upd.ExecContext(ctx, in.args...)
		default:
			_, err = in.tx.ExecContext(ctx, insertSQL(end-i, ids != nil), in.args...)
		}
		if err != nil {
			return fmt.Errorf("write rows %d–%d: %w", i+1, end, err)
		}
	}
	return nil
}
