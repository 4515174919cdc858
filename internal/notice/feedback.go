package notice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/setting"
)

// Schedule says when feedback reports are due: a month's report by day
// DueDay of the next month, from every active unit of the listed kinds.
type Schedule struct {
	DueDay    int      `json:"due_day"`
	UnitKinds []string `json:"unit_kinds"`
	Version   int      `json:"version"`
}

// DefaultSchedule: working groups, counties/districts, parks and offices
// away report by the 5th.
var DefaultSchedule = Schedule{DueDay: 5, UnitKinds: []string{org.KindWorkingGroup, org.KindLocality, org.KindPark, org.KindOfficeAway}}

const scheduleKey = "feedback.schedule"

func (s *Service) schedule(ctx context.Context, q db.Querier) (Schedule, error) {
	cfg := DefaultSchedule
	cfg.UnitKinds = append([]string{}, DefaultSchedule.UnitKinds...)
	v, err := setting.Load(ctx, q, scheduleKey, &cfg)
	cfg.Version = v
	return cfg, err
}

// Schedule returns the feedback schedule.
func (s *Service) Schedule(ctx context.Context) (Schedule, error) {
	return s.schedule(ctx, s.DB.Reader())
}

// SetSchedule changes it.
func (s *Service) SetSchedule(ctx context.Context, a *org.Actor, in Schedule) (Schedule, error) {
	var v errs.Validation
	if in.DueDay < 1 || in.DueDay > 28 {
		v.Add("due_day", "应为 1–28", "must be 1–28")
	}
	if len(in.UnitKinds) == 0 {
		v.Add("unit_kinds", "至少选择一类单位", "choose at least one kind of unit")
	}
	for _, k := range in.UnitKinds {
		if _, ok := org.UnitKinds[k]; !ok {
			v.Add("unit_kinds", "单位类型无效："+k, "unknown unit kind: "+k)
		}
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	read := in.Version
	in.Version = 0
	return setting.Update(ctx, s.DB, a.Who(), scheduleKey, func(ctx context.Context, q db.Querier) (Schedule, int, error) {
		cfg, err := s.schedule(ctx, q)
		return cfg, cfg.Version, err
	}, in, read, s.now())
}

// Period is a month, YYYY-MM.
type Period struct{ Year, Month int }

// ParsePeriod reads YYYY-MM.
func ParsePeriod(s string) (Period, error) {
	var p Period
	if len(s) != 7 || s[4] != '-' {
		return p, errs.E(errs.Invalid, "月份格式应为 YYYY-MM", "the period is YYYY-MM").Field("period", "格式应为 YYYY-MM", "must be YYYY-MM")
	}
	d, err := civil.Parse(s + "-01")
	if err != nil {
		return p, errs.E(errs.Invalid, "月份格式应为 YYYY-MM", "the period is YYYY-MM").Field("period", "格式应为 YYYY-MM", "must be YYYY-MM")
	}
	return Period{d.Year(), d.Month()}, nil
}

func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, p.Month) }

// Due is the day a period's report is due under a schedule.
func (p Period) Due(cfg Schedule) civil.Date {
	return civil.MustParse(fmt.Sprintf("%04d-%02d-01", p.Year, p.Month)).AddMonths(1).AddDays(cfg.DueDay - 1)
}

