package project

import (
	"context"
	"sort"

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

// warningRules: one query per rule, each giving project, since and detail.
// Thresholds arrive as dates computed in Go, so the SQL is the same in both
// dialects; each rule's condition matches a partial index (migration 7), so
// counting and the first page need not read every project.
var warningRules = []struct {
	rule, since, detail, join, where string
	args                             func(cfg WarningSettings, today civil.Date) []any
}{
	{"signed_not_registered", "p.signed_on", "''", "", "p.status = 'active' AND p.stage = 'signed' AND p.signed_on <= ?",
		func(c WarningSettings, t civil.Date) []any { return []any{t.AddMonths(-c.SignedNotRegisteredMonths)} }},
	{"registered_no_construction", "p.registered_on", "''", "", "p.status = 'active' AND p.stage = 'registered' AND p.registered_on <= ?",
		func(c WarningSettings, t civil.Date) []any {
			return []any{t.AddMonths(-c.RegisteredNoConstructionMonths)}
		}},
	{"no_tracking", "COALESCE(p.last_tracking_on, p.lead_on)", "''", "",
		"p.status = 'active' AND p.stage <> 'production' AND COALESCE(p.last_tracking_on, p.lead_on) <= ?",
		func(c WarningSettings, t civil.Date) []any { return []any{t.AddDays(-c.NoTrackingDays)} }},
	{"handover_overdue", "p.handover_deadline", "''", "", "p.handover_status = 'pending' AND p.handover_deadline < ?",
		func(c WarningSettings, t civil.Date) []any { return []any{t} }},
	{"request_overdue", "r.deadline", "r.title", " JOIN project_requests r ON r.project_id = p.id", "r.status = 'open' AND r.deadline < ?",
		func(c WarningSettings, t civil.Date) []any { return []any{t} }},
}

// Warnings lists every warning in the actor's scope (all rules, or one; of
// one project when projectID > 0), longest-standing first.
func (s *Service) Warnings(ctx context.Context, a *org.Actor, rule string, projectID int64) ([]Warning, error) {
	out, _, err := s.WarningsPage(ctx, a, rule, projectID, 0, 0)
	return out, err
}

// WarningsPage is one page of warnings (limit 0: all) and their total. Each
// rule is counted, and its first offset+limit rows read, separately; the
// pages are merged in Go.
func (s *Service) WarningsPage(ctx context.Context, a *org.Actor, rule string, projectID int64, limit, offset int) ([]Warning, int, error) {
	q := s.DB.Reader()
	cfg, err := s.settings(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	today := s.today()
	cond, scopeArgs := scopeSQL(a)
	out, total := []Warning{}, 0
	for _, r := range warningRules {
		if rule != "" && rule != r.rule {
			continue
		}
		where, args := r.where+" AND "+cond, append(r.args(cfg, today), scopeArgs...)
		if projectID > 0 {
			where, args = where+" AND p.id = ?", append(args, projectID)
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p`+r.join+` WHERE `+where, args...).Scan(&n); err != nil {
			return nil, 0, errs.Wrap(err, "count warnings "+r.rule)
		}
		total += n
		query := `SELECT p.id, p.name, p.code, COALESCE(lu.name, ou.name), ` + r.since + `, ` + r.detail + ` FROM projects p` + r.join +
			` JOIN units ou ON ou.id = p.owner_unit_id LEFT JOIN units lu ON lu.id = p.locality_unit_id WHERE ` + where + ` ORDER BY ` + r.since + `, p.id`
		if limit > 0 {
			query, args = query+` LIMIT ?`, append(args, offset+limit)
		}
		ws, err := s.scanWarnings(ctx, q, r.rule, query, args, today)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, ws...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Days != out[j].Days {
			return out[i].Days > out[j].Days
		}
		return out[i].ProjectID < out[j].ProjectID
	})
	if limit > 0 {
		out = out[min(offset, len(out)):min(offset+limit, len(out))]
	}
	return out, total, nil
}

func (s *Service) scanWarnings(ctx context.Context, q db.Querier, rule, query string, args []any, today civil.Date) ([]Warning, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Wrap(err, "warnings "+rule)
	}
	defer rows.Close()
	var out []Warning
	for rows.Next() {
		w := Warning{Rule: rule}
		if err := rows.Scan(&w.ProjectID, &w.ProjectName, &w.ProjectCode, &w.UnitName, &w.Since, &w.Detail); err != nil {
			return nil, errs.Wrap(err, "scan warning")
		}
		w.Days = today.DaysSince(w.Since)
		out = append(out, w)
	}
	return out, errs.Wrap(rows.Err(), "warnings "+rule)
}

func (s *Service) projectWarnings(ctx context.Context, a *org.Actor, id int64) ([]Warning, error) {
	return s.Warnings(ctx, a, "", id)
}
