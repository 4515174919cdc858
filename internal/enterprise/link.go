package enterprise

import (
	"context"
	"strings"

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

// keywordHits calls fn for each live slot whose text contains a keyword.
func (x *Index) keywordHits(keywords []string, fn func(s uint32)) {
	seen := roaring.New()
	for _, k := range keywords {
		k = normalise(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		cand, exact := x.candidates([]rune(k))
		it := cand.Iterator()
		for it.HasNext() {
			s := it.Next()
			if x.ids[s] == 0 || seen.Contains(s) || (!exact && !strings.Contains(x.text[s], k)) {
				continue
			}
			seen.Add(s)
			fn(s)
		}
	}
}

// CountLinks counts the enterprises fitting each link, in one pass over the
// index for the industry codes plus the keywords' postings.
func (s *Service) CountLinks(ctx context.Context, links []LinkSpec) ([]LinkCount, error) {
	x, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
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
	out := make([]LinkCount, len(links))
	for i, l := range links {
		m := x.matches(l.Codes)
		for k, code := range m {
			if code != "" {
				out[i].Local += local[k]
				out[i].Target += target[k]
			}
		}
		x.keywordHits(l.Keywords, func(s uint32) {
			if m[x.industry[s]] != "" {
				return // counted by its industry already
			}
			if x.target[s] {
				out[i].Target++
			} else {
				out[i].Local++
			}
		})
	}
	return out, nil
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
