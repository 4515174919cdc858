package assess

import (
	"cmp"
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// Cockpit is everything the leaders' full-screen page shows, for the city
// or, for a user whose scope is a unit, for that unit.
type Cockpit struct {
	Year     int               `json:"year"`
	Scope    string            `json:"scope"` // city or unit
	UnitID   int64             `json:"unit_id"`
	UnitName string            `json:"unit_name"`
	Headline Figure            `json:"headline"`
	Bands    []BandGauge       `json:"bands"`
	Trend    Trend             `json:"trend"`
	Funnel   []StageCount      `json:"funnel"`
	Map      []MapArea         `json:"map"`
	Ranking  Ranking           `json:"ranking"`
	Big      []BigProject      `json:"big_projects"`
	Regions  []Slice           `json:"source_regions"`
	Channels []Slice           `json:"channels"`
	Stalled  []project.Warning `json:"stalled"`
	Forecast Forecast          `json:"forecast"`
}

// BandGauge is a size band's count against its target.
type BandGauge struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Actual string `json:"actual"`
	Target string `json:"target"`
}

// Trend is this year's and last year's contracted investment by month (万元).
type Trend struct {
	ThisYear []string `json:"this_year"`
	LastYear []string `json:"last_year"`
}

// StageCount is the funnel: active projects at each stage. Query is the
// project-list filter whose rows the count is, for the click.
type StageCount struct {
	Stage string            `json:"stage"`
	Count int               `json:"count"`
	Query map[string]string `json:"query"`
}

// funnelQuery is what a funnel step counts and opens: the projects at the
// stage that are active (on-hold and terminated ones are not in the funnel).
func funnelQuery(stage string) map[string]string {
	return map[string]string{"stage": stage, "status": "active"}
}

