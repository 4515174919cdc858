package project

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// Mirror keeps in memory the columns projects are listed, warned about and
// counted by. Lists need an exact total under the user's scope and any mix
// of filters; in SQL that is a count over thousands of rows per request
// (70–400 ms at 100,000 projects), in memory an intersection of posting
// lists (mirror_index.go). The statistics read the projects signed in a
// period from it too.
//
// The table stays the source of truth. Every write stamps the projects it
// changes with the next generation (stamp, below; the protocol is
// db.Generation); before answering, the mirror asks which generation has
// settled and rereads the rows stamped after the one it holds, so several
// servers on one PostgreSQL, or a restart, converge on the table.
type Mirror struct {
	db     *db.DB
	mu     sync.RWMutex
	loaded bool
	mark   db.Mark       // the writes the rows reflect
	state  uint64        // counts the changes applied to the rows (Version)
	rows   []*Row        // a changed project gets a new Row: a Row is never modified
	pos    map[int64]int // project id → index in rows
	signed []*Row        // the signed projects by signing day and id, for the statistics
	words  keywords      // the rows' texts, for keyword search
	idx    postings      // filters, scope and sort orders over the rows
	check  db.Shared     // concurrent requests share one freshness check
}

// projectGen numbers the writes to projects. On PostgreSQL it is the
// writing transaction's id, so that project writers do not queue on one
// counter row (db.Generation says how readers keep their order).
var projectGen = db.Generation{Name: "project", Table: "projects"}

// Row is one project as the mirror holds it: what lists filter and sort
// by, warnings test and statistics count. A Row is never modified (a
// changed project gets a new one), so a reader may keep the rows it is given.
type Row struct {
	ID, OwnerUnitID, LocalityUnitID, HandoverToUnitID int64
	Code, Name, Stage, Status, Channel, SourceRegion  string
	IndustryCode, HandoverStatus                      string
	IsKey, Merged                                     bool
	// Pending: imported at signed or later, not yet verified (verify.go).
	// Such a row is listed but counted nowhere: it is left out of the
	// signing index and of EachRow, which every figure reads.
	Pending                                          bool
	ContractInvestment, ForeignCapital               money.Cents
	LeadOn, NegotiatingOn, SignedOn, RegisteredOn    civil.Date
	ExpectedSignOn, LastTrackingOn, HandoverDeadline civil.Date
	Introducers                                      []Share // largest share first

	tags                                     string // ",a,b," so that a tag is found with its commas
	createdBy, introOfficer, localityOfficer int64
	updated                                  int64         // updated_at in Unix nanoseconds, for sorting
	gen                                      int64         // the generation of the write it reflects
	requests                                 []openRequest // open requests, by deadline and id (warnings)
}

// Share is an introducing unit's credit share in basis points.
type Share struct {
	UnitID int64
	BP     int64
}

// NewMirror builds an empty mirror; it loads on first use (or Warm).
func NewMirror(d *db.DB) *Mirror { return &Mirror{db: d, pos: map[int64]int{}} }

// Warm loads the mirror now rather than on the first request.
func (m *Mirror) Warm(ctx context.Context) error { return m.fresh(ctx) }

// held is, under the read lock, the writes the mirror has read.
func (m *Mirror) held() (db.Mark, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.mark, m.loaded
}

// rebuildAbove: a batch of more changed rows than this rebuilds the
// postings rather than moving each row (each move shifts the sort orders).
const rebuildAbove = 512

// fresh brings the mirror up to every write committed to the table
// before the call; concurrent calls share one check (db.Shared), never
// one begun before they were made.
func (m *Mirror) fresh(ctx context.Context) error { return m.check.Do(ctx, m.refresh) }

