package assess

import (
	"context"
	"sort"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Figure is one unit's (or the city's) line of the monthly statistics.
type Figure struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Kind     string `json:"kind"`
	Month    Sums   `json:"month"`
	YTD      Sums   `json:"ytd"`
	// Target is the year's contracted-investment target in 万元 (hundredths), 0 when none.
	Target     int64  `json:"target"`
	Completion *Ratio `json:"completion"`
	Completed  bool   `json:"completed"`
	// BandTargets are the year's band targets (hundredths of a project) by band code.
	BandTargets map[string]int64 `json:"band_targets"`
	// Landing among the projects credited this year: count (bp) at each stage or beyond.
	Registered   int64 `json:"registered_bp"`
	Construction int64 `json:"construction_bp"`
	Production   int64 `json:"production_bp"`
}

// Report is a month's statistics: what a closed month stores and shows again.
type Report struct {
	Period    string   `json:"period"`
	AsOf      string   `json:"as_of,omitempty"` // progress at a day: projects signed up to it
	Closed    bool     `json:"closed"`
	ClosedAt  string   `json:"closed_at"`
	Rules     Rules    `json:"rules"`
	RuleNotes []string `json:"rule_notes"`
	City      Figure   `json:"city"`
	Units     []Figure `json:"units"`
}

type unitInfo struct {
	id         int64
	code       string
	name, kind string
	path       string
	sort       int
	status     string
}

