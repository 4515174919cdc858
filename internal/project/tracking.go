package project

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// TrackingRecord is an officer's record of a visit, call or meeting.
type TrackingRecord struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	On        civil.Date `json:"on"`
	Summary   string     `json:"summary"`
	NextStep  string     `json:"next_step"`
	NextOn    civil.Date `json:"next_on"`
	ByName    string     `json:"by_name"`
	CreatedAt time.Time  `json:"created_at"`
}

// TrackingInput is the request to add one.
type TrackingInput struct {
	Kind     string     `json:"kind"`
	On       civil.Date `json:"on"`
	Summary  string     `json:"summary"`
	NextStep string     `json:"next_step"`
	NextOn   civil.Date `json:"next_on"`
}

func (in *TrackingInput) validate(today civil.Date) error {
	var v errs.Validation
	if !contains([]string{"visit", "call", "meeting"}, in.Kind) {
		v.Add("kind", "应为走访、电话或会谈", "visit, call or meeting")
	}
	if in.On.IsZero() || in.On.After(today) {
		v.Add("on", "日期必填且不能晚于今天", "required, not in the future")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Summary)); n == 0 || n > 2000 {
		v.Add("summary", "内容必填，最多 2000 字", "required, at most 2000 characters")
	}
	if !in.NextOn.IsZero() && in.NextOn.Before(in.On) {
		v.Add("next_on", "下一步日期不能早于记录日期", "cannot be before the record's date")
	}
	return v.Err()
}

// Track adds a tracking record and moves the project's last-tracked day.
func (s *Service) Track(ctx context.Context, a *org.Actor, projectID int64, in TrackingInput) (TrackingRecord, error) {
	if err := in.validate(s.today()); err != nil {
		return TrackingRecord{}, err
	}
	var out TrackingRecord
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := s.get(ctx, tx, a, projectID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO tracking_records (project_id, kind, on_date, summary, next_step, next_on, by_user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, projectID, in.Kind, in.On, in.Summary, in.NextStep, in.NextOn, db.NullID(a.UserID), s.now()).Scan(&id)
		if err != nil {
			return errs.Wrap(err, "insert tracking record")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET last_tracking_on = ? WHERE id = ? AND (last_tracking_on IS NULL OR last_tracking_on < ?)`,
			in.On, projectID, in.On); err != nil {
			return errs.Wrap(err, "last tracking")
		}
		if err := stamp(ctx, tx, projectID, projectID); err != nil {
			return err
		}
		out = TrackingRecord{ID: id, Kind: in.Kind, On: in.On, Summary: in.Summary, NextStep: in.NextStep, NextOn: in.NextOn, ByName: a.DisplayName, CreatedAt: s.now()}
		return audit.Append(ctx, tx, a.Entry("project.track", "project", projectID, nil, out))
	})
	return out, err
}

// TrackingRecords lists a project's records, newest first.
func (s *Service) TrackingRecords(ctx context.Context, a *org.Actor, projectID int64) ([]TrackingRecord, error) {
	q := s.DB.Reader()
	if _, err := s.get(ctx, q, a, projectID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.kind, t.on_date, t.summary, t.next_step, t.next_on, COALESCE(u.display_name, ''), t.created_at
		FROM tracking_records t LEFT JOIN users u ON u.id = t.by_user_id WHERE t.project_id = ? ORDER BY t.on_date DESC, t.id DESC`, projectID)
	if err != nil {
		return nil, errs.Wrap(err, "list tracking records")
	}
	defer rows.Close()
	out := []TrackingRecord{}
	for rows.Next() {
		var t TrackingRecord
		if err := rows.Scan(&t.ID, &t.Kind, &t.On, &t.Summary, &t.NextStep, &t.NextOn, &t.ByName, &t.CreatedAt); err != nil {
			return nil, errs.Wrap(err, "scan tracking record")
		}
		out = append(out, t)
	}
	return out, errs.Wrap(rows.Err(), "list tracking records")
}
