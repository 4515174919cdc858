package enterprise

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/zhaoqing/attract/internal/industry"
)

// A chain link is mapped to industry codes and keywords; the enterprises
// that fit a link are those whose industry lies within one of its codes or
// whose name contains one of its keywords. The chain map counts them for
// every link of a chain at once, from the index.

// LinkSpec is what makes an enterprise fit a link.
type LinkSpec struct {
	Codes    []string
	Keywords []string
}

// LinkCount is how many enterprises fit a link: local ones (settled in the
// city) and targets.
type LinkCount struct {
	Local  int `json:"local"`
	Target int `json:"target"`
}

// Fit is one target enterprise that fits a link, with what the score needs.
type Fit struct {
	ID        int64
	Industry  string
	ByCode    string // the link code the industry lies within ("" when by keyword only)
	ByKeyword bool
	Capital   int64
	Tags      []string
	Region    string
	Expanded  uint32 // yyyymmdd
}

// matches is, per industry index, the link code it lies within (the most
// specific), or "".
func (x *Index) matches(codes []string) []string {
	out := make([]string, len(x.industries))
	for i, c := range x.industries {
		for _, lc := range codes {
			if c != "" && industry.Within(c, lc) && len(lc) > len(out[i]) {
				out[i] = lc
			}
		}
	}
	return out
}

// keywordHits calls fn once for each live slot whose text contains one of
// the keywords: the union of their postings, each slot checked against the
// text only where a posting is not exact.
func (x *Index) keywordHits(keywords []string, fn func(s uint32)) {
	var sets []*roaring.Bitmap
	var loose []string // keywords whose postings are candidates only
	var looseSets []*roaring.Bitmap
	for _, k := range keywords {
		k = normalise(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		cand, exact := x.candidates([]rune(k))
		if exact {
			sets = append(sets, cand)
		} else {
			loose, looseSets = append(loose, k), append(looseSets, cand)
		}
	}
	var union *roaring.Bitmap
	switch {
	case len(sets)+len(looseSets) == 0:
		return
	case len(sets) == 1 && len(looseSets) == 0:
		union = sets[0]
	default:
		union = roaring.FastOr(append(append([]*roaring.Bitmap{}, sets...), looseSets...)...)
	}
	exactUnion := len(looseSets) == 0
	it := union.ManyIterator()
	buf := make([]uint32, 4096)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, s := range buf[:n] {
			if x.ids[s] == 0 {
				continue
			}
			if !exactUnion && !x.looseHit(s, sets, loose, looseSets) {
				continue
			}
			fn(s)
		}
	}
}

// keywordSet is the live slots whose text contains k (the posting itself
// when it is exact: callers only read it).
func (x *Index) keywordSet(k string) *roaring.Bitmap {
	cand, exact := x.candidates([]rune(k))
	if exact {
		return cand
	}
	out := roaring.New()
	it := cand.ManyIterator()
	buf := make([]uint32, 4096)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, s := range buf[:n] {
			if x.ids[s] != 0 && strings.Contains(x.textOf(s), k) {
				out.Add(s)
			}
		}
	}
	return out
}

func (x *Index) looseHit(s uint32, sets []*roaring.Bitmap, loose []string, looseSets []*roaring.Bitmap) bool {
	for _, b := range sets {
		if b.Contains(s) {
			return true
		}
	}
	for i, b := range looseSets {
		if b.Contains(s) && strings.Contains(x.textOf(s), loose[i]) {
			return true
		}
	}
	return false
}

