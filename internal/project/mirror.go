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
// (70–400 ms at 100,000 projects), in memory one pass of a few milliseconds.
// The statistics read the projects signed in a period from it too.
//
// The table stays the source of truth. Every write stamps the projects it
// changes with the next value of counters('project') (stamp, below); before
// answering, the mirror reads that counter and rereads the rows stamped
// after the generation it holds. Writers take the counter row's lock until
// they commit, so generations become visible in order, and several servers
// on one PostgreSQL, or a restart, converge on the table.
type Mirror struct {
	db     *db.DB
	mu     sync.RWMutex
	loaded bool
	gen    int64
	rows   []*Row        // a changed project gets a new Row: a Row is never modified
	pos    map[int64]int // project id → index in rows
	signed []*Row        // the signed projects by signing day and id, for the statistics
	words  keywords      // the rows' texts, for keyword search
}

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
	updated                                  int64 // updated_at in Unix nanoseconds, for sorting
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

// current reports, under the read lock, whether the mirror holds generation g.
func (m *Mirror) current(g int64) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.loaded && g <= m.gen
}

// fresh brings the mirror up to the table's current generation.
func (m *Mirror) fresh(ctx context.Context) error {
	q := m.db.Reader()
	var g int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'project'`).Scan(&g); err != nil {
		return errs.Wrap(err, "project generation")
	}
	if m.current(g) {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loaded && g <= m.gen {
		return nil
	}
	since := int64(-1) // every row, stamped or not
	if m.loaded {
		since = m.gen
	}
	rows, texts, top, err := loadMirrorRows(ctx, q, since)
	if err != nil {
		return err
	}
	for k, r := range rows {
		i, ok := m.pos[r.ID]
		if ok {
			m.rows[i] = r
		} else {
			i = len(m.rows)
			m.pos[r.ID] = i
			m.rows = append(m.rows, r)
		}
		m.words.put(i, texts[k])
	}
	if len(rows) > 0 || !m.loaded {
		m.signed = m.signed[:0]
		for _, r := range m.rows {
			if !r.SignedOn.IsZero() && !r.Pending {
				m.signed = append(m.signed, r)
			}
		}
		slices.SortFunc(m.signed, bySigning)
	}
	m.loaded, m.gen = true, max(g, top, m.gen)
	return nil
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

// loadMirrorRows reads the projects stamped after since, each with its
// searchable text: name, investor and code, ASCII folded, NUL between.
func loadMirrorRows(ctx context.Context, q db.Querier, since int64) ([]*Row, []string, int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+mirrorCols+` FROM projects WHERE gen > ? ORDER BY id`, since)
	if err != nil {
		return nil, nil, 0, errs.Wrap(err, "mirror projects")
	}
	var out []*Row
	var texts []string
	interned := map[string]string{}
	idx := map[int64]int{}
	top := since
	var sc mirrorScan // every column is scanned into it afresh, row after row
	dst := make([]any, len(mirrorSelect))
	for i, c := range mirrorSelect {
		dst[i] = c.dst(&sc)
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return nil, nil, 0, errs.Wrap(err, "mirror projects")
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
		r.Merged, r.Pending = merged != 0, verify == "pending"
		top = max(top, gen)
		idx[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, 0, errs.Wrap(err, "mirror projects")
	}
	if len(out) == 0 {
		return nil, nil, top, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT project_id, unit_id, share_bp FROM project_introducers
		WHERE project_id IN (SELECT id FROM projects WHERE gen > ?) ORDER BY project_id, share_bp DESC, unit_id`, since)
	if err != nil {
		return nil, nil, 0, errs.Wrap(err, "mirror introducers")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var s Share
		if err := rows.Scan(&pid, &s.UnitID, &s.BP); err != nil {
			return nil, nil, 0, errs.Wrap(err, "mirror introducers")
		}
		if i, ok := idx[pid]; ok {
			out[i].Introducers = append(out[i].Introducers, s)
		}
	}
	return out, texts, top, errs.Wrap(rows.Err(), "mirror introducers")
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
func nextGen(ctx context.Context, tx *db.Tx) (int64, error) {
	var g int64
	err := tx.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'project' RETURNING value`).Scan(&g)
	return g, errs.Wrap(err, "project generation")
}

// TouchAll rebuilds every project's unit index and stamps them all, so that
// every server's mirror rereads them: for projects changed by plain SQL
// outside this package (tests, data repairs by hand).
func TouchAll(ctx context.Context, d *db.DB) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return Reindex(ctx, tx, 0, math.MaxInt64) })
}
