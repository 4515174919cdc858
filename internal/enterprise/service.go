package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/uscc"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/region"
)

// Service is what users do with the library. The library is the city's
// shared knowledge: everyone who may read it sees every enterprise; a change
// needs the enterprise's owner unit (the unit courting it) to lie in the
// caller's data scope, or no owner yet.
type Service struct {
	DB       *db.DB
	Projects *project.Service
	Now      func() time.Time
	// City is the division code of the city: an enterprise headquartered
	// within it is local (is_target false) unless said otherwise.
	City string
	// Server names this server in the import jobs it runs.
	Server string

	idx     atomic.Pointer[Index]
	warming atomic.Bool // a Warm is coming or under way: search_sql.go
	syncMu  sync.Mutex
	jobs    sync.WaitGroup
	running sync.Map // job id → *jobRun, the import jobs this server runs

	gen db.Latest[int64] // the table's generation: concurrent searches share one read

	linkMu    sync.Mutex
	linkCache map[string][]LinkCount // CountLinks answers for the current index
}

// New builds the service.
func New(d *db.DB, ps *project.Service) *Service {
	return &Service{DB: d, Projects: ps, Now: time.Now, City: "441200", Server: serverName(), linkCache: map[string][]LinkCount{}}
}

func (s *Service) today() civil.Date { return civil.Of(s.Now()) }

// current returns the index brought up to the table's generation. A first
// call, or one that finds more than a quarter of the rows changed (an
// import on another server), builds a fresh index; otherwise the changed rows
// are applied in place.
func (s *Service) current(ctx context.Context) (*Index, error) {
	gen, err := s.gen.Get(ctx, func(ctx context.Context) (int64, error) { return currentGen(ctx, s.DB.Reader()) })
	if err != nil {
		return nil, err
	}
	if x := s.idx.Load(); x != nil && x.generation() >= gen {
		return x, nil
	}
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	x := s.idx.Load()
	since := int64(0)
	if x != nil {
		if since = x.generation(); since >= gen {
			return x, nil
		}
	}
	docs, archived, got, err := loadDocs(ctx, s.DB.Reader(), since)
	if err != nil {
		return nil, err
	}
	// Every row up to the generation read above is committed (the counter
	// row stays locked until its writer commits), so the index has seen it
	// all even when the last generations left no row (a write rolled back
	// after taking its number cannot: the counter rolls back with it).
	got = max(got, gen)
	if x == nil || len(docs) > x.size()/4 {
		if x != nil {
			// Rebuild from the rows the index already holds, less the
			// changed and archived ones, and the changed ones as they are now.
			gone := map[int64]bool{}
			for _, d := range docs {
				gone[d.ID] = true
			}
			for _, id := range archived {
				gone[id] = true
			}
			kept := x.lockedDocs()
			all := make([]doc, 0, len(kept)+len(docs))
			for _, d := range kept {
				if !gone[d.ID] {
					all = append(all, d)
				}
			}
			docs = append(all, docs...)
		}
		nx := build(docs, got)
		s.idx.Store(nx)
		return nx, nil
	}
	x.applyLocked(docs, archived, got)
	return x, nil
}

// Every use of the index's lock goes through the small methods below, each
// releasing it by defer: a panic inside a search once left the read lock
// held, and every later index write (and with it search) hung.

// find runs a search under the read lock.
func (x *Index) find(q Query) Hits {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.search(q)
}

// acceptsID reports whether the enterprise id passes the query's filters.
func (x *Index) acceptsID(q Query, id int64) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	slot, ok := x.slot[id]
	f := x.compile(q)
	return ok && !f.noTag && x.accepts(&f, slot)
}

// lockedDocs copies the index's documents under the read lock.
func (x *Index) lockedDocs() []doc {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.docs()
}

// snapshot copies the documents and their generation under the read lock.
func (x *Index) snapshot() ([]doc, int64) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.docs(), x.gen
}

func (x *Index) applyLocked(docs []doc, archived []int64, gen int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.apply(docs, archived, gen)
}

func (x *Index) generation() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.gen
}

func (x *Index) size() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// Warm builds the index ahead of the first search (serve calls it at start).
// It first closes the import jobs a stopped server left running.
func (s *Service) Warm(ctx context.Context) error {
	s.warming.Store(true)
	defer s.warming.Store(false)
	if err := s.RecoverJobs(ctx); err != nil {
		return err
	}
	x, err := s.current(ctx)
	if err == nil {
		x.prepareFacets()
	}
	return err
}

// Search finds enterprises; every reader sees the whole library.
func (s *Service) Search(ctx context.Context, q Query) ([]Enterprise, int, error) {
	if s.fromSQL() {
		return s.searchSQL(ctx, q)
	}
	x, err := s.current(ctx)
	if err != nil {
		return nil, 0, err
	}
	if code := strings.ToUpper(strings.TrimSpace(q.Q)); uscc.Valid(code) {
		// A whole credit code finds its enterprise (names never hold one).
		var id int64
		err := s.DB.Reader().QueryRowContext(ctx, `SELECT id FROM enterprises WHERE credit_code = ?`, code).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return []Enterprise{}, 0, nil
		} else if err != nil {
			return nil, 0, err
		}
		ok := x.acceptsID(q, id)
		if !ok || q.Offset > 0 {
			return []Enterprise{}, map[bool]int{true: 1}[ok], nil
		}
		items, err := byIDs(ctx, s.DB.Reader(), []int64{id})
		return items, 1, err
	}
	hits := x.find(q)
	items, err := byIDs(ctx, s.DB.Reader(), hits.IDs)
	return items, hits.Total, err
}