// Report is a unit's monthly situation report.
type Report struct {
	ID          int64      `json:"id"`
	UnitID      int64      `json:"unit_id"`
	UnitName    string     `json:"unit_name"`
	Period      string     `json:"period"`
	Situation   string     `json:"situation"`
	Problems    string     `json:"problems"`
	HelpNeeded  string     `json:"help_needed"`
	SubmittedBy string     `json:"submitted_by_name"`
	SubmittedOn civil.Date `json:"submitted_on"`
	DueOn       civil.Date `json:"due_on"`
	Late        bool       `json:"late"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// ReportInput submits or edits a report; the unit defaults to the caller's.
type ReportInput struct {
	UnitID     int64  `json:"unit_id"`
	Period     string `json:"period"`
	Situation  string `json:"situation"`
	Problems   string `json:"problems"`
	HelpNeeded string `json:"help_needed"`
	Version    int    `json:"version"`
}

// Validate checks the request.
func (in *ReportInput) Validate() error {
	var v errs.Validation
	if _, err := ParsePeriod(in.Period); err != nil {
		v.Add("period", "格式应为 YYYY-MM", "must be YYYY-MM")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Situation)); n == 0 || n > 5000 {
		v.Add("situation", "工作情况必填，最多 5000 字", "required, at most 5,000 characters")
	}
	for name, s := range map[string]string{"problems": in.Problems, "help_needed": in.HelpNeeded} {
		if utf8.RuneCountInString(s) > 5000 {
			v.Add(name, "最多 5000 字", "at most 5,000 characters")
		}
	}
	return v.Err()
}

const reportCols = `f.id, f.unit_id, u.name, f.period, f.situation, f.problems, f.help_needed, COALESCE(us.display_name, ''),
	f.submitted_on, f.version, f.created_at, f.updated_at`

const reportFrom = ` FROM feedback_reports f JOIN units u ON u.id = f.unit_id LEFT JOIN users us ON us.id = f.submitted_by`

func scanReport(sc interface{ Scan(...any) error }, cfg Schedule) (Report, error) {
	var r Report
	err := sc.Scan(&r.ID, &r.UnitID, &r.UnitName, &r.Period, &r.Situation, &r.Problems, &r.HelpNeeded, &r.SubmittedBy,
		&r.SubmittedOn, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if p, perr := ParsePeriod(r.Period); err == nil && perr == nil {
		r.DueOn = p.Due(cfg)
		r.Late = r.SubmittedOn.After(r.DueOn)
	}
	return r, err
}

func (s *Service) getReport(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Report, error) {
	cfg, err := s.schedule(ctx, q)
	if err != nil {
		return Report{}, err
	}
	cond, args := a.ScopeSQL("f.unit_id", "f.submitted_by")
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportCols+reportFrom+` WHERE f.id = ? AND `+cond, append([]any{id}, args...)...), cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFoundf("工作反馈", "feedback report")
	}
	return r, errs.Wrap(err, "get feedback report")
}

// Submit records a unit's report for a month (one per unit and month).
func (s *Service) Submit(ctx context.Context, a *org.Actor, in ReportInput) (Report, error) {
	if in.UnitID == 0 {
		in.UnitID = a.UnitID
	}
	if err := in.Validate(); err != nil {
		return Report{}, err
	}
	var out Report
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		cond, args := a.ScopeSQL("id", "")
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active' AND `+cond, append([]any{in.UnitID}, args...)...).Scan(&n); err != nil {
			return errs.Wrap(err, "check unit")
		}
		if n == 0 {
			return errs.E(errs.Invalid, "报送单位须为本人数据权限内的在用单位", "the unit must be active and within your scope").Field("unit_id", "单位无效", "invalid unit")
		}
		now := s.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO feedback_reports (unit_id, period, situation, problems, help_needed, submitted_by, submitted_on,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			in.UnitID, in.Period, in.Situation, in.Problems, in.HelpNeeded, db.NullID(a.UserID), civil.Of(s.Now()), now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "该单位本月已报送，请修改已报送的反馈", "this unit has already reported for the month; edit that report").
				Field("period", "本月已报送", "already reported")
		}
		if err != nil {
			return errs.Wrap(err, "insert feedback report")
		}
		if out, err = s.getReport(ctx, tx, &org.Actor{Scope: org.ScopeAll}, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("feedback.submit", "feedback_report", id, nil, out))
	})
	return out, err
}

// Revise edits a report in scope; the unit and period stay.
func (s *Service) Revise(ctx context.Context, a *org.Actor, id int64, in ReportInput) (Report, error) {
	var out Report
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := s.getReport(ctx, tx, a, id)
		if err != nil {
			return err
		}
		in.Period = before.Period
		if err := in.Validate(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE feedback_reports SET situation = ?, problems = ?, help_needed = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, in.Situation, in.Problems, in.HelpNeeded, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = s.getReport(ctx, tx, a, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("feedback.revise", "feedback_report", id, before, out))
	})
	return out, err
}

