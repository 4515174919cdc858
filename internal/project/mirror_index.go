package project

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// postings index the mirror's rows (by their index in Mirror.rows) so that
// a list costs what the caller's scope and filters select, not what the
// whole city holds: each filter value and each unit and user of the data
// scope has a bitmap of its rows; a list intersects them (an exact total
// from the cardinality) and then either walks a pre-sorted order until the
// page is full or, when few rows match, sorts just those.
//
// Measured with pprof on 100,000 projects before this index, a scoped list
// spent 73 % of its CPU in the row scan (unitSet.has 32 % flat, Row.belongs
// 18 %), about 7 ms a request; the figures after it are in docs/performance.md.
type postings struct {
	by    map[string]*roaring.Bitmap // "field\x00value" → rows (see keysOf)
	all   roaring.Bitmap             // every row
	order map[string][]uint32        // sort key (without "-") → rows ascending by key, then id
}

// sortKeys are the keys lists sort by (sorts in list.go), each with its
// ascending comparison of rows; every order ends with the id.
var sortKeys = map[string]func(a, b *Row) int{
	"name":                func(a, b *Row) int { return strings.Compare(a.Name, b.Name) },
	"signed_on":           func(a, b *Row) int { return cmpSigned(a, b) },
	"contract_investment": func(a, b *Row) int { return cmp.Compare(a.ContractInvestment, b.ContractInvestment) },
	"updated_at":          func(a, b *Row) int { return cmp.Compare(a.updated, b.updated) },
	"code":                func(a, b *Row) int { return 0 },
	"lead_on":             func(a, b *Row) int { return cmpDate(a.LeadOn, b.LeadOn) },
}

// cmpSigned orders by signing day with projects not yet signed last.
func cmpSigned(a, b *Row) int {
	if a.SignedOn.IsZero() != b.SignedOn.IsZero() {
		if a.SignedOn.IsZero() {
			return 1
		}
		return -1
	}
	return cmpDate(a.SignedOn, b.SignedOn)
}

