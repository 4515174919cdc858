package project

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
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

func (v visibility) sees(r *mrow) bool {
	switch {
	case v.all:
		return true
	case v.user != 0:
		return r.createdBy == v.user || r.introOfficer == v.user || r.localityOfficer == v.user
	}
	return r.belongs(v.units)
}

func (r *mrow) belongs(units unitSet) bool {
	if units.has(r.owner) || units.has(r.locality) || units.has(r.handoverTo) {
		return true
	}
	for _, s := range r.introducers {
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
	keyOnly                               bool
	from, to                              civil.Date
}

func matcherOf(ctx context.Context, q db.Querier, a *org.Actor, f Filter) (*matcher, error) {
	vis, err := visibilityOf(ctx, q, a)
	if err != nil {
		return nil, err
	}
	m := &matcher{vis: vis, q: foldASCII(f.Q), stage: f.Stage, status: f.Status, channel: f.Channel, region: f.SourceRegion,
		indus: f.Industry, locality: f.LocalityUnitID, keyOnly: f.KeyOnly, from: f.SignedFrom, to: f.SignedTo}
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

func (m *matcher) match(r *mrow) bool {
	switch {
	case m.stage != "" && r.stage != m.stage, m.status != "" && r.status != m.status,
		m.channel != "" && r.channel != m.channel, m.region != "" && r.region != m.region,
		m.locality != 0 && r.locality != m.locality, m.keyOnly && !r.isKey,
		m.indus != "" && !strings.HasPrefix(r.industry, m.indus),
		m.tag != "" && !strings.Contains(r.tags, m.tag),
		!m.from.IsZero() && (r.signedOn.IsZero() || r.signedOn.Before(m.from)),
		!m.to.IsZero() && (r.signedOn.IsZero() || r.signedOn.After(m.to)),
		m.units != nil && !r.belongs(m.units),
		!m.vis.sees(r),
		m.q != "" && !strings.Contains(r.text, m.q):
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
func orderOf(sort string) func(a, b *mrow) int {
	desc := strings.HasPrefix(sort, "-")
	key := map[string]func(a, b *mrow) int{
		"name":                func(a, b *mrow) int { return strings.Compare(a.name, b.name) },
		"signed_on":           func(a, b *mrow) int { return cmpDate(a.signedOn, b.signedOn) },
		"contract_investment": func(a, b *mrow) int { return cmp.Compare(a.investment, b.investment) },
		"updated_at":          func(a, b *mrow) int { return a.updatedAt.Compare(b.updatedAt) },
		"code":                func(a, b *mrow) int { return 0 },
		"lead_on":             func(a, b *mrow) int { return cmpDate(a.leadOn, b.leadOn) },
	}[strings.TrimPrefix(sort, "-")]
	nullsLast := strings.TrimPrefix(sort, "-") == "signed_on"
	return func(a, b *mrow) int {
		if nullsLast && a.signedOn.IsZero() != b.signedOn.IsZero() {
			if a.signedOn.IsZero() {
				return 1
			}
			return -1
		}
		c := key(a, b)
		if c == 0 {
			c = cmp.Compare(a.id, b.id)
		}
		if desc {
			return -c
		}
		return c
	}
}

// topK keeps the k first rows in an order: a heap with the last of them on
// top, so a page of a 100,000-row list costs one pass and no full sort.
type topK struct {
	k    int
	less func(a, b *mrow) int
	h    []*mrow
}

func (t *topK) push(r *mrow) {
	if len(t.h) < t.k {
		t.h = append(t.h, r)
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
	if t.k == 0 || t.less(r, t.h[0]) >= 0 {
		return
	}
	t.h[0] = r
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

func (t *topK) sorted() []*mrow {
	slices.SortFunc(t.h, t.less)
	return t.h
}

// listIDs is one page of the list, as ids in order, and the exact total.
func (s *Service) listIDs(ctx context.Context, a *org.Actor, f Filter) ([]int64, int, error) {
	m, err := matcherOf(ctx, s.DB.Reader(), a, f)
	if err != nil {
		return nil, 0, err
	}
	sort := f.Sort
	if sort == "" {
		sort = "-updated_at"
	}
	var ids []int64
	total := 0
	err = s.mirror.read(ctx, func(rows []mrow, _ map[int64]int) {
		t := topK{k: max(0, f.Offset+f.Limit), less: orderOf(sort)}
		for i := range rows {
			if r := &rows[i]; m.match(r) {
				total++
				t.push(r)
			}
		}
		page := t.sorted()
		for _, r := range page[min(max(0, f.Offset), len(page)):] {
			ids = append(ids, r.id)
		}
	})
	return ids, total, err
}

// Signed is a project signed in a period, as the statistics count it.
type Signed struct {
	ID                  int64
	Code, Name          string
	Stage, Status       string
	SignedOn            civil.Date
	Investment, Foreign money.Cents
	LocalityUnitID      int64
	Merged              bool    // merged into another project (a duplicate)
	Introducers         []Share // largest share first; shared with the mirror, not to be changed
}

// SignedBetween lists every project signed in [from, to], by signing day
// and id, from the mirror (current as of the call).
func (s *Service) SignedBetween(ctx context.Context, from, to civil.Date) ([]Signed, error) {
	var out []Signed
	err := s.mirror.read(ctx, func(rows []mrow, _ map[int64]int) {
		for i := range rows {
			r := &rows[i]
			if r.signedOn.IsZero() || r.signedOn.Before(from) || r.signedOn.After(to) {
				continue
			}
			out = append(out, Signed{ID: r.id, Code: r.code, Name: r.name, Stage: r.stage, Status: r.status, SignedOn: r.signedOn,
				Investment: r.investment, Foreign: r.foreign, LocalityUnitID: r.locality, Merged: r.merged, Introducers: r.introducers})
		}
	})
	slices.SortFunc(out, func(a, b Signed) int {
		if c := cmpDate(a.SignedOn, b.SignedOn); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, err
}
