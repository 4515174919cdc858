package project

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// TimelineItem is one event on a project's page.
type TimelineItem struct {
	At     time.Time  `json:"at"`
	On     civil.Date `json:"on"`
	Kind   string     `json:"kind"` // transition, tracking, request, audit
	Title  string     `json:"title"`
	Detail string     `json:"detail"`
	By     string     `json:"by"`
}

// Timeline gathers a project's transitions, tracking records, requests and
// audited changes, newest first.
func (s *Service) Timeline(ctx context.Context, a *org.Actor, id int64) ([]TimelineItem, error) {
	q := s.DB.Reader()
	if _, err := s.get(ctx, q, a, id); err != nil {
		return nil, err
	}
	queries := []struct {
		kind, sql string
		arg       any
	}{
		{"transition", `SELECT t.at, t.on_date, t.action, t.from_stage || ' → ' || t.to_stage || CASE WHEN t.reason <> '' THEN '：' || t.reason ELSE '' END ||
			CASE WHEN t.evidence <> '' THEN '（' || t.evidence || '）' ELSE '' END, COALESCE(u.display_name, '')
			FROM project_transitions t LEFT JOIN users u ON u.id = t.by_user_id WHERE t.project_id = ?`, id},
		{"tracking", `SELECT t.created_at, t.on_date, t.kind, t.summary, COALESCE(u.display_name, '')
			FROM tracking_records t LEFT JOIN users u ON u.id = t.by_user_id WHERE t.project_id = ?`, id},
		{"request", `SELECT r.created_at, r.deadline, r.status, r.title, COALESCE(u.display_name, '')
			FROM project_requests r LEFT JOIN users u ON u.id = r.created_by WHERE r.project_id = ?`, id},
		{"audit", `SELECT a.at, NULL, a.action, '', a.username FROM audit_log a
			WHERE a.object_type = 'project' AND a.object_id = ?`, strconv.FormatInt(id, 10)},
	}
	out := []TimelineItem{}
	for _, qq := range queries {
		rows, err := q.QueryContext(ctx, qq.sql, qq.arg)
		if err != nil {
			return nil, errs.Wrap(err, "timeline "+qq.kind)
		}
		for rows.Next() {
			it := TimelineItem{Kind: qq.kind}
			if err := rows.Scan(&it.At, &it.On, &it.Title, &it.Detail, &it.By); err != nil {
				rows.Close()
				return nil, errs.Wrap(err, "scan timeline")
			}
			it.At = it.At.UTC()
			out = append(out, it)
		}
		rows.Close()
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}