func loadUnits(ctx context.Context, q db.Querier) (map[int64]unitInfo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name, kind, path, sort, status FROM units`)
	if err != nil {
		return nil, errs.Wrap(err, "units")
	}
	defer rows.Close()
	out := map[int64]unitInfo{}
	for rows.Next() {
		var u unitInfo
		if err := rows.Scan(&u.id, &u.code, &u.name, &u.kind, &u.path, &u.sort, &u.status); err != nil {
			return nil, errs.Wrap(err, "units")
		}
		out[u.id] = u
	}
	return out, errs.Wrap(rows.Err(), "units")
}

var stageRank = map[string]int{"lead": 0, "negotiating": 1, "signed": 2, "registered": 3, "construction": 4, "production": 5}

// rankOf is stageRank[stage] without hashing (called per credit).
func rankOf(stage string) int {
	switch stage {
	case "negotiating":
		return 1
	case "signed":
		return 2
	case "registered":
		return 3
	case "construction":
		return 4
	case "production":
		return 5
	}
	return 0
}

// compute builds a month's report from its rows and the year's earlier months.
func (s *Service) compute(ctx context.Context, q source, p Period) (Report, map[Period][]Credit, error) {
	return s.computeWith(ctx, q, p, nil, civil.Date{})
}

// computeWith is compute reusing rows already read for months of the same
// year (a ranking's previous quarter; the cockpit's year so far), when
// there are some; with until, month p counts the projects signed up to and
// including that day (progress at any date).
func (s *Service) computeWith(ctx context.Context, q source, p Period, pre map[Period][]Credit, until civil.Date) (Report, map[Period][]Credit, error) {
	r, err := loadRules(ctx, q, p.Year)
	if err != nil {
		return Report{}, nil, err
	}
	closed, err := loadClosed(ctx, q)
	if err != nil {
		return Report{}, nil, err
	}
	byMonth := map[Period][]Credit{}
	for pm, list := range pre {
		if pm.Year == p.Year && pm.Month <= p.Month {
			byMonth[pm] = list
		}
	}
	// Read only the months after those given (a ranking at December
	// reuses the cockpit's January to November).
	from := 1
	for ; from <= p.Month; from++ {
		if _, ok := byMonth[Period{p.Year, from}]; !ok {
			break
		}
	}
	if from <= p.Month {
		more, err := monthsCredits(ctx, q, r, closed, p, from)
		if err != nil {
			return Report{}, nil, err
		}
		for pm, list := range more {
			byMonth[pm] = list
		}
	}
	if !until.IsZero() {
		byMonth[p] = signedUntil(byMonth[p], until)
	}
	units, err := loadUnits(ctx, q)
	if err != nil {
		return Report{}, nil, err
	}
	targets, err := loadTargets(ctx, q, p.Year, "contract_investment")
	if err != nil {
		return Report{}, nil, err
	}
	figs := map[int64]*Figure{}
	for pm, list := range byMonth {
		for _, c := range list {
			f := figs[c.UnitID]
			if f == nil {
				f = &Figure{UnitID: c.UnitID}
				figs[c.UnitID] = f
			}
			f.YTD.add(c)
			if pm == p {
				f.Month.add(c)
			}
			f.land(c.Stage, c.CountBP)
		}
	}
	if _, isClosed := closed.ids[p]; !isClosed {
		if err := liveLanding(ctx, q, p, byMonth, figs); err != nil {
			return Report{}, nil, err
		}
	}
	bandTargets, err := loadBandTargets(ctx, q, p.Year, r)
	if err != nil {
		return Report{}, nil, err
	}
	rep := Report{Period: p.String(), Rules: r, RuleNotes: r.Describe(false)}
	if !until.IsZero() {
		rep.AsOf = until.String()
	}
	for id, u := range units {
		if id != 0 && targets[id] == 0 && figs[id] == nil {
			continue
		}
		if figs[id] == nil {
			figs[id] = &Figure{UnitID: id}
		}
		f := figs[id]
		f.UnitName, f.Kind = u.name, u.kind
	}
	if figs[0] == nil {
		figs[0] = &Figure{}
	}
	for id, f := range figs {
		f.Target = targets[id]
		f.BandTargets = bandTargets[id]
		f.exact()
		if id == 0 {
			f.UnitName, f.Kind = "全市", "city"
			rep.City = *f
			continue
		}
		rep.Units = append(rep.Units, *f)
	}
	sort.Slice(rep.Units, func(i, j int) bool { return unitLess(units[rep.Units[i].UnitID], units[rep.Units[j].UnitID]) })
	return rep, byMonth, nil
}

// signedUntil keeps the rows of projects signed up to and including day
// (corrections of closed months carry their project's earlier signing day).
func signedUntil(rows []Credit, day civil.Date) []Credit {
	out := []Credit{}
	for _, c := range rows {
		if !c.SignedOn.After(day) {
			out = append(out, c)
		}
	}
	return out
}

// loadBandTargets maps unit id (0: the city) to band code to target.
func loadBandTargets(ctx context.Context, q db.Querier, year int, r Rules) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	for _, b := range r.Bands {
		t, err := loadTargets(ctx, q, year, "band:"+b.Code) // bandMetrics, keyed by code
		if err != nil {
			return nil, err
		}
		for id, v := range t {
			if out[id] == nil {
				out[id] = map[string]int64{}
			}
			out[id][b.Code] = v
		}
	}
	return out, nil
}

// exact sets completion from the year-to-date amount and the target, the
// one place the rule is written.
func (f *Figure) exact() {
	f.Completion = ratio(f.YTD.AmountE4, f.Target*Full)
	f.Completed = f.Target > 0 && f.YTD.AmountE4 >= f.Target*Full
}

// land counts a credit towards the landing figures of its stage and below.
func (f *Figure) land(stage string, bp int64) {
	rank := rankOf(stage)
	if rank >= 3 {
		f.Registered += bp
	}
	if rank >= 4 {
		f.Construction += bp
	}
	if rank >= 5 {
		f.Production += bp
	}
}

// liveLanding recounts an open month's landing figures with each project's
// stage today (closed months froze the stage they had then).
func liveLanding(ctx context.Context, q source, p Period, byMonth map[Period][]Credit, figs map[int64]*Figure) error {
	stage, err := q.liveStages(ctx, Period{p.Year, 1}.First(), p.Last())
	if err != nil {
		return err
	}
	for _, f := range figs {
		f.Registered, f.Construction, f.Production = 0, 0, 0
	}
	for _, list := range byMonth {
		for _, c := range list {
			st, ok := stage[c.ProjectID]
			if !ok {
				st = c.Stage
			}
			figs[c.UnitID].land(st, c.CountBP)
		}
	}
	return nil
}

func (m mirrorSource) liveStages(ctx context.Context, from, to civil.Date) (map[int64]string, error) {
	stage := map[int64]string{}
	ps, err := m.projects.SignedBetween(ctx, from, to)
	for _, p := range ps {
		stage[p.ID] = p.Stage
	}
	return stage, err
}

func (q sqlSource) liveStages(ctx context.Context, from, to civil.Date) (map[int64]string, error) {
	stage := map[int64]string{}
	rows, err := q.QueryContext(ctx, `SELECT id, stage FROM projects WHERE signed_on >= ? AND signed_on <= ?`, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "live stages")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var st string
		if err := rows.Scan(&id, &st); err != nil {
			return nil, errs.Wrap(err, "live stages")
		}
		stage[id] = st
	}
	return stage, errs.Wrap(rows.Err(), "live stages")
}

// unitLess is the organisation's own order, used by every table: by kind,
// then counties/districts by their division code (the official order) and
// other units by the order configured in 组织机构, then by code.
func unitLess(a, b unitInfo) bool {
	if kindOrder[a.kind] != kindOrder[b.kind] {
		return kindOrder[a.kind] < kindOrder[b.kind]
	}
	if a.kind != "locality" && a.sort != b.sort {
		return a.sort < b.sort
	}
	if a.code != b.code {
		return a.code < b.code
	}
	return a.id < b.id
}

var kindOrder = map[string]int{"working_group": 1, "locality": 2, "park": 3, "department": 4, "office_away": 5, "commission_office": 6}

// Monthly returns a month's statistics: a closed month exactly as it was
// closed, an open one as the data stand now. Units outside the actor's scope
// are left out, and so is the city line unless the scope is all.
func (s *Service) Monthly(ctx context.Context, a *org.Actor, p Period) (Report, error) {
	rep, err := s.report(ctx, s.reader(), p)
	if err != nil {
		return rep, err
	}
	return s.scoped(ctx, a, rep)
}

func (s *Service) report(ctx context.Context, q source, p Period) (Report, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT report_json FROM period_closes WHERE year = ? AND month = ? AND reopened_at IS NULL`, p.Year, p.Month).Scan(&raw)
	if err == nil {
		return decodeReport(raw)
	}
	rep, _, err := s.compute(ctx, q, p)
	return rep, err
}

func (s *Service) scoped(ctx context.Context, a *org.Actor, rep Report) (Report, error) {
	if a.Scope == org.ScopeAll {
		return rep, nil
	}
	in, err := unitsInScope(ctx, s.DB.Reader(), a)
	if err != nil {
		return rep, err
	}
	rep.City = Figure{}
	var kept []Figure
	for _, f := range rep.Units {
		if in[f.UnitID] {
			kept = append(kept, f)
		}
	}
	rep.Units = kept
	return rep, nil
}

func unitsInScope(ctx context.Context, q db.Querier, a *org.Actor) (map[int64]bool, error) {
	cond, args := a.ScopeSQL("id", "")
	rows, err := q.QueryContext(ctx, `SELECT id FROM units WHERE `+cond, args...)
	if err != nil {
		return nil, errs.Wrap(err, "scope units")
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, errs.Wrap(err, "scope units")
		}
		out[id] = true
	}
	return out, errs.Wrap(rows.Err(), "scope units")
}