func (m *Mirror) refresh(ctx context.Context) error {
	q := m.db.Reader()
	held, loaded := m.held()
	next, changed, err := projectGen.Since(ctx, q, held)
	if err != nil {
		return err
	}
	if loaded && !changed {
		return nil // nothing written since the Mark held (which stays: it covers less, never more)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loaded != loaded || m.mark.Below != held.Below || !slices.Equal(m.mark.Open, held.Open) {
		// Another request has read meanwhile, perhaps from a snapshot older
		// than this request: ask again from what it holds.
		held = m.mark
		if next, changed, err = projectGen.Since(ctx, q, held); err != nil {
			return err
		}
		if m.loaded && !changed {
			return nil
		}
	}
	cond, args := held.Where()
	rows, texts, err := loadMirrorRows(ctx, q, cond, args...)
	if err != nil {
		return err
	}
	// A row read again at the same generation (its writer committed while
	// the last Mark was taken) is the same row.
	fresh := rows[:0:0]
	for k, r := range rows {
		if i, ok := m.pos[r.ID]; !ok || m.rows[i].gen != r.gen {
			fresh = append(fresh, r)
			m.words.put(m.place(r.ID), texts[k])
		}
	}
	bulk := !m.loaded || len(fresh) > rebuildAbove
	for _, r := range fresh {
		i := m.pos[r.ID]
		if bulk {
			m.rows[i] = r
		} else {
			m.idx.replace(m.rows, i, m.rows[i], r)
		}
	}
	if bulk {
		m.idx.build(m.rows)
	}
	if len(fresh) > 0 || !m.loaded {
		m.signed = m.signed[:0]
		for _, r := range m.rows {
			if !r.SignedOn.IsZero() && !r.Pending {
				m.signed = append(m.signed, r)
			}
		}
		slices.SortFunc(m.signed, bySigning)
	}
	if len(fresh) > 0 || !m.loaded {
		m.state++
	}
	m.loaded, m.mark = true, next
	return nil
}

// place is the index of the project's row, making room for a new one (a
// nil row until it is set).
func (m *Mirror) place(id int64) int {
	if i, ok := m.pos[id]; ok {
		return i
	}
	m.pos[id] = len(m.rows)
	m.rows = append(m.rows, nil)
	return len(m.rows) - 1
}