// CountLinks counts the enterprises fitting each link: one pass over the
// index for the industry codes, then the keywords' postings, links shared
// out between the cores. The answer is kept until the index changes, since a
// chain map is looked at far more often than the library is written.
func (s *Service) CountLinks(ctx context.Context, links []LinkSpec) ([]LinkCount, error) {
	x, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	key := fmt.Sprintf("%p/%d/%v", x, x.gen, links)
	if got, ok := s.cachedLinks(key); ok {
		return got, nil
	}
	// Per industry: local and target counts.
	local := make([]int, len(x.industries))
	target := make([]int, len(x.industries))
	for s, id := range x.ids {
		if id == 0 {
			continue
		}
		if x.target[s] {
			target[x.industry[s]]++
		} else {
			local[x.industry[s]]++
		}
	}
	// Each distinct keyword's matches, once (links share keywords, and a
	// keyword's check against the names is the costly part), shared out
	// between the cores.
	at := map[string]int{}
	var words []string
	for _, l := range links {
		for _, k := range l.Keywords {
			if k = normalise(strings.TrimSpace(k)); k != "" {
				if _, ok := at[k]; !ok {
					at[k] = len(words)
					words = append(words, k)
				}
			}
		}
	}
	sets := make([]*roaring.Bitmap, len(words))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(words); i += workers {
				sets[i] = x.keywordSet(words[i])
			}
		}(w)
	}
	wg.Wait()
	out := make([]LinkCount, len(links))
	for i, l := range links {
		m := x.matches(l.Codes)
		var c LinkCount
		for k, code := range m {
			if code != "" {
				c.Local += local[k]
				c.Target += target[k]
			}
		}
		var mine []*roaring.Bitmap
		for _, k := range l.Keywords {
			if k = normalise(strings.TrimSpace(k)); k != "" {
				mine = append(mine, sets[at[k]])
			}
		}
		var set *roaring.Bitmap
		switch len(mine) {
		case 0:
			out[i] = c
			continue
		case 1:
			set = mine[0]
		default:
			set = roaring.FastOr(mine...)
		}
		it := set.ManyIterator()
		buf := make([]uint32, 4096)
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, s := range buf[:n] {
				if x.ids[s] == 0 || m[x.industry[s]] != "" {
					continue // gone, or counted by its industry already
				}
				if x.target[s] {
					c.Target++
				} else {
					c.Local++
				}
			}
		}
		out[i] = c
	}
	s.cacheLinks(key, out)
	return out, nil
}

func (s *Service) cachedLinks(key string) ([]LinkCount, bool) {
	s.linkMu.Lock()
	defer s.linkMu.Unlock()
	got, ok := s.linkCache[key]
	return got, ok
}

func (s *Service) cacheLinks(key string, out []LinkCount) {
	s.linkMu.Lock()
	defer s.linkMu.Unlock()
	if len(s.linkCache) > 64 {
		s.linkCache = map[string][]LinkCount{}
	}
	s.linkCache[key] = out
}

// Fits lists the target enterprises (or, local, the local ones) that fit a
// link, for the recommendation score.
func (s *Service) Fits(ctx context.Context, l LinkSpec, local bool) ([]Fit, error) {
	x, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	m := x.matches(l.Codes)
	var out []Fit
	at := map[uint32]int{}
	fit := func(s uint32, byCode string, byKeyword bool) {
		if i, ok := at[s]; ok {
			out[i].ByKeyword = out[i].ByKeyword || byKeyword
			return
		}
		at[s] = len(out)
		out = append(out, Fit{ID: x.ids[s], Industry: x.industries[x.industry[s]], ByCode: byCode, ByKeyword: byKeyword,
			Capital: x.capital[s], Tags: x.tagsOf(x.tags[s]), Region: x.regions[x.region[s]], Expanded: x.expanded[s]})
	}
	for s, id := range x.ids {
		if id != 0 && x.target[s] != local && m[x.industry[s]] != "" {
			fit(uint32(s), m[x.industry[s]], false)
		}
	}
	x.keywordHits(l.Keywords, func(s uint32) {
		if x.target[s] != local {
			fit(s, "", true)
		}
	})
	return out, nil
}

func (x *Index) tagsOf(mask uint64) []string {
	var out []string
	for t, b := range x.tagBit {
		if mask&(1<<b) != 0 {
			out = append(out, t)
		}
	}
	return out
}