// Get returns one enterprise.
func (s *Service) Get(ctx context.Context, id int64) (Enterprise, error) {
	return get(ctx, s.DB.Reader(), id)
}

// mayChange reports whether the actor may change an enterprise owned by unit
// (nil: nobody courts it yet).
func mayChange(ctx context.Context, q db.Querier, a *org.Actor, unit *int64) error {
	if unit == nil {
		return nil
	}
	cond, args := a.ScopeSQL("id", "")
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND `+cond, append([]any{*unit}, args...)...).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Forbidden, "该企业由其他单位负责对接，只能查看", "another unit courts this enterprise; you can only read it")
	}
	return nil
}

func (s *Service) validate(ctx context.Context, q db.Querier, in *Input) error {
	tags, err := TagLabels(ctx, q)
	if err != nil {
		return err
	}
	if in.IsTarget == nil {
		t := !region.Within(in.RegionCode, s.City)
		in.IsTarget = &t
	}
	if err := in.Validate(s.today(), func(t string) bool { _, ok := tags[t]; return ok }); err != nil {
		return err
	}
	if in.OwnerUnitID != nil {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND closed_on IS NULL`, *in.OwnerUnitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.Invalid, "负责单位不存在或已撤销", "no such open unit").Field("owner_unit_id", "单位不存在", "no such unit")
		}
	}
	return nil
}

// TagLabels are the enterprise tags of the dictionary: code → (Chinese,
// English) label. Validation, the import (which accepts either label) and
// the recommendations' reasons all read them here.
func TagLabels(ctx context.Context, q db.Querier) (map[string][2]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, label_zh, label_en FROM dict_items WHERE type = ?`, TagType)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var code, zh, en string
		if err := rows.Scan(&code, &zh, &en); err != nil {
			return nil, err
		}
		out[code] = [2]string{zh, en}
	}
	return out, rows.Err()
}

// TagType is the dictionary type of enterprise tags.
const TagType = "enterprise_tag"

// Create adds an enterprise to the library.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Enterprise, error) {
	var out Enterprise
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.validate(ctx, tx, &in); err != nil {
			return err
		}
		if err := mayChange(ctx, tx, a, in.OwnerUnitID); err != nil {
			return err
		}
		gen, err := nextGen(ctx, tx)
		if err != nil {
			return err
		}
		id, err := insert(ctx, tx, in, gen, s.Now().UTC())
		if err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("enterprise.create", "enterprise", id, nil, out))
	})
	return out, err
}

// Update edits an enterprise; a changed name keeps the old one among the
// former names.
func (s *Service) Update(ctx context.Context, a *org.Actor, id int64, in Input) (Enterprise, error) {
	var out Enterprise
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayChange(ctx, tx, a, before.OwnerUnitID); err != nil {
			return err
		}
		if in.Version != before.Version {
			return errs.Stale(before)
		}
		if n := in.Name; n != "" && n != before.Name && !contains(in.FormerNames, before.Name) {
			in.FormerNames = append(in.FormerNames, before.Name)
		}
		if err := s.validate(ctx, tx, &in); err != nil {
			return err
		}
		if err := mayChange(ctx, tx, a, in.OwnerUnitID); err != nil {
			return err
		}
		gen, err := nextGen(ctx, tx)
		if err != nil {
			return err
		}
		if err := update(ctx, tx, id, in, gen, s.Now().UTC()); err != nil {
			if errs.Is(err, errs.Conflict) && !errs.As(err).HasFields() {
				return errs.Stale(before)
			}
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("enterprise.update", "enterprise", id, before, out))
	})
	return out, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Archive takes an enterprise out of the library (it is kept, and its
// history with it); Restore brings it back.
func (s *Service) Archive(ctx context.Context, a *org.Actor, id int64, archived bool, version int) (Enterprise, error) {
	var out Enterprise
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayChange(ctx, tx, a, before.OwnerUnitID); err != nil {
			return err
		}
		gen, err := nextGen(ctx, tx)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE enterprises SET archived = ?, gen = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, archived, gen, s.Now().UTC(), id, version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		action := "enterprise.archive"
		if !archived {
			action = "enterprise.restore"
		}
		return audit.Append(ctx, tx, a.Entry(action, "enterprise", id, before, out))
	})
	return out, err
}

// touch raises the status to at least "contacted" and stamps the row so
// that the index sees it (a visit, a lead started).
func touch(ctx context.Context, tx *db.Tx, id int64, owner *int64, now time.Time) error {
	gen, err := nextGen(ctx, tx)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE enterprises SET status = CASE WHEN status = 'not_contacted' THEN 'contacted' ELSE status END,
		owner_unit_id = COALESCE(owner_unit_id, ?), gen = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		nullInt(owner), gen, now, id)
	return err
}

// subtree is the unit and the units below it.
func (s *Service) subtree(ctx context.Context, id int64) (map[int64]bool, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%'`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var u int64
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out[u] = true
	}
	return out, rows.Err()
}