func bySigning(a, b *Row) int {
	if c := cmpDate(a.SignedOn, b.SignedOn); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// read runs fn over the rows, current as of this call, under the read lock.
func (m *Mirror) read(ctx context.Context, fn func(rows []*Row, pos map[int64]int)) error {
	if err := m.fresh(ctx); err != nil {
		return err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	fn(m.rows, m.pos)
	return nil
}

// mirrorScan is a mirror row being read, with the columns read into it.
type mirrorScan struct {
	r                      Row
	investor, tags, verify string
	merged, gen            int64
	updated                time.Time
}

// mirrorSelect is what the mirror reads of a project, each column next to
// where it goes.
var mirrorSelect = []struct {
	expr string
	dst  func(s *mirrorScan) any
}{
	{"id", func(s *mirrorScan) any { return &s.r.ID }},
	{"code", func(s *mirrorScan) any { return &s.r.Code }},
	{"name", func(s *mirrorScan) any { return &s.r.Name }},
	{"investor_name", func(s *mirrorScan) any { return &s.investor }},
	{"stage", func(s *mirrorScan) any { return &s.r.Stage }},
	{"status", func(s *mirrorScan) any { return &s.r.Status }},
	{"channel", func(s *mirrorScan) any { return &s.r.Channel }},
	{"source_region", func(s *mirrorScan) any { return &s.r.SourceRegion }},
	{"industry_code", func(s *mirrorScan) any { return &s.r.IndustryCode }},
	{"tags", func(s *mirrorScan) any { return &s.tags }},
	{"owner_unit_id", func(s *mirrorScan) any { return &s.r.OwnerUnitID }},
	{"COALESCE(locality_unit_id, 0)", func(s *mirrorScan) any { return &s.r.LocalityUnitID }},
	{"COALESCE(handover_to_unit_id, 0)", func(s *mirrorScan) any { return &s.r.HandoverToUnitID }},
	{"handover_status", func(s *mirrorScan) any { return &s.r.HandoverStatus }},
	{"handover_deadline", func(s *mirrorScan) any { return &s.r.HandoverDeadline }},
	{"COALESCE(created_by, 0)", func(s *mirrorScan) any { return &s.r.createdBy }},
	{"COALESCE(intro_officer_user_id, 0)", func(s *mirrorScan) any { return &s.r.introOfficer }},
	{"COALESCE(locality_officer_user_id, 0)", func(s *mirrorScan) any { return &s.r.localityOfficer }},
	{"is_key", func(s *mirrorScan) any { return &s.r.IsKey }},
	{"lead_on", func(s *mirrorScan) any { return &s.r.LeadOn }},
	{"negotiating_on", func(s *mirrorScan) any { return &s.r.NegotiatingOn }},
	{"signed_on", func(s *mirrorScan) any { return &s.r.SignedOn }},
	{"registered_on", func(s *mirrorScan) any { return &s.r.RegisteredOn }},
	{"expected_sign_on", func(s *mirrorScan) any { return &s.r.ExpectedSignOn }},
	{"last_tracking_on", func(s *mirrorScan) any { return &s.r.LastTrackingOn }},
	{"updated_at", func(s *mirrorScan) any { return &s.updated }},
	{"contract_investment", func(s *mirrorScan) any { return &s.r.ContractInvestment }},
	{"foreign_capital", func(s *mirrorScan) any { return &s.r.ForeignCapital }},
	{"COALESCE(merged_into_id, 0)", func(s *mirrorScan) any { return &s.merged }},
	{"gen", func(s *mirrorScan) any { return &s.gen }},
	{"verify_status", func(s *mirrorScan) any { return &s.verify }},
}

var mirrorCols = func() string {
	exprs := make([]string, len(mirrorSelect))
	for i, c := range mirrorSelect {
		exprs[i] = c.expr
	}
	return strings.Join(exprs, ", ")
}()

// loadMirrorRows reads the projects whose gen meets cond (db.Mark.Where),
// each with its searchable text: name, investor and code, ASCII folded,
// NUL between.
func loadMirrorRows(ctx context.Context, q db.Querier, cond string, args ...any) ([]*Row, []string, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+mirrorCols+` FROM projects WHERE `+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, nil, errs.Wrap(err, "mirror projects")
	}
	var out []*Row
	var texts []string
	interned := map[string]string{}
	idx := map[int64]int{}
	var sc mirrorScan // every column is scanned into it afresh, row after row
	dst := make([]any, len(mirrorSelect))
	for i, c := range mirrorSelect {
		dst[i] = c.dst(&sc)
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return nil, nil, errs.Wrap(err, "mirror projects")
		}
		r := &Row{}
		*r = sc.r
		investor, tags, merged, gen, verify, updated := sc.investor, sc.tags, sc.merged, sc.gen, sc.verify, sc.updated
		texts = append(texts, foldASCII(r.Name+"\x00"+investor+"\x00"+r.Code))
		r.tags = "," + tags + ","
		r.updated = updated.UnixNano()
		// Codes repeat across projects: keep one copy of each.
		for _, f := range []*string{&r.Stage, &r.Status, &r.Channel, &r.SourceRegion, &r.IndustryCode, &r.HandoverStatus, &r.tags} {
			if v, ok := interned[*f]; ok {
				*f = v
			} else {
				interned[*f] = *f
			}
		}
		r.Merged, r.Pending, r.gen = merged != 0, verify == "pending", gen
		idx[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, errs.Wrap(err, "mirror projects")
	}
	if len(out) == 0 {
		return nil, nil, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT project_id, unit_id, share_bp FROM project_introducers
		WHERE project_id IN (SELECT id FROM projects WHERE `+cond+`) ORDER BY project_id, share_bp DESC, unit_id`, args...)
	if err != nil {
		return nil, nil, errs.Wrap(err, "mirror introducers")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var s Share
		if err := rows.Scan(&pid, &s.UnitID, &s.BP); err != nil {
			return nil, nil, errs.Wrap(err, "mirror introducers")
		}
		if i, ok := idx[pid]; ok {
			out[i].Introducers = append(out[i].Introducers, s)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, errs.Wrap(err, "mirror introducers")
	}
	return out, texts, loadOpenRequests(ctx, q, out, idx, cond, args)
}

// foldASCII lower-cases ASCII letters only, as SQLite's LIKE compares them;
// other letters (Chinese above all) are matched as written.
func foldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// stamp marks the projects with ids in [from, to] as written by this
// transaction. Every write to projects or their introducers calls it (most
// through Reindex); a write that did not would stay invisible to lists and
// statistics until the server restarts.
func stamp(ctx context.Context, tx *db.Tx, from, to int64) error {
	g, err := nextGen(ctx, tx)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE projects SET gen = ? WHERE id >= ? AND id <= ?`, g, from, to)
	return errs.Wrap(err, "stamp projects")
}

// nextGen takes the next generation for the projects a transaction writes
// (a ledger import writes it with its rows rather than stamping them after).
func nextGen(ctx context.Context, tx *db.Tx) (int64, error) { return projectGen.Next(ctx, tx) }

// TouchAll rebuilds every project's unit index and stamps them all, so that
// every server's mirror rereads them: for projects changed by plain SQL
// outside this package (tests, data repairs by hand).
func TouchAll(ctx context.Context, d *db.DB) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return Reindex(ctx, tx, 0, math.MaxInt64) })
}
