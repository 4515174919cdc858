package project

import (
	"cmp"
	"context"
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

// unitsWhere is the set of units meeting a condition on units.
func unitsWhere(ctx context.Context, q db.Querier, cond string, args ...any) (unitSet, error) {
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

func visibilityOf(ctx context.Context, q db.Querier, a *org.Actor) (visibility, error) {
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
		units, err := unitsWhere(ctx, q, cond, args...)
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

// matcher is a list Filter compiled for the mirror; it means what the SQL
// of Filter.where means (the tests hold the two against each other).
type matcher struct {
	vis                                   visibility
	q, tag                                string
	stage, status, channel, region, indus string
	locality                              int64
	units                                 unitSet // the unit_id filter's subtree; nil: none
	hits                                  []bool  // by row index: the keyword q is in its text
	keyOnly                               bool
	verify                                string
	from, to                              civil.Date
}

func matcherOf(ctx context.Context, q db.Querier, a *org.Actor, f Filter) (*matcher, error) {
	vis, err := visibilityOf(ctx, q, a)
	if err != nil {
		return nil, err
	}
	m := &matcher{vis: vis, q: foldASCII(f.Q), stage: f.Stage, status: f.Status, channel: f.Channel, region: f.SourceRegion,
		indus: f.Industry, locality: f.LocalityUnitID, keyOnly: f.KeyOnly, verify: f.Verify, from: f.SignedFrom, to: f.SignedTo}
	if f.Tag != "" {
		m.tag = "," + f.Tag + ","
	}
	if f.UnitID != 0 {
		if m.units, err = unitsWhere(ctx, q, `path LIKE (SELECT path FROM units WHERE id = ?) || '%'`, f.UnitID); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// match is whether the row at index i of the mirror passes.
func (m *matcher) match(i int, r *Row) bool {
	switch {
	case m.stage != "" && r.Stage != m.stage, m.status != "" && r.Status != m.status,
		m.channel != "" && r.Channel != m.channel, m.region != "" && r.SourceRegion != m.region,
		m.locality != 0 && r.LocalityUnitID != m.locality, m.keyOnly && !r.IsKey,
		m.indus != "" && !strings.HasPrefix(r.IndustryCode, m.indus),
		m.tag != "" && !strings.Contains(r.tags, m.tag),
		m.verify == "pending" && !r.Pending,
		!m.from.IsZero() && (r.SignedOn.IsZero() || r.SignedOn.Before(m.from)),
		!m.to.IsZero() && (r.SignedOn.IsZero() || r.SignedOn.After(m.to)),
		m.units != nil && !r.belongs(m.units),
		!m.vis.sees(r),
		m.q != "" && !m.hits[i]:
		return false
	}
	return true
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

// orderOf is a list sort (the keys of sorts) as a comparison: the key, then
// the id, both reversed for a descending sort. A project not yet signed
// sorts after the signed ones either way.
func orderOf(sort string) func(a, b *Row) int {
	desc := strings.HasPrefix(sort, "-")
	key := map[string]func(a, b *Row) int{
		"name":                func(a, b *Row) int { return strings.Compare(a.Name, b.Name) },
		"signed_on":           func(a, b *Row) int { return cmpDate(a.SignedOn, b.SignedOn) },
		"contract_investment": func(a, b *Row) int { return cmp.Compare(a.ContractInvestment, b.ContractInvestment) },
		"updated_at":          func(a, b *Row) int { return cmp.Compare(a.updated, b.updated) },
		"code":                func(a, b *Row) int { return 0 },
		"lead_on":             func(a, b *Row) int { return cmpDate(a.LeadOn, b.LeadOn) },
	}[strings.TrimPrefix(sort, "-")]
	nullsLast := strings.TrimPrefix(sort, "-") == "signed_on"
	return func(a, b *Row) int {
		if nullsLast && a.SignedOn.IsZero() != b.SignedOn.IsZero() {
			if a.SignedOn.IsZero() {
				return 1
			}
			return -1
		}
		c := key(a, b)
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			return -c
		}
		return c
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
	m, err := matcherOf(ctx, s.DB.Reader(), a, f)
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
		t := topK[*Row]{k: max(0, f.Offset+f.Limit), less: orderOf(order)}
		if m.q != "" {
			m.hits = make([]bool, len(rows))
			s.mirror.words.find(m.q, m.hits)
		}
		for i, r := range rows {
			if m.match(i, r) {
				total++
				t.push(r)
			}
		}
		page := t.sorted()
		for _, r := range page[min(max(0, f.Offset), len(page)):] {
			ids = append(ids, r.ID)
		}
	})
	return ids, total, err
}

// EachRow calls fn with every project in the actor's scope that counts,
// from the mirror (current as of the call): projects pending verification
// are left out, as they are of every figure. fn must not call back into
// the mirror (it holds its read lock) nor change the row.
func (s *Service) EachRow(ctx context.Context, a *org.Actor, fn func(r *Row)) error {
	vis, err := visibilityOf(ctx, s.DB.Reader(), a)
	if err != nil {
		return err
	}
	return s.mirror.read(ctx, func(rows []*Row, _ map[int64]int) {
		for _, r := range rows {
			if !r.Pending && vis.sees(r) {
				fn(r)
			}
		}
	})
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
