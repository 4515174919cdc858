package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// shape is one kind of list request a user makes; each call varies it.
type shape struct {
	name  string
	query func(r *rand.Rand, e *env, scoped bool) url.Values
}

var keywords = []string{"电池", "新能源", "智能", "精密", "华鑫", "深圳", "环保", "XM-2024-01"}

var listShapes = []shape{
	{"default order (-updated_at)", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"page": {strconv.Itoa(1 + r.IntN(3))}}
	}},
	{"stage, -signed_on", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"stage": {[]string{"signed", "registered", "construction"}[r.IntN(3)]}, "sort": {"-signed_on"}}
	}},
	{"keyword, -contract_investment", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"q": {keywords[r.IntN(len(keywords))]}, "sort": {"-contract_investment"}}
	}},
	{"locality, name", func(r *rand.Rand, e *env, scoped bool) url.Values {
		code := localityWeights[r.IntN(len(localityWeights))].code
		if scoped {
			code = []string{"441204", "PARK-GY"}[r.IntN(2)]
		}
		return url.Values{"locality_unit_id": {strconv.FormatInt(e.world.Units[code], 10)}, "sort": {"name"}}
	}},
	{"status + stage, pages 2–5", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"status": {"active"}, "stage": {[]string{"lead", "negotiating"}[r.IntN(2)]}, "page": {strconv.Itoa(2 + r.IntN(4))}}
	}},
	{"channel + source region, -lead_on", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"channel": {pick(r, channelWeights)}, "source_region": {places[r.IntN(len(places))].region}, "sort": {"-lead_on"}}
	}},
	{"signed within a year, signed_on", func(r *rand.Rand, e *env, scoped bool) url.Values {
		y := strconv.Itoa(2020 + r.IntN(7))
		return url.Values{"signed_from": {y + "-01-01"}, "signed_to": {y + "-12-31"}, "sort": {"signed_on"}}
	}},
	{"key projects, -contract_investment", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"is_key": {"1"}, "sort": {"-contract_investment"}}
	}},
	{"industry + tag", func(r *rand.Rand, e *env, scoped bool) url.Values {
		return url.Values{"industry": {[]string{"38", "39", "36", "3841"}[r.IntN(4)]}, "tag": {"high_tech"}}
	}},
}

// timings are the samples of one series, by shape.
type timings struct {
	all     []time.Duration
	byShape map[string][]time.Duration
	totals  map[string]int // the sum of the "total"s each shape answered
}

func newTimings() *timings {
	return &timings{byShape: map[string][]time.Duration{}, totals: map[string]int{}}
}

func (t *timings) add(shape string, d time.Duration, total int) {
	t.all = append(t.all, d)
	t.byShape[shape] = append(t.byShape[shape], d)
	t.totals[shape] += total
}

// rows is the average number of rows a shape's requests matched.
func (t *timings) rows(shape string) int {
	if n := len(t.byShape[shape]); n > 0 {
		return t.totals[shape] / n
	}
	return 0
}

// pct is the nearest-rank percentile, in milliseconds.
func pct(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	i = max(0, min(i, len(s)-1))
	return float64(s[i].Microseconds()) / 1000
}

// listSeries calls the project list n times (after one warm-up pass of
// every shape), cycling through the shapes with varied values.
func listSeries(ctx context.Context, e *env, c *client, scoped bool, n int, seed uint64) (*timings, error) {
	r := rand.New(rand.NewPCG(seed, 7))
	t := newTimings()
	for i := -len(listShapes); i < n; i++ {
		sh := listShapes[(i+len(listShapes))%len(listShapes)]
		q := sh.query(r, e, scoped)
		q.Set("page_size", "20")
		raw, took, err := c.get(ctx, "/api/v1/projects?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		var page struct {
			Items []json.RawMessage `json:"items"`
			Total int               `json:"total"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, fmt.Errorf("list %s: %w", q.Encode(), err)
		}
		if i >= 0 {
			t.add(sh.name, took, page.Total)
		}
	}
	return t, nil
}

// warningSeries calls the warning list n times after a warm-up of two,
// over its first pages.
func warningSeries(ctx context.Context, c *client, n int) (*timings, error) {
	t := newTimings()
	for i := -2; i < n; i++ {
		q := url.Values{"page": {strconv.Itoa(1 + (i+2)%3)}, "page_size": {"20"}}
		raw, took, err := c.get(ctx, "/api/v1/warnings?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		var page struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, fmt.Errorf("warnings: %w", err)
		}
		if i >= 0 {
			t.add("warnings", took, page.Total)
		}
	}
	return t, nil
}