// MapArea is one part of the map: the focus's year-to-date credits of the
// projects landing in a county/district (Kind "county", keyed by its
// division code for the map), in a city-level zone ("zone", listed beside
// the map), or elsewhere ("other", UnitID 0). The parts add up to the
// headline; each opens exactly its rows (stats rows with area_id).
type MapArea struct {
	UnitID int64  `json:"unit_id"`
	Kind   string `json:"kind"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Count  string `json:"count"`
	Amount string `json:"amount"`
}

// BigProject is one of the year's largest signings.
type BigProject struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Amount   string `json:"amount"`
	SignedOn string `json:"signed_on"`
	Locality string `json:"locality"`
	Stage    string `json:"stage"`
}

// Slice is one part of a breakdown (source region, channel): the active
// projects signed in the year; Query is the project-list filter of its rows.
type Slice struct {
	Code   string            `json:"code"`
	Count  int               `json:"count"`
	Amount string            `json:"amount"`
	Query  map[string]string `json:"query"`
}

// signedQuery is the project-list filter of the active projects signed in
// a year, with one more field.
func signedQuery(year int, field, value string) map[string]string {
	return map[string]string{field: value, "status": "active",
		"signed_from": Period{year, 1}.First().String(), "signed_to": Period{year, 12}.Last().String()}
}

// CockpitData gathers the page's figures for a year.
func (s *Service) CockpitData(ctx context.Context, a *org.Actor, year int) (Cockpit, error) {
	q := s.reader()
	now := s.today()
	month := 12
	if year == now.Year() {
		month = now.Month()
	}
	rep, byMonth, err := s.compute(ctx, q, Period{year, month})
	if err != nil {
		return Cockpit{}, err
	}
	// Last year's trend needs its rows only, not its figures.
	rules, err := loadRules(ctx, q, year-1)
	if err != nil {
		return Cockpit{}, err
	}
	closed, err := loadClosed(ctx, q)
	if err != nil {
		return Cockpit{}, err
	}
	lastYear, err := yearCredits(ctx, q, rules, closed, Period{year - 1, 12})
	if err != nil {
		return Cockpit{}, err
	}
	c := Cockpit{Year: year, Scope: "city", Headline: rep.City}
	focus := int64(0)
	if a.Scope != org.ScopeAll {
		c.Scope, focus, c.UnitID, c.UnitName = "unit", a.UnitID, a.UnitID, a.UnitName
		for _, f := range rep.Units {
			if f.UnitID == focus {
				c.Headline = f
			}
		}
	}
	c.Trend = Trend{ThisYear: monthly(byMonth, focus), LastYear: monthly(lastYear, focus)}
	if err := s.cockpitBands(ctx, &c, rep, year, focus); err != nil {
		return c, err
	}
	if c.Map, err = s.cockpitMap(ctx, byMonth, focus); err != nil {
		return c, err
	}
	if c.Ranking, err = s.rank(ctx, a, year, (month+2)/3, byMonth); err != nil {
		return c, err
	}
	if err := s.cockpitProjects(ctx, a, &c, year); err != nil {
		return c, err
	}
	if c.Stalled, _, err = s.Projects.WarningsPage(ctx, a, "", 0, 10, 0); err != nil {
		return c, err
	}
	targets := map[string]int64{}
	for _, m := range append([]string{"count"}, bandMetrics(rep.Rules)...) {
		t, err := loadTargets(ctx, q, year, m)
		if err != nil {
			return c, err
		}
		targets[m] = t[focus]
	}
	c.Forecast, err = s.forecast(ctx, a, year, c.Headline, targets)
	return c, err
}

func monthly(byMonth map[Period][]Credit, unit int64) []string {
	out := make([]string, 12)
	for p, list := range byMonth {
		var sum int64
		for _, c := range list {
			if c.UnitID == unit {
				sum += c.AmountE4
			}
		}
		out[p.Month-1] = Amount(sum)
	}
	for i := range out {
		if out[i] == "" {
			out[i] = "0.00"
		}
	}
	return out
}

func (s *Service) cockpitBands(ctx context.Context, c *Cockpit, rep Report, year int, focus int64) error {
	for _, b := range rep.Rules.Bands {
		t, err := loadTargets(ctx, s.DB.Reader(), year, "band:"+b.Code)
		if err != nil {
			return err
		}
		c.Bands = append(c.Bands, BandGauge{Code: b.Code, Label: b.LabelZh, Actual: Count(c.Headline.YTD.BandsBP[b.Code]), Target: Count(t[focus] * 100)})
	}
	return nil
}

// cockpitMap splits the focus's year-to-date credits by landing area.
func (s *Service) cockpitMap(ctx context.Context, byMonth map[Period][]Credit, focus int64) ([]MapArea, error) {
	units, err := loadUnits(ctx, s.DB.Reader())
	if err != nil {
		return nil, err
	}
	areas := landingAreas(byMonth, units)
	sums := map[int64]*Sums{}
	for _, list := range byMonth {
		for _, c := range list {
			if c.UnitID != focus {
				continue
			}
			id := areas[c.ProjectID]
			if sums[id] == nil {
				sums[id] = &Sums{}
			}
			sums[id].add(c)
		}
	}
	out := []MapArea{}
	for id, sm := range sums {
		a := MapArea{UnitID: id, Kind: "other", Name: "其他", Count: Count(sm.CountBP), Amount: Amount(sm.AmountE4)}
		if u := units[id]; id != 0 {
			a.Kind, a.Code, a.Name = map[string]string{"locality": "county", "park": "zone"}[u.kind], u.code, u.name
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y MapArea) int {
		switch {
		case x.UnitID == y.UnitID:
			return 0
		case x.UnitID == 0:
			return 1
		case y.UnitID == 0:
			return -1
		case unitLess(units[x.UnitID], units[y.UnitID]):
			return -1
		}
		return 1
	})
	return out, nil
}

// landingAreas maps each project of the rows to the area it lands in: the
// county/district or city-level zone directly under the root that its
// locality credits name (the latest month's, so a project moved after a
// close lands where it is now), or 0 when it lands in neither.
func landingAreas(byMonth map[Period][]Credit, units map[int64]unitInfo) map[int64]int64 {
	months := slices.SortedFunc(maps.Keys(byMonth), func(a, b Period) int {
		if a.Before(b) {
			return -1
		}
		return 1
	})
	out := map[int64]int64{}
	for _, m := range months {
		for _, c := range byMonth[m] {
			if u := units[c.UnitID]; c.Role == "locality" && c.CountBP > 0 && topLevel(u) && (u.kind == "locality" || u.kind == "park") {
				out[c.ProjectID] = c.UnitID
			}
		}
	}
	return out
}

// cockpitProjects fills the funnel, the big projects and the breakdowns
// from the projects in the actor's scope (the project mirror: one pass).
func (s *Service) cockpitProjects(ctx context.Context, a *org.Actor, c *Cockpit, year int) error {
	units, err := loadUnits(ctx, s.DB.Reader())
	if err != nil {
		return err
	}
	first, last := Period{year, 1}.First(), Period{year, 12}.Last()
	stages := map[string]int{}
	type sum struct {
		count int
		cents int64
	}
	regions, channels := map[string]*sum{}, map[string]*sum{}
	var big []project.Row
	bigger := func(x, y *project.Row) bool {
		return x.ContractInvestment > y.ContractInvestment || (x.ContractInvestment == y.ContractInvestment && x.ID < y.ID)
	}
	err = s.Projects.EachRow(ctx, a, func(r *project.Row) {
		if q := funnelQuery(r.Stage); r.Status == q["status"] {
			stages[r.Stage]++
		}
		if r.Status != "active" {
			return
		}
		if r.SignedOn.IsZero() || r.SignedOn.Before(first) || r.SignedOn.After(last) {
			return
		}
		for _, b := range []struct {
			m   map[string]*sum
			key string
		}{{regions, r.SourceRegion}, {channels, r.Channel}} {
			if b.m[b.key] == nil {
				b.m[b.key] = &sum{}
			}
			b.m[b.key].count++
			b.m[b.key].cents += int64(r.ContractInvestment)
		}
		// The ten largest, kept sorted as they come.
		if len(big) == 10 && !bigger(r, &big[9]) {
			return
		}
		at := len(big)
		for at > 0 && bigger(r, &big[at-1]) {
			at--
		}
		big = slices.Insert(big, at, *r)[:min(10, len(big)+1)]
	})
	if err != nil {
		return err
	}
	for _, st := range project.Stages {
		c.Funnel = append(c.Funnel, StageCount{st, stages[st], funnelQuery(st)})
	}
	for _, r := range big {
		c.Big = append(c.Big, BigProject{ID: r.ID, Code: r.Code, Name: r.Name, Amount: r.ContractInvestment.String(), SignedOn: r.SignedOn.String(),
			Locality: units[r.LocalityUnitID].name, Stage: r.Stage})
	}
	for _, part := range []struct {
		sums  map[string]*sum
		dst   *[]Slice
		field string
	}{{regions, &c.Regions, "source_region"}, {channels, &c.Channels, "channel"}} {
		*part.dst = []Slice{}
		for code, v := range part.sums {
			*part.dst = append(*part.dst, Slice{Code: code, Count: v.count, Amount: money.Cents(v.cents).String(), Query: signedQuery(year, part.field, code)})
		}
		// By amount, largest first, then by code.
		slices.SortFunc(*part.dst, func(x, y Slice) int {
			if c := cmp.Compare(part.sums[y.Code].cents, part.sums[x.Code].cents); c != 0 {
				return c
			}
			return strings.Compare(x.Code, y.Code)
		})
	}
	return nil
}

// eachRow runs a query and hands each row's Scan to fn.
func eachRow(ctx context.Context, q db.Querier, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return errs.Wrap(err, "cockpit")
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return errs.Wrap(err, "cockpit")
		}
	}
	return errs.Wrap(rows.Err(), "cockpit")
}

// CockpitJSON answers GET /api/v1/cockpit?year=.
func (h Handlers) CockpitJSON(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	if err := validYear(year); err != nil {
		return err
	}
	body, err := h.S.Cockpit(r.Context(), actor(r), year)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(body)
	return err
}
