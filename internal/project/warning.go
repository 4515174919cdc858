package project

import (
	"cmp"
	"context"
	"slices"

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
	cfg, err := s.settings(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	vis, err := visibilityOf(ctx, q, a)
	if err != nil {
		return nil, 0, err
	}
	names, err := unitNames(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	today := s.today()
	t := thresholds{signed: today.AddMonths(-cfg.SignedNotRegisteredMonths), registered: today.AddMonths(-cfg.RegisteredNoConstructionMonths),
		tracking: today.AddDays(-cfg.NoTrackingDays), today: today}
	var reqs []overdueRequest
	if rule == "" || rule == "request_overdue" {
		if reqs, err = overdueRequests(ctx, q, today, projectID); err != nil {
			return nil, 0, err
		}
	}
	// Warnings are found as small records without pointers (cheap to sort;
	// there can be tens of thousands), and only the page becomes Warnings.
	type found struct {
		id        int64
		days, seq int32
		pos, req  int32 // the row; the overdue request, or -1
		rule      int8  // index in warningRules; -1 for an overdue request
	}
	var page []Warning
	total := 0
	err = s.mirror.read(ctx, func(rows []*Row, pos map[int64]int) {
		var hits []found
		check := func(i int) {
			r := rows[i]
			if !vis.sees(r) {
				return
			}
			for k, wr := range warningRules {
				if rule == "" || rule == wr.rule {
					if since, ok := wr.test(r, t); ok {
						hits = append(hits, found{r.ID, int32(today.DaysSince(since)), int32(len(hits)), int32(i), -1, int8(k)})
					}
				}
			}
		}
		if projectID > 0 {
			if i, ok := pos[projectID]; ok {
				check(i)
			}
		} else {
			s.mirror.visible(vis, check) // the scope's rows only, from its postings
		}
		for k, rq := range reqs {
			if i, ok := pos[rq.projectID]; ok && vis.sees(rows[i]) {
				hits = append(hits, found{rq.projectID, int32(today.DaysSince(rq.deadline)), int32(len(hits)), int32(i), int32(k), -1})
			}
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
		page = make([]Warning, len(hits))
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
				w.Rule, w.Since, w.Detail = "request_overdue", reqs[h.req].deadline, reqs[h.req].title
			}
			page[k] = w
		}
	})
	if err != nil {
		return nil, 0, err
	}
	return page, total, nil
}

type overdueRequest struct {
	projectID int64
	deadline  civil.Date
	title     string
}

// overdueRequests are the open requests past their deadline (of one
// project when projectID > 0), by deadline.
func overdueRequests(ctx context.Context, q db.Querier, today civil.Date, projectID int64) ([]overdueRequest, error) {
	query, args := `SELECT project_id, deadline, title FROM project_requests WHERE status = 'open' AND deadline < ?`, []any{today}
	if projectID > 0 {
		query, args = query+` AND project_id = ?`, append(args, projectID)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY deadline, id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "overdue requests")
	}
	defer rows.Close()
	var out []overdueRequest
	for rows.Next() {
		var r overdueRequest
		if err := rows.Scan(&r.projectID, &r.deadline, &r.title); err != nil {
			return nil, errs.Wrap(err, "overdue requests")
		}
		out = append(out, r)
	}
	return out, errs.Wrap(rows.Err(), "overdue requests")
}

func unitNames(ctx context.Context, q db.Querier) (map[int64]string, error) {
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