func ascending(key string) func(a, b *Row) int {
	k := sortKeys[key]
	return func(a, b *Row) int {
		if c := k(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
}

// keysOf are the posting keys a row is found under. Units and users are
// those of the data scope (visibility.sees): a unit key for the
// registering unit, the landing locality, the hand-over's receiving unit
// and each introducing unit; a user key for the registering user and the
// two officers.
func keysOf(r *Row) []string {
	k := []string{"stage\x00" + r.Stage, "status\x00" + r.Status, "channel\x00" + r.Channel, "region\x00" + r.SourceRegion}
	for n := 1; n <= len(r.IndustryCode); n++ {
		k = append(k, "industry\x00"+r.IndustryCode[:n]) // a filter is a prefix
	}
	for _, t := range strings.Split(strings.Trim(r.tags, ","), ",") {
		if t != "" {
			k = append(k, "tag\x00"+t)
		}
	}
	if r.LocalityUnitID != 0 {
		k = append(k, idKey("locality", r.LocalityUnitID))
	}
	units := []int64{r.OwnerUnitID, r.LocalityUnitID, r.HandoverToUnitID}
	for _, s := range r.Introducers {
		units = append(units, s.UnitID)
	}
	for _, u := range units {
		if u > 0 {
			k = append(k, idKey("unit", u))
		}
	}
	for _, u := range []int64{r.createdBy, r.introOfficer, r.localityOfficer} {
		if u > 0 {
			k = append(k, idKey("user", u))
		}
	}
	if r.IsKey {
		k = append(k, "key\x00")
	}
	if r.Pending {
		k = append(k, "pending\x00")
	}
	slices.Sort(k)
	return slices.Compact(k)
}

func idKey(field string, id int64) string { return field + "\x00" + strconv.FormatInt(id, 10) }

// build indexes rows from scratch: a load, or a batch of changes too big
// to apply one by one.
func (p *postings) build(rows []*Row) {
	p.by = map[string]*roaring.Bitmap{}
	p.all = roaring.Bitmap{}
	p.all.AddRange(0, uint64(len(rows)))
	for i, r := range rows {
		for _, k := range keysOf(r) {
			p.bitmap(k).Add(uint32(i))
		}
	}
	p.order = map[string][]uint32{}
	for key := range sortKeys {
		o := make([]uint32, len(rows))
		for i := range o {
			o[i] = uint32(i)
		}
		asc := ascending(key)
		slices.SortFunc(o, func(a, b uint32) int { return asc(rows[a], rows[b]) })
		p.order[key] = o
	}
}

func (p *postings) bitmap(k string) *roaring.Bitmap {
	b := p.by[k]
	if b == nil {
		b = roaring.New()
		p.by[k] = b
	}
	return b
}

// replace moves row i from old (nil for a new row) to now; rows[i] is
// still old when it is called and is set to now by it.
func (p *postings) replace(rows []*Row, i int, old, now *Row) {
	pos := uint32(i)
	if old != nil {
		for _, k := range keysOf(old) {
			if b := p.by[k]; b != nil {
				b.Remove(pos)
			}
		}
		for key, o := range p.order {
			asc := ascending(key)
			j, found := slices.BinarySearchFunc(o, old, func(e uint32, t *Row) int { return asc(rows[e], t) })
			if found && o[j] == pos {
				p.order[key] = slices.Delete(o, j, j+1)
			}
		}
	}
	rows[i] = now
	p.all.Add(pos)
	for _, k := range keysOf(now) {
		p.bitmap(k).Add(pos)
	}
	for key, o := range p.order {
		asc := ascending(key)
		j, _ := slices.BinarySearchFunc(o, now, func(e uint32, t *Row) int { return asc(rows[e], t) })
		p.order[key] = slices.Insert(o, j, pos)
	}
}

// get is the rows under a key; an empty bitmap for none (never modified).
func (p *postings) get(k string) *roaring.Bitmap {
	if b := p.by[k]; b != nil {
		return b
	}
	return roaring.New()
}

// page is the rows of sel in the order of sort (a key of sortKeys, "-" for
// descending), from offset, at most limit of them. It walks the sorted
// order while that is cheaper than sorting what matched: walking costs
// about (offset+limit) × all ÷ matched steps, sorting the matched rows
// about matched × log(offset+limit).
func (p *postings) page(rows []*Row, sel *roaring.Bitmap, sort string, offset, limit int) []uint32 {
	need := offset + limit
	total := int(sel.GetCardinality())
	if need <= 0 || total == 0 || offset >= total {
		return nil
	}
	key := strings.TrimPrefix(sort, "-")
	desc := key != sort
	less := orderOf(sort)
	var out []uint32
	if walk := need * len(rows) / total; walk < total*4 {
		o := p.order[key]
		visit := func(e uint32) bool {
			if sel.Contains(e) {
				out = append(out, e)
			}
			return len(out) < need
		}
		switch {
		case !desc:
			for _, e := range o {
				if !visit(e) {
					break
				}
			}
		case key == "signed_on":
			// Descending by signing day still puts the unsigned last: the
			// signed part backwards, then the unsigned part backwards.
			split, _ := slices.BinarySearchFunc(o, true, func(e uint32, _ bool) int {
				if rows[e].SignedOn.IsZero() {
					return 1
				}
				return -1
			})
			walkBack(o[:split], visit)
			if len(out) < need {
				walkBack(o[split:], visit)
			}
		default:
			walkBack(o, visit)
		}
	} else {
		t := topK[uint32]{k: need, less: func(a, b uint32) int { return less(rows[a], rows[b]) }}
		it := sel.Iterator()
		for it.HasNext() {
			t.push(it.Next())
		}
		out = t.sorted()
	}
	return out[min(offset, len(out)):]
}

func walkBack(o []uint32, visit func(uint32) bool) {
	for j := len(o) - 1; j >= 0; j-- {
		if !visit(o[j]) {
			return
		}
	}
}
