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
	"github.com/zhaoqing/attract/internal/setting"
)

// Warning is a stalled or overdue project (R13), computed from the data each
// time it is asked for, so it can never disagree with the projects.
type Warning struct {
	Rule        string     `json:"rule"`
	ProjectID   int64      `json:"project_id"`
	ProjectName string     `json:"project_name"`
	ProjectCode string     `json:"project_code"`
	UnitName    string     `json:"unit_name"`
	Since       civil.Date `json:"since"`
	Days        int        `json:"days"`
	Detail      string     `json:"detail"`
}

// WarningSettings are the thresholds of the rules.
type WarningSettings struct {
	SignedNotRegisteredMonths      int `json:"signed_not_registered_months"`
	RegisteredNoConstructionMonths int `json:"registered_no_construction_months"`
	NoTrackingDays                 int `json:"no_tracking_days"`
	HandoverDays                   int `json:"handover_days"`
	Version                        int `json:"version"`
}

// DefaultWarnings: six months from signing to registration and from
// registration to construction, sixty days without a tracking record,
// fifteen days to answer a hand-over.
var DefaultWarnings = WarningSettings{SignedNotRegisteredMonths: 6, RegisteredNoConstructionMonths: 6, NoTrackingDays: 60, HandoverDays: 15}

const settingsKey = "project.warnings"

func (s *Service) settings(ctx context.Context, q db.Querier) (WarningSettings, error) {
	cfg := DefaultWarnings
	v, err := setting.Load(ctx, q, settingsKey, &cfg)
	cfg.Version = v
	return cfg, err
}

// keptSettings is settings, kept (unitTrees) while the access generation
// stays: any write to settings moves it.
func (s *Service) keptSettings(ctx context.Context) (WarningSettings, error) {
	gen, err := s.DB.Access(ctx)
	if err != nil {
		return WarningSettings{}, err
	}
	if v, ok := s.trees.get(gen, "settings"); ok {
		return v.(WarningSettings), nil
	}
	cfg, err := s.settings(ctx, s.DB.Reader())
	if err == nil {
		s.trees.put(gen, "settings", cfg)
	}
	return cfg, err
}

// Settings returns the warning thresholds.
func (s *Service) Settings(ctx context.Context) (WarningSettings, error) {
	return s.settings(ctx, s.DB.Reader())
}