// Reports lists the reports of a period (or all) in scope, newest first.
func (s *Service) Reports(ctx context.Context, a *org.Actor, period string, limit, offset int) ([]Report, int, error) {
	q := s.DB.Reader()
	cfg, err := s.schedule(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	var w db.Where
	cond, args := a.ScopeSQL("f.unit_id", "f.submitted_by")
	w.Add(cond, args...)
	if period != "" {
		w.Add("f.period = ?", period)
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback_reports f`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "count feedback")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+reportCols+reportFrom+w.SQL()+` ORDER BY f.period DESC, u.sort, u.id LIMIT ? OFFSET ?`, append(w.Args(), limit, offset)...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "list feedback")
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		r, err := scanReport(rows, cfg)
		if err != nil {
			return nil, 0, errs.Wrap(err, "scan feedback")
		}
		out = append(out, r)
	}
	return out, total, errs.Wrap(rows.Err(), "list feedback")
}

// UnitStatus is one expected reporter of a period and where its report stands:
// on_time, late (submitted after the due day), missing (due day passed,
// nothing submitted) or pending (not yet due).
type UnitStatus struct {
	UnitID      int64      `json:"unit_id"`
	UnitName    string     `json:"unit_name"`
	UnitKind    string     `json:"unit_kind"`
	State       string     `json:"state"`
	ReportID    *int64     `json:"report_id"`
	SubmittedOn civil.Date `json:"submitted_on"`
}

// Status is a period's collection: the due day and each expected unit.
type Status struct {
	Period string       `json:"period"`
	DueOn  civil.Date   `json:"due_on"`
	Units  []UnitStatus `json:"units"`
	Late   int          `json:"late"`
}

// PeriodStatus lists the expected units in scope for a period with the
// state of their report; late and missing ones first.
func (s *Service) PeriodStatus(ctx context.Context, a *org.Actor, period string) (Status, error) {
	p, err := ParsePeriod(period)
	if err != nil {
		return Status{}, err
	}
	q := s.DB.Reader()
	cfg, err := s.schedule(ctx, q)
	if err != nil {
		return Status{}, err
	}
	out := Status{Period: p.String(), DueOn: p.Due(cfg), Units: []UnitStatus{}}
	kinds := make([]string, len(cfg.UnitKinds))
	args := []any{p.String()}
	for i, k := range cfg.UnitKinds {
		kinds[i] = "?"
		args = append(args, k)
	}
	cond, sargs := a.ScopeSQL("u.id", "")
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.kind, f.id, f.submitted_on FROM units u
		LEFT JOIN feedback_reports f ON f.unit_id = u.id AND f.period = ?
		WHERE u.status = 'active' AND u.kind IN (`+strings.Join(kinds, ",")+`) AND `+cond+` ORDER BY u.sort, u.id`, append(args, sargs...)...)
	if err != nil {
		return out, errs.Wrap(err, "feedback status")
	}
	defer rows.Close()
	today := civil.Of(s.Now())
	var late, rest []UnitStatus
	for rows.Next() {
		var u UnitStatus
		if err := rows.Scan(&u.UnitID, &u.UnitName, &u.UnitKind, &u.ReportID, &u.SubmittedOn); err != nil {
			return out, errs.Wrap(err, "scan feedback status")
		}
		switch {
		case u.ReportID != nil && u.SubmittedOn.After(out.DueOn):
			u.State = "late"
		case u.ReportID != nil:
			u.State = "on_time"
		case today.After(out.DueOn):
			u.State = "missing"
		default:
			u.State = "pending"
		}
		if u.State == "late" || u.State == "missing" {
			late = append(late, u)
		} else {
			rest = append(rest, u)
		}
	}
	out.Late = len(late)
	out.Units = append(append(out.Units, late...), rest...)
	return out, errs.Wrap(rows.Err(), "feedback status")
}
