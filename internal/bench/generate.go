package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// World is the organisation the generator spreads projects over: the demo
// units (by code) and users.
type World struct {
	Units     map[string]int64 // demo unit code → id; "" is the root
	Users     map[string]int64 // username → id
	UnitUsers map[int64][]int64
}

// LoadWorld reads the users of the units demo.LoadOrg created.
func LoadWorld(ctx context.Context, q db.Querier, units map[string]int64) (World, error) {
	w := World{Units: units, Users: map[string]int64{}, UnitUsers: map[int64][]int64{}}
	rows, err := q.QueryContext(ctx, `SELECT id, username, unit_id FROM users ORDER BY id`)
	if err != nil {
		return w, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, unit int64
		var name string
		if err := rows.Scan(&id, &name, &unit); err != nil {
			return w, err
		}
		w.Users[name] = id
		w.UnitUsers[unit] = append(w.UnitUsers[unit], id)
	}
	return w, rows.Err()
}

// Counts are what the generator wrote.
type Counts struct {
	Projects, Introducers, Tracking, Requests, OpenRequests int
}

type weighted struct {
	code string
	w    int
}

// Landing localities (counties/districts and parks) weighted by how much
// investment each draws, and the units other than localities that bring
// projects in.
var localityWeights = []weighted{{"441202", 14}, {"441203", 8}, {"441204", 13}, {"441223", 5}, {"441224", 6}, {"441225", 4},
	{"441226", 5}, {"441284", 12}, {"ZONE-GX", 14}, {"ZONE-XQ", 9}, {"ZONE-YG", 2}, {"ZONE-HJ", 3}, {"PARK-GY", 3}, {"PARK-SH", 2}}
var introducerWeights = []weighted{{"WG-NEV", 6}, {"WG-EQP", 6}, {"WG-ECO", 5}, {"WG-EIT", 6}, {"WG-BJ", 4}, {"WG-YRD", 5}, {"WG-HMT", 4},
	{"DEPT-COM", 3}, {"DEPT-MIIT", 3}, {"DEPT-DRC", 1}, {"DEPT-ST", 1}, {"AWAY-BJ", 2}, {"AWAY-SZ", 3}, {"AWAY-HK", 2}}
var channelWeights = []weighted{{"team", 18}, {"business_referral", 16}, {"intermediary", 10}, {"hometown", 8}, {"online", 6},
	{"chamber", 8}, {"institute", 4}, {"office_away", 10}, {"fair", 14}, {"other", 6}}

// Leads per year: the city's work grows, and 2026 is not over.
var yearWeights = []struct{ year, w int }{{2019, 8}, {2020, 9}, {2021, 11}, {2022, 12}, {2023, 14}, {2024, 15}, {2025, 16}, {2026, 15}}

func pick(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.code
		}
		n -= w.w
	}
	return ws[len(ws)-1].code
}

// gen is one run of the generator.
type gen struct {
	r     *rand.Rand
	w     World
	today civil.Date
	invs  []investor
}