// SetSettings changes the thresholds.
func (s *Service) SetSettings(ctx context.Context, a *org.Actor, in WarningSettings) (WarningSettings, error) {
	var v errs.Validation
	for name, n := range map[string]int{"signed_not_registered_months": in.SignedNotRegisteredMonths,
		"registered_no_construction_months": in.RegisteredNoConstructionMonths, "no_tracking_days": in.NoTrackingDays, "handover_days": in.HandoverDays} {
		if n < 1 || n > 3650 {
			v.Add(name, "应为 1–3650 的整数", "must be 1–3650")
		}
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	read := in.Version
	in.Version = 0
	return setting.Update(ctx, s.DB, a.Who(), settingsKey, func(ctx context.Context, q db.Querier) (WarningSettings, int, error) {
		cfg, err := s.settings(ctx, q)
		return cfg, cfg.Version, err
	}, in, read, s.now())
}

// warningRule is a rule's test of a project: whether it is warned about and
// since when. The thresholds are dates, computed once per request.
type warningRule struct {
	rule string
	test func(r *Row, t thresholds) (civil.Date, bool)
}

type thresholds struct{ signed, registered, tracking, today civil.Date }

// warningRules over the projects themselves; overdue requests (a table of
// their own) are read separately. Each condition is the one the rule's
// documentation states (docs/api-projects.md).
var warningRules = []warningRule{
	{"signed_not_registered", func(r *Row, t thresholds) (civil.Date, bool) {
		return r.SignedOn, r.Status == "active" && r.Stage == "signed" && !r.SignedOn.IsZero() && !r.SignedOn.After(t.signed)
	}},
	{"registered_no_construction", func(r *Row, t thresholds) (civil.Date, bool) {
		return r.RegisteredOn, r.Status == "active" && r.Stage == "registered" && !r.RegisteredOn.IsZero() && !r.RegisteredOn.After(t.registered)
	}},
	{"no_tracking", func(r *Row, t thresholds) (civil.Date, bool) {
		since := r.LastTrackingOn
		if since.IsZero() {
			since = r.LeadOn
		}
		return since, r.Status == "active" && r.Stage != "production" && !since.After(t.tracking)
	}},
	{"handover_overdue", func(r *Row, t thresholds) (civil.Date, bool) {
		return r.HandoverDeadline, r.HandoverStatus == "pending" && !r.HandoverDeadline.IsZero() && r.HandoverDeadline.Before(t.today)
	}},
}

// Warnings lists every warning in the actor's scope (all rules, or one; of
// one project when projectID > 0), longest-standing first.
func (s *Service) Warnings(ctx context.Context, a *org.Actor, rule string, projectID int64) ([]Warning, error) {
	out, _, err := s.WarningsPage(ctx, a, rule, projectID, 0, 0)
	return out, err
}

// WarningsPage is one page of warnings (limit 0: all) and their total,
// computed from the mirror (and the open requests past their deadline).
func (s *Service) WarningsPage(ctx context.Context, a *org.Actor, rule string, projectID int64, limit, offset int) ([]Warning, int, error) {
	q := s.DB.Reader()
	cfg, err := s.keptSettings(ctx)
	if err != nil {
		return nil, 0, err
	}
	vis, err := s.visibilityOf(ctx, a)
	if err != nil {
		return nil, 0, err
	}
	names, err := s.unitNames(ctx)
	if err != nil {
		return nil, 0, err
	}
	today := s.today()
	t := thresholds{signed: today.AddMonths(-cfg.SignedNotRegisteredMonths), registered: today.AddMonths(-cfg.RegisteredNoConstructionMonths),
		tracking: today.AddDays(-cfg.NoTrackingDays), today: today}
	withRequests := rule == "" || rule == "request_overdue"
	// Warnings are found as small records without pointers (cheap to sort;
	// there can be tens of thousands), and only the page becomes Warnings.
	type found struct {
		id        int64
		days, seq int32
		pos, req  int32 // the row; the overdue request (index in its requests), or -1
		rule      int8  // index in warningRules; -1 for an overdue request
	}
	var page []Warning
	var reqOf []int64 // by page position: the overdue request's id, or 0
	total := 0
	err = s.mirror.read(ctx, func(rows []*Row, pos map[int64]int) {
		var hits []found
		check := func(i int) { // i: a row the scope sees
			r := rows[i]
			for k, wr := range warningRules {
				if rule == "" || rule == wr.rule {
					if since, ok := wr.test(r, t); ok {
						hits = append(hits, found{r.ID, int32(today.DaysSince(since)), int32(len(hits)), int32(i), -1, int8(k)})
					}
				}
			}
			for k, rq := range r.requests {
				if !withRequests || !rq.deadline.Before(today) {
					break // by deadline: the rest are not overdue either
				}
				hits = append(hits, found{r.ID, int32(today.DaysSince(rq.deadline)), int32(len(hits)), int32(i), int32(k), -1})
			}
		}
		if projectID > 0 {
			if i, ok := pos[projectID]; ok && vis.sees(rows[i]) {
				check(i)
			}
		} else {
			s.mirror.visible(vis, check) // the scope's rows only, from its postings
		}
		// Longest-standing first, then by project, then as found (rule order).
		order := func(a, b found) int {
			if a.days != b.days {
				return cmp.Compare(b.days, a.days)
			}
			if a.id != b.id {
				return cmp.Compare(a.id, b.id)
			}
			return cmp.Compare(a.seq, b.seq)
		}
		total = len(hits)
		if limit > 0 {
			t := topK[found]{k: offset + limit, less: order}
			for _, h := range hits {
				t.push(h)
			}
			hits = t.sorted()
			hits = hits[min(offset, len(hits)):]
		} else {
			slices.SortFunc(hits, order)
		}
		page, reqOf = make([]Warning, len(hits)), make([]int64, len(hits))
		for k, h := range hits {
			r := rows[h.pos]
			unit := names[r.LocalityUnitID]
			if r.LocalityUnitID == 0 {
				unit = names[r.OwnerUnitID]
			}
			w := Warning{ProjectID: r.ID, ProjectName: r.Name, ProjectCode: r.Code, UnitName: unit, Days: int(h.days)}
			if h.rule >= 0 {
				w.Rule = warningRules[h.rule].rule
				w.Since, _ = warningRules[h.rule].test(r, t)
			} else {
				rq := r.requests[h.req]
				w.Rule, w.Since = "request_overdue", rq.deadline
				reqOf[k] = rq.id
			}
			page[k] = w
		}
	})
	if err != nil {
		return nil, 0, err
	}
	// The page's overdue requests are named by their titles, read for the page only.
	var reqIDs []int64
	for _, id := range reqOf {
		if id != 0 {
			reqIDs = append(reqIDs, id)
		}
	}
	titles, err := requestTitles(ctx, q, reqIDs)
	if err != nil {
		return nil, 0, err
	}
	for k, id := range reqOf {
		if id != 0 {
			page[k].Detail = titles[id]
		}
	}
	return page, total, nil
}

// openRequest is an open request as the mirror holds it with its project
// (a request's writes stamp the project), so that the overdue ones are
// found in the scope's rows rather than read city-wide per request.
type openRequest struct {
	id       int64
	deadline civil.Date
}

// loadOpenRequests gives the rows read (out, by id in idx) their open
// requests, by deadline and id.
func loadOpenRequests(ctx context.Context, q db.Querier, out []*Row, idx map[int64]int, cond string, args []any) error {
	if len(out) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT project_id, id, deadline FROM project_requests
		WHERE status = 'open' AND project_id IN (SELECT id FROM projects WHERE `+cond+`) ORDER BY project_id, deadline, id`, args...)
	if err != nil {
		return errs.Wrap(err, "mirror requests")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var r openRequest
		if err := rows.Scan(&pid, &r.id, &r.deadline); err != nil {
			return errs.Wrap(err, "mirror requests")
		}
		if i, ok := idx[pid]; ok {
			out[i].requests = append(out[i].requests, r)
		}
	}
	return errs.Wrap(rows.Err(), "mirror requests")
}

// requestTitles reads the titles of the requests on a page of warnings.
func requestTitles(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, `SELECT id, title FROM project_requests WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "request titles")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, errs.Wrap(err, "request titles")
		}
		out[id] = title
	}
	return out, errs.Wrap(rows.Err(), "request titles")
}

// unitNames is every unit's name by id, kept (unitTrees) while the access
// generation stays; the map is never changed.
func (s *Service) unitNames(ctx context.Context) (map[int64]string, error) {
	gen, err := s.DB.Access(ctx)
	if err != nil {
		return nil, err
	}
	if v, ok := s.trees.get(gen, "names"); ok {
		return v.(map[int64]string), nil
	}
	names, err := unitNamesFrom(ctx, s.DB.Reader())
	if err == nil {
		s.trees.put(gen, "names", names)
	}
	return names, err
}

func unitNamesFrom(ctx context.Context, q db.Querier) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM units`)
	if err != nil {
		return nil, errs.Wrap(err, "unit names")
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, errs.Wrap(err, "unit names")
		}
		out[id] = name
	}
	return out, errs.Wrap(rows.Err(), "unit names")
}

func (s *Service) projectWarnings(ctx context.Context, a *org.Actor, id int64) ([]Warning, error) {
	return s.Warnings(ctx, a, "", id)
}
