package assess

import (
	"context"
	"encoding/json"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/webhook"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// decodeReport reads a closed month's stored report. Completion is stored
// as its display percentage, rounded; it is rebuilt from the exact sums and
// target stored beside it, so that ranks and lists of a closed period are
// those of the exact figures, as when it was open.
func decodeReport(raw string) (Report, error) {
	var r Report
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return r, errs.Wrap(err, "stored report")
	}
	r.City.exact()
	for i := range r.Units {
		r.Units[i].exact()
	}
	return r, nil
}

// Close freezes a month: its report (figures, rules, targets and names as
// they stand) and the project rows behind it. Months close in order, and
// only once they have ended.
func (s *Service) Close(ctx context.Context, a *org.Actor, p Period) (Report, error) {
	if !s.today().After(p.Last()) {
		return Report{}, errs.E(errs.Unprocessable, "只能关账已结束的月份", "only a month that has ended can be closed")
	}
	var rep Report
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPeriods(ctx, tx); err != nil {
			return err
		}
		closed, err := loadClosed(ctx, tx)
		if err != nil {
			return err
		}
		if _, ok := closed.ids[p]; ok {
			return errs.E(errs.Conflict, p.String()+" 已关账", p.String()+" is already closed")
		}
		if !closed.empty() && p != closed.last.Next() {
			next := closed.last.Next().String()
			return errs.E(errs.Unprocessable, "须按月依次关账：下一个应关账的月份是 "+next, "months close in order: the next to close is "+next)
		}
		var byMonth map[Period][]Credit
		if rep, byMonth, err = s.compute(ctx, sqlSource{tx}, p); err != nil {
			return err
		}
		rep.Closed, rep.ClosedAt = true, s.now().Format(time.RFC3339)
		raw, _ := json.Marshal(rep)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO period_closes (year, month, closed_at, closed_by, report_json) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			p.Year, p.Month, s.now(), db.NullID(a.UserID), string(raw)).Scan(&id); err != nil {
			return errs.Wrap(err, "insert close")
		}
		if err := freeze(ctx, tx, id, byMonth[p]); err != nil {
			return err
		}
		figures := map[string]any{"close_id": id, "rows": len(byMonth[p]), "city_ytd_amount": Amount(rep.City.YTD.AmountE4), "city_ytd_count": Count(rep.City.YTD.CountBP)}
		if err := webhook.MonthClosed(ctx, tx, p.String(), figures); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "period.close", ObjectType: "period", ObjectID: p.String(), After: figures})
	})
	return rep, err
}

// lockPeriods serialises closing months and publishing years on
// PostgreSQL (SQLite has one writer).
func lockPeriods(ctx context.Context, tx *db.Tx) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7346002)`)
	return errs.Wrap(err, "period lock")
}

func freeze(ctx context.Context, tx *db.Tx, closeID int64, rows []Credit) error {
	var vals [][]any
	for _, c := range rows {
		vals = append(vals, []any{closeID, c.ProjectID, c.Code, c.Name, c.SignedOn, c.Investment, c.UnitID, c.Role, c.CountBP, c.AmountE4,
			c.ForeignE4, strings.Join(c.Bands, ","), c.Stage, c.Note})
	}
	const per = 200
	one := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	for start := 0; start < len(vals); start += per {
		end := min(start+per, len(vals))
		var args []any
		for _, v := range vals[start:end] {
			args = append(args, v...)
		}
		q := `INSERT INTO period_rows (close_id, project_id, code, name, signed_on, investment, unit_id, role, count_bp, amount_e4, foreign_e4, bands, stage, note) VALUES ` +
			strings.TrimSuffix(strings.Repeat(one+", ", end-start), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return errs.Wrap(err, "freeze rows")
		}
	}
	return nil
}

// Reopen undoes the last close (only the last: later months were built on
// it). It needs the security administrator's right and a reason.
func (s *Service) Reopen(ctx context.Context, a *org.Actor, p Period, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errs.E(errs.Invalid, "请填写重新开账的原因", "a reason is required").Field("reason", "必填", "required")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		closed, err := loadClosed(ctx, tx)
		if err != nil {
			return err
		}
		id, ok := closed.ids[p]
		if !ok {
			return errs.E(errs.Unprocessable, p.String()+" 未关账", p.String()+" is not closed")
		}
		if _, pub, err := loadPublished(ctx, tx, p.Year, false); err != nil || pub {
			if err == nil {
				err = errs.E(errs.Conflict, p.String()+" 所在年度的考评已发布，须先撤销发布", "the evaluation of "+itoa(int64(p.Year))+" is published: reopen it first")
			}
			return err
		}
		if p != closed.last {
			return errs.E(errs.Unprocessable, "只能重新开账最后一个已关账月份（"+closed.last.String()+"）", "only the last closed month ("+closed.last.String()+") can be reopened")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE period_closes SET reopened_at = ?, reopened_by = ?, reason = ? WHERE id = ?`, s.now(), db.NullID(a.UserID), reason, id); err != nil {
			return errs.Wrap(err, "reopen")
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "period.reopen", ObjectType: "period", ObjectID: p.String(),
			After: map[string]any{"close_id": id, "reason": reason}})
	})
}