// Generate writes n projects and exactly tracking tracking records (plus
// introducers and enterprise requests) with direct multi-row INSERTs, spread
// over the units, stages, lead dates 2019–today, channels and source regions.
// It is set-up for the benchmark, not a path users take: nothing is audited.
func Generate(ctx context.Context, d *db.DB, w World, projects, tracking int, today civil.Date, seed uint64) (Counts, error) {
	g := &gen{r: rand.New(rand.NewPCG(seed, 441200)), w: w, today: today}
	for _, lw := range append(append([]weighted{}, localityWeights...), introducerWeights...) {
		if w.Units[lw.code] == 0 {
			return Counts{}, fmt.Errorf("bench: unit %s missing: load the demo organisation first", lw.code)
		}
	}
	g.invs = investors(g.r, max(50, projects/4))
	var base [3]int64
	for i, t := range []string{"projects", "tracking_records", "project_requests"} {
		if err := d.Reader().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t).Scan(&base[i]); err != nil {
			return Counts{}, err
		}
	}
	ps := make([]*genProject, projects)
	for i := range ps {
		ps[i] = g.project(base[0] + int64(i) + 1)
	}
	allocateTracking(ps, tracking)
	ids := &idSeq{tracking: base[1], request: base[2]}
	var c Counts
	const chunk = 5000
	for from := 0; from < len(ps); from += chunk {
		part := ps[from:min(from+chunk, len(ps))]
		if err := d.InTx(ctx, func(tx *db.Tx) error { return g.write(ctx, tx, part, ids, &c) }); err != nil {
			return c, err
		}
	}
	if d.Dialect == db.Postgres {
		for _, t := range []string{"projects", "tracking_records", "project_requests"} {
			if _, err := d.W.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM `+t+`)))`); err != nil {
				return c, fmt.Errorf("bench: sequence of %s: %w", t, err)
			}
		}
	}
	return c, nil
}

type idSeq struct{ tracking, request int64 }

type intro struct {
	unit int64
	bp   int
}

// genProject is one generated project row and what hangs off it.
type genProject struct {
	id                                                 int64
	code, name, investor, uscc, industry, chain        string
	contract, fixed, foreign, funds, land, output, tax int64
	jobs                                               int
	isForeign, isKey                                   bool
	region, channel, referrer, tags                    string
	stage, status, reason                              string
	dates                                              [6]civil.Date // lead … production
	owner, createdBy                                   int64
	locality, leader, introOfficer, locOfficer         int64 // 0: none
	hoStatus                                           string
	hoTo                                               int64
	hoSent, hoDeadline, hoDecided                      civil.Date
	lastActivity, lastTracking                         civil.Date
	updatedAt                                          time.Time
	introducers                                        []intro
	nTracking                                          int
}

var stageNames = []string{"lead", "negotiating", "signed", "registered", "construction", "production"}

func (g *gen) project(id int64) *genProject {
	r := g.r
	inv := g.invs[r.IntN(len(g.invs))]
	sec := sectors[inv.sector]
	p := &genProject{id: id, investor: inv.name, uscc: inv.uscc, industry: sec.industry, name: projectName(r, inv),
		chain: []string{"build", "fill", "strengthen", ""}[r.IntN(4)], region: inv.region, isForeign: inv.foreign,
		channel: pick(r, channelWeights), jobs: 20 + r.IntN(1500), hoStatus: "none"}
	if r.IntN(10) == 0 {
		p.region = places[r.IntN(len(places))].region
	}
	p.dates[0] = g.leadDay()
	p.code = fmt.Sprintf("XM-%s-%06d", p.dates[0].String()[:4], id)
	g.amounts(p)
	g.units(p)
	g.progress(p)
	g.people(p)
	g.tag(p, sec)
	if strings.Contains("hometown business_referral intermediary", p.channel) {
		p.referrer = referrers[r.IntN(len(referrers))]
	}
	return p
}

func (g *gen) leadDay() civil.Date {
	total := 0
	for _, y := range yearWeights {
		total += y.w
	}
	n, year := g.r.IntN(total), 2019
	for _, y := range yearWeights {
		if n < y.w {
			year = y.year
			break
		}
		n -= y.w
	}
	start := civil.MustParse(fmt.Sprintf("%d-01-01", year))
	end := civil.MustParse(fmt.Sprintf("%d-12-31", year))
	if last := g.today.AddDays(-3); end.After(last) {
		end = last
	}
	return start.AddDays(g.r.IntN(end.DaysSince(start) + 1))
}

// amounts: many small projects, some large, a few over 100亿 (R1's bands).
// Stored as hundredths of 万元.
func (g *gen) amounts(p *genProject) {
	r := g.r
	var wan int
	switch x := r.IntN(100); {
	case x < 2:
		wan = 1_000_000 + r.IntN(1_500_001)
	case x < 12:
		wan = 100_000 + r.IntN(400_000)
	case x < 45:
		wan = 20_000 + r.IntN(80_000)
	default:
		wan = 1_000 + r.IntN(19_000)
	}
	p.contract = int64(wan)*100 + int64(r.IntN(100))
	p.fixed = p.contract * int64(60+r.IntN(35)) / 100
	p.output = p.contract * int64(80+r.IntN(120)) / 100
	p.tax = p.output * int64(3+r.IntN(5)) / 100
	p.land = int64(10+r.IntN(400)) * 100
	if p.isForeign {
		p.foreign = p.contract / 7
	}
}

// units: a locality brings in 45% of projects itself; otherwise a working
// group, department or office away does, sharing credit with the locality
// a third of the time.
func (g *gen) units(p *genProject) {
	r, u := g.r, g.w.Units
	loc := u[pick(r, localityWeights)]
	p.locality = loc
	if r.IntN(100) < 45 {
		p.owner, p.introducers = loc, []intro{{loc, 10000}}
		return
	}
	code := pick(r, introducerWeights)
	p.owner = u[code]
	if strings.HasPrefix(code, "AWAY-") && r.IntN(2) == 0 {
		p.channel = "office_away"
	}
	switch x := r.IntN(100); {
	case x < 25:
		p.introducers = []intro{{p.owner, 5000}, {loc, 5000}}
	case x < 33:
		other := u[pick(r, introducerWeights)]
		if other == p.owner {
			p.introducers = []intro{{p.owner, 6000}, {loc, 4000}}
		} else {
			p.introducers = []intro{{p.owner, 4000}, {other, 3000}, {loc, 3000}}
		}
	default:
		p.introducers = []intro{{p.owner, 10000}}
	}
}

// progress moves the project along its stages with plausible gaps, puts
// old stalled ones on hold or ends them, and decides when it was last worked on.
func (g *gen) progress(p *genProject) {
	r, today := g.r, g.today
	steps := [5]struct{ minGap, span, chance int }{{7, 60, 88}, {20, 150, 76}, {30, 200, 78}, {30, 240, 75}, {120, 400, 72}}
	last := 0
	for i, st := range steps {
		next := p.dates[i].AddDays(st.minGap + r.IntN(st.span))
		if next.After(today) || r.IntN(100) >= st.chance {
			break
		}
		p.dates[i+1], last = next, i+1
	}
	p.stage = stageNames[last]
	reached := p.dates[last]
	age := today.DaysSince(reached)
	p.status = "active"
	if last < 5 {
		x := r.IntN(100)
		switch {
		case age > 365 && x < 55, age <= 365 && x < 3:
			p.status, p.reason = "terminated", terminateReasons[r.IntN(len(terminateReasons))]
		case age > 365 && x < 70, age <= 365 && x < 7:
			p.status, p.reason = "on_hold", holdReasons[r.IntN(len(holdReasons))]
		}
	}
	switch {
	case p.status != "active": // worked on until it was stopped
		p.lastActivity = reached.AddDays(r.IntN(max(1, min(age, 240))))
	case last == 5: // in production: visits taper off
		p.lastActivity = reached.AddDays(r.IntN(max(1, min(age, 365))))
	case age > 365 || r.IntN(100) < 10: // stalled
		p.lastActivity = reached.AddDays(r.IntN(max(1, min(age, 300))))
	default:
		p.lastActivity = today.AddDays(-r.IntN(60))
	}
	if p.lastActivity.Before(reached) {
		p.lastActivity = reached
	}
	if p.lastActivity.After(today) {
		p.lastActivity = today
	}
	if last >= 3 { // registered: money arrives
		p.funds = p.contract * int64(10+r.IntN(90)) / 100
	}
	g.handover(p)
	at := p.lastActivity
	if p.hoDecided.After(at) {
		at = p.hoDecided
	}
	p.updatedAt = dayTime(at, 8+r.IntN(10), r.IntN(60))
}

// handover: a project brought in by other than a locality goes to its
// locality once negotiations start; recent ones may still wait for an answer.
func (g *gen) handover(p *genProject) {
	r := g.r
	if p.owner == p.locality || p.dates[1].IsZero() {
		return
	}
	p.hoTo = p.locality
	p.hoSent = p.dates[1].AddDays(r.IntN(30))
	if p.hoSent.After(g.today) {
		p.hoSent = g.today
	}
	p.hoDeadline = p.hoSent.AddDays(15)
	switch {
	case g.today.DaysSince(p.hoSent) < 45 && r.IntN(100) < 50:
		p.hoStatus = "pending"
	case r.IntN(100) < 4:
		p.hoStatus, p.hoDecided = "declined", p.hoSent.AddDays(1+r.IntN(14))
	default:
		p.hoStatus, p.hoDecided = "accepted", p.hoSent.AddDays(1+r.IntN(14))
	}
	if p.hoDecided.After(g.today) {
		p.hoDecided = g.today
	}
}

func (g *gen) people(p *genProject) {
	r, w := g.r, g.w
	first := func(unit int64) int64 {
		if us := w.UnitUsers[unit]; len(us) > 0 {
			return us[r.IntN(len(us))]
		}
		return 0
	}
	p.createdBy = first(p.owner)
	if p.createdBy == 0 {
		p.createdBy = w.Users["zsb_staff"]
	}
	p.isKey = p.contract >= 100_000_00 || r.IntN(100) < 3
	if p.isKey || r.IntN(100) < 25 {
		p.introOfficer, p.locOfficer = first(p.owner), first(p.locality)
	}
	if p.isKey {
		p.leader = w.Users["leader"]
	}
}

func (g *gen) tag(p *genProject, sec sector) {
	var tags []string
	if sec.highTech && g.r.IntN(2) == 0 {
		tags = append(tags, "high_tech")
	}
	if g.r.IntN(100) < 2 {
		tags = append(tags, "incubator")
	}
	if g.r.IntN(100) < 3 {
		tags = append(tags, "talent")
	}
	if p.isKey {
		tags = append(tags, "key_project")
	}
	p.tags = strings.Join(tags, ",")
}

// allocateTracking shares total records over the projects, more to those
// worked on longer, so that the counts add up exactly.
func allocateTracking(ps []*genProject, total int) {
	weights := make([]float64, len(ps))
	sum := 0.0
	for i, p := range ps {
		w := 1 + float64(p.lastActivity.DaysSince(p.dates[0]))/45
		if p.status == "terminated" {
			w /= 2
		}
		weights[i], sum = w, sum+w
	}
	cum, prev := 0.0, 0
	for i, p := range ps {
		cum += weights[i]
		upto := int(float64(total)*cum/sum + 0.5)
		if i == len(ps)-1 {
			upto = total
		}
		p.nTracking, prev = upto-prev, upto
		if p.nTracking > 0 {
			p.lastTracking = p.lastActivity
		}
	}
}

func dayTime(d civil.Date, hour, minute int) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, d.String(), civil.Shanghai)
	return t.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute).UTC()
}

// Populate gives a fresh database the demo organisation and dictionary and
// generates projects and tracking records on it, for tests that need a
// city's worth of varied projects.
func Populate(ctx context.Context, d *db.DB, projects, tracking int, today civil.Date, seed uint64) (*app.App, World, error) {
	a := app.New(d, app.Config{AdminPassword: adminPassword, DemoPassword: benchPassword, Auth: auth.Defaults()})
	if _, err := a.Org.Bootstrap(ctx, adminPassword, demo.Since); err != nil {
		return nil, World{}, err
	}
	if err := a.Dict.Seed(ctx); err != nil {
		return nil, World{}, err
	}
	units, err := demo.LoadOrg(ctx, a.Org, benchPassword)
	if err != nil {
		return nil, World{}, err
	}
	w, err := LoadWorld(ctx, d.Reader(), units)
	if err != nil {
		return nil, World{}, err
	}
	_, err = Generate(ctx, d, w, projects, tracking, today, seed)
	return a, w, err
}
