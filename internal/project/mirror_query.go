package project

import (
	"cmp"

	"context"
	"fmt"
	"github.com/RoaringBitmap/roaring/v2"
	"slices"
	"sort"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// unitSet is a set of unit ids (few, and small numbers), indexed directly.
type unitSet []bool

func (u unitSet) has(id int64) bool { return id > 0 && id < int64(len(u)) && u[id] }

// unitsWhere is the set of units meeting a condition on units, kept
// (unitTrees) while the access generation stays; a set is never changed.
func (s *Service) unitsWhere(ctx context.Context, cond string, args ...any) (unitSet, error) {
	key := fmt.Sprint(cond, args)
	gen, err := s.DB.Access(ctx)
	if err != nil {
		return nil, err
	}
	if v, ok := s.trees.get(gen, key); ok {
		return v.(unitSet), nil
	}
	set, err := unitsFrom(ctx, s.DB.Reader(), cond, args...)
	if err == nil {
		s.trees.put(gen, key, set)
	}
	return set, err
}

func unitsFrom(ctx context.Context, q db.Querier, cond string, args ...any) (unitSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM units WHERE `+cond, args...)
	if err != nil {
		return nil, errs.Wrap(err, "units in scope")
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, errs.Wrap(err, "units in scope")
		}
		ids = append(ids, id)
	}
	set := unitSet{}
	if len(ids) > 0 {
		set = make(unitSet, slices.Max(ids)+1)
	}
	for _, id := range ids {
		if id > 0 {
			set[id] = true
		}
	}
	return set, errs.Wrap(rows.Err(), "units in scope")
}

// visibility is the data scope of scope.go, as the mirror applies it: a
// project belongs to its registering unit, its landing locality, its
// hand-over's receiving unit and each introducing unit.
type visibility struct {
	all   bool
	user  int64   // scope self: what the user registered or serves as officer
	units unitSet // unit scopes
}

func (s *Service) visibilityOf(ctx context.Context, a *org.Actor) (visibility, error) {
	if a == nil {
		return visibility{}, nil
	}
	switch a.Scope {
	case org.ScopeAll:
		return visibility{all: true}, nil
	case org.ScopeSelf:
		return visibility{user: a.UserID}, nil
	case org.ScopeUnit, org.ScopeUnitAndBelow:
		cond, args := a.ScopeSQL("id", "")
		units, err := s.unitsWhere(ctx, cond, args...)
		return visibility{units: units}, err
	}
	return visibility{}, nil
}

func (v visibility) sees(r *Row) bool {
	switch {
	case v.all:
		return true
	case v.user != 0:
		return r.createdBy == v.user || r.introOfficer == v.user || r.localityOfficer == v.user
	}
	return r.belongs(v.units)
}

func (r *Row) belongs(units unitSet) bool {
	if units.has(r.OwnerUnitID) || units.has(r.LocalityUnitID) || units.has(r.HandoverToUnitID) {
		return true
	}
	for _, s := range r.Introducers {
		if units.has(s.UnitID) {
			return true
		}
	}
	return false
}

// rows is the visible rows as a bitmap (the union of the scope's units' or
// the user's postings); nil when every row is visible.
func (v visibility) rows(p *postings) *roaring.Bitmap {
	switch {
	case v.all:
		return nil
	case v.user != 0:
		return p.get(idKey("user", v.user))
	}
	return p.units(v.units)
}

// units is the union of the rows belonging to any of the units.
func (p *postings) units(units unitSet) *roaring.Bitmap {
	var bs []*roaring.Bitmap
	for id, in := range units {
		if in {
			if b := p.by[idKey("unit", int64(id))]; b != nil {
				bs = append(bs, b)
			}
		}
	}
	return roaring.FastOr(bs...)
}

// matcher is a list Filter compiled for the mirror: the data scope and
// the unit_id filter's subtree as unit sets, read from SQL before the
// mirror's lock is taken. Each filter's meaning is written once, in
// selection; the export reads the same ids.
type matcher struct {
	f     Filter
	vis   visibility
	units unitSet // the unit_id filter's subtree; nil: none
}

func (s *Service) matcherOf(ctx context.Context, a *org.Actor, f Filter) (*matcher, error) {
	vis, err := s.visibilityOf(ctx, a)
	if err != nil {
		return nil, err
	}
	m := &matcher{f: f, vis: vis}
	if f.UnitID != 0 {
		if m.units, err = s.unitsWhere(ctx, `path LIKE (SELECT path FROM units WHERE id = ?) || '%'`, f.UnitID); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// selection is the rows that pass, as a bitmap: the intersection of one
// posting list (or union of them) per filter given and of the scope.
func (m *matcher) selection(mr *Mirror) *roaring.Bitmap {
	p, f := &mr.idx, m.f
	var and []*roaring.Bitmap
	for field, v := range map[string]string{"stage": f.Stage, "status": f.Status, "channel": f.Channel, "region": f.SourceRegion, "industry": f.Industry} {
		if v != "" {
			and = append(and, p.get(field+"\x00"+v))
		}
	}
	if f.Tag != "" {
		and = append(and, mr.tagged(f.Tag))
	}
	if f.LocalityUnitID != 0 {
		and = append(and, p.get(idKey("locality", f.LocalityUnitID)))
	}
	if f.KeyOnly {
		and = append(and, p.get("key\x00"))
	}
	if f.Verify == "pending" {
		and = append(and, p.get("pending\x00"))
	}
	if !f.SignedFrom.IsZero() || !f.SignedTo.IsZero() {
		and = append(and, mr.signedIn(f.SignedFrom, f.SignedTo))
	}
	if m.units != nil {
		and = append(and, p.units(m.units))
	}
	if v := m.vis.rows(p); v != nil {
		and = append(and, v)
	}
	if q := foldASCII(f.Q); q != "" {
		hits := roaring.New()
		mr.words.each(q, func(row int) { hits.Add(uint32(row)) })
		and = append(and, hits)
	}
	switch len(and) {
	case 0:
		return p.all.Clone()
	case 1:
		return and[0].Clone()
	}
	// Smallest first: each step's result is at most the smallest so far.
	slices.SortFunc(and, func(a, b *roaring.Bitmap) int { return cmp.Compare(a.GetCardinality(), b.GetCardinality()) })
	return roaring.FastAnd(and...)
}

// tagged is the rows carrying tag. A tag with a comma in it would match
// two neighbouring tags as the SQL LIKE on ",tags," did; such a filter is
// tested row by row.
func (mr *Mirror) tagged(tag string) *roaring.Bitmap {
	if !strings.Contains(tag, ",") {
		return mr.idx.get("tag\x00" + tag)
	}
	out := roaring.New()
	for i, r := range mr.rows {
		if strings.Contains(r.tags, ","+tag+",") {
			out.Add(uint32(i))
		}
	}
	return out
}

// signedIn is the rows signed in [from, to] (a zero bound: open), from the
// signing-day order: its cost is the rows in the range.
func (mr *Mirror) signedIn(from, to civil.Date) *roaring.Bitmap {
	o, rows := mr.idx.order["signed_on"], mr.rows
	lo := sort.Search(len(o), func(j int) bool { r := rows[o[j]]; return r.SignedOn.IsZero() || !r.SignedOn.Before(from) })
	out := roaring.New()
	for _, e := range o[lo:] {
		r := rows[e]
		if r.SignedOn.IsZero() || (!to.IsZero() && r.SignedOn.After(to)) {
			break
		}
		out.Add(e)
	}
	return out
}

func cmpDate(a, b civil.Date) int {
	switch {
	case a.Before(b):
		return -1
	case a.After(b):
		return 1
	}
	return 0
}

// orderOf is a list sort (a key of sortKeys, "-" for descending) as a
// comparison: the key, then the id, both reversed for a descending sort,
// except that a project not yet signed sorts last by signing day either way.
func orderOf(sort string) func(a, b *Row) int {
	key := strings.TrimPrefix(sort, "-")
	asc := ascending(key)
	if key == sort {
		return asc
	}
	return func(a, b *Row) int {
		if key == "signed_on" && a.SignedOn.IsZero() != b.SignedOn.IsZero() {
			return cmpSigned(a, b)
		}
		return -asc(a, b)
	}
}

// topK keeps the k first values in an order: a heap with the last of them
// on top, so a page of a 100,000-row list costs one pass and no full sort.
type topK[T any] struct {
	k    int
	less func(a, b T) int
	h    []T
}

func (t *topK[T]) push(v T) {
	if len(t.h) < t.k {
		t.h = append(t.h, v)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if t.less(t.h[p], t.h[i]) >= 0 {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	if t.k == 0 || t.less(v, t.h[0]) >= 0 {
		return
	}
	t.h[0] = v
	for i := 0; ; {
		l, big := 2*i+1, i
		if l < len(t.h) && t.less(t.h[l], t.h[big]) > 0 {
			big = l
		}
		if l+1 < len(t.h) && t.less(t.h[l+1], t.h[big]) > 0 {
			big = l + 1
		}
		if big == i {
			return
		}
		t.h[i], t.h[big] = t.h[big], t.h[i]
		i = big
	}
}

func (t *topK[T]) sorted() []T {
	slices.SortFunc(t.h, t.less)
	return t.h
}

// listIDs is one page of the list, as ids in order, and the exact total.
func (s *Service) listIDs(ctx context.Context, a *org.Actor, f Filter) ([]int64, int, error) {
	m, err := s.matcherOf(ctx, a, f)
	if err != nil {
		return nil, 0, err
	}
	order := f.Sort
	if order == "" {
		order = "-updated_at"
	}
	var ids []int64
	total := 0
	err = s.mirror.read(ctx, func(rows []*Row, _ map[int64]int) {
		sel := m.selection(s.mirror)
		total = int(sel.GetCardinality())
		for _, e := range s.mirror.idx.page(rows, sel, order, max(0, f.Offset), max(0, f.Limit)) {
			ids = append(ids, rows[e].ID)
		}
	})
	return ids, total, err
}

// matchIDs is every project in scope that passes the filter, by id: what
// the export writes, from the same selection as the list.
func (s *Service) matchIDs(ctx context.Context, a *org.Actor, f Filter) ([]int64, error) {
	m, err := s.matcherOf(ctx, a, f)
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = s.mirror.read(ctx, func(rows []*Row, _ map[int64]int) {
		sel := m.selection(s.mirror)
		ids = make([]int64, 0, sel.GetCardinality())
		it := sel.Iterator()
		for it.HasNext() {
			ids = append(ids, rows[it.Next()].ID)
		}
	})
	slices.Sort(ids)
	return ids, err
}

// EachRow calls fn with every project in the actor's scope that counts,
// from the mirror (current as of the call): projects pending verification
// are left out, as they are of every figure. fn must not call back into
// the mirror (it holds its read lock) nor change the row.
func (s *Service) EachRow(ctx context.Context, a *org.Actor, fn func(r *Row)) error {
	vis, err := s.visibilityOf(ctx, a)
	if err != nil {
		return err
	}
	return s.mirror.read(ctx, func(rows []*Row, _ map[int64]int) {
		s.mirror.visible(vis, func(i int) {
			if r := rows[i]; !r.Pending {
				fn(r)
			}
		})
	})
}

// visible calls fn with the index of every row the scope sees, in index
// order: a walk of the scope's postings, not of every row.
func (mr *Mirror) visible(vis visibility, fn func(i int)) {
	b := vis.rows(&mr.idx)
	if b == nil {
		for i := range mr.rows {
			fn(i)
		}
		return
	}
	it := b.Iterator()
	for it.HasNext() {
		fn(int(it.Next()))
	}
}

// SignedBetween is every project signed in [from, to] (in any scope) that
// counts — none pending verification —, by signing day and id, from the
// mirror (current as of the call).
func (s *Service) SignedBetween(ctx context.Context, from, to civil.Date) ([]*Row, error) {
	var out []*Row
	err := s.mirror.read(ctx, func([]*Row, map[int64]int) {
		signed := s.mirror.signed
		i := sort.Search(len(signed), func(i int) bool { return !signed[i].SignedOn.Before(from) })
		j := sort.Search(len(signed), func(j int) bool { return signed[j].SignedOn.After(to) })
		out = slices.Clone(signed[i:max(i, j)])
	})
	return out, err
}