// Closes lists every close, newest first, reopened ones included.
func (s *Service) Closes(ctx context.Context) ([]CloseInfo, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT c.id, c.year, c.month, c.closed_at, COALESCE(u.display_name, ''), c.reopened_at, c.reason
		FROM period_closes c LEFT JOIN users u ON u.id = c.closed_by ORDER BY c.year DESC, c.month DESC, c.id DESC`)
	if err != nil {
		return nil, errs.Wrap(err, "closes")
	}
	defer rows.Close()
	out := []CloseInfo{}
	for rows.Next() {
		var c CloseInfo
		var p Period
		if err := rows.Scan(&c.ID, &p.Year, &p.Month, &c.ClosedAt, &c.ClosedBy, &c.ReopenedAt, &c.Reason); err != nil {
			return nil, errs.Wrap(err, "closes")
		}
		c.Period = p.String()
		out = append(out, c)
	}
	return out, errs.Wrap(rows.Err(), "closes")
}

// Rows are the credits behind one unit's figure (0: the city) for a month,
// or for the year to that month; with area, only those of projects landing
// in that area (landingAreas; 0: in no county or zone), as the cockpit's
// map splits the figure.
func (s *Service) Rows(ctx context.Context, a *org.Actor, p Period, unitID int64, ytd bool, area *int64) ([]Credit, error) {
	q := sqlSource{s.DB.Reader()} // the rows behind a figure, listed from the table itself
	if unitID == 0 && a.Scope != org.ScopeAll {
		return nil, errs.NotFoundf("统计对象", "figure")
	}
	if unitID != 0 {
		in, err := unitsInScope(ctx, q, a)
		if err != nil {
			return nil, err
		}
		if !in[unitID] {
			return nil, errs.NotFoundf("统计对象", "figure")
		}
	}
	r, err := loadRules(ctx, q, p.Year)
	if err != nil {
		return nil, err
	}
	closed, err := loadClosed(ctx, q)
	if err != nil {
		return nil, err
	}
	from := p.Month
	if ytd {
		from = 1
	}
	byMonth := map[Period][]Credit{}
	for m := from; m <= p.Month; m++ {
		list, err := monthCredits(ctx, q, r, closed, Period{p.Year, m})
		if err != nil {
			return nil, err
		}
		byMonth[Period{p.Year, m}] = list
	}
	var areas map[int64]int64
	if area != nil {
		units, err := loadUnits(ctx, q)
		if err != nil {
			return nil, err
		}
		areas = landingAreas(byMonth, units)
	}
	out := []Credit{}
	for m := from; m <= p.Month; m++ {
		for _, c := range byMonth[Period{p.Year, m}] {
			if c.UnitID == unitID && (area == nil || areas[c.ProjectID] == *area) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Progress is the statistics of the year to a day (R1: progress at any
// date): earlier months as the monthly statistics count them, the day's
// month with the projects signed up to and including the day.
func (s *Service) Progress(ctx context.Context, a *org.Actor, day civil.Date) (Report, error) {
	if day.IsZero() || day.After(s.today()) || day.Year() < 2000 {
		return Report{}, errs.E(errs.Invalid, "截至日期应为今天或以前的日期（YYYY-MM-DD）", "as_of is a day up to today (YYYY-MM-DD)").
			Field("as_of", "应为今天或以前的日期", "a day up to today")
	}
	rep, _, err := s.computeWith(ctx, s.reader(), Period{day.Year(), day.Month()}, nil, day)
	if err != nil {
		return rep, err
	}
	return s.scoped(ctx, a, rep)
}
