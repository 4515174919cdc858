package project

import (
	"context"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// An assignment is work a unit is asked to do on a project that may lie
// outside its data scope: an enterprise request it owns, an approval step
// it handles, a hand-over to it. The unit (and the units below it) sees
// the item and the few project facts it needs to act — code, name,
// investor, landing locality, stage — and may act on the item, without
// gaining the rest of the project's data.
type Assignment struct {
	Kind     string         `json:"kind"` // request, approval, handover
	ID       int64          `json:"id"`   // the request's or approval step's id; the project's for a hand-over
	Title    string         `json:"title"`
	UnitID   int64          `json:"unit_id"`
	UnitName string         `json:"unit_name"`
	Deadline civil.Date     `json:"deadline"`
	Status   string         `json:"status"`
	Version  int            `json:"version"`
	Project  AssignedFacts  `json:"project"`
	Overdue  bool           `json:"overdue"`
	Extra    map[string]any `json:"extra,omitempty"`
}

// AssignedFacts are the project facts an assigned unit is shown.
type AssignedFacts struct {
	ID               int64  `json:"id"`
	Code             string `json:"code"`
	Name             string `json:"name"`
	InvestorName     string `json:"investor_name"`
	LocalityUnitName string `json:"locality_unit_name"`
	Stage            string `json:"stage"`
	InScope          bool   `json:"in_scope"` // the caller may open the project itself
}

// assignedSQL: the unit column names the caller's unit or one below it.
func assignedSQL(a *org.Actor, col string) (string, []any) {
	if a == nil || a.UnitPath == "" {
		return "1=0", nil
	}
	return col + " IN (SELECT id FROM units WHERE path LIKE ?)", []any{a.UnitPath + "%"}
}

// Assignments lists the open work assigned to the caller's unit (and
// below): requests not yet resolved, approval steps pending or in
// progress, hand-overs awaiting acceptance; by deadline.
func (s *Service) Assignments(ctx context.Context, a *org.Actor, kind string) ([]Assignment, error) {
	if kind != "" && kind != "request" && kind != "approval" && kind != "handover" {
		return nil, errs.E(errs.Invalid, "类型应为 request、approval 或 handover", "kind is request, approval or handover").Field("kind", "取值无效", "invalid")
	}
	q := s.DB.Reader()
	scope, sargs := scopeSQL(a)
	facts := `p.id, p.code, p.name, p.investor_name, COALESCE(lu.name, ''), p.stage, CASE WHEN ` + scope + ` THEN 1 ELSE 0 END`
	from := ` JOIN projects p ON p.id = x.project_id LEFT JOIN units lu ON lu.id = p.locality_unit_id JOIN units au ON au.id = x.unit_id`
	queries := map[string]string{
		"request": `SELECT 'request', x.id, x.title, x.unit_id, au.name, x.deadline, x.status, x.version, ` + facts + ` FROM
			(SELECT id, project_id, title, owner_unit_id AS unit_id, deadline, status, version FROM project_requests WHERE status = 'open') x` + from,
		"approval": `SELECT 'approval', x.id, x.kind, x.unit_id, au.name, x.deadline, x.status, x.version, ` + facts + ` FROM
			(SELECT id, project_id, kind, unit_id, submitted_on AS deadline, status, version FROM project_approvals WHERE status IN ('pending', 'in_progress')) x` + from,
		"handover": `SELECT 'handover', x.id, '', x.unit_id, au.name, x.deadline, x.status, x.version, ` + facts + ` FROM
			(SELECT id, id AS project_id, handover_to_unit_id AS unit_id, handover_deadline AS deadline, handover_status AS status, version
			 FROM projects WHERE handover_status = 'pending') x` + from,
	}
	out := []Assignment{}
	for _, k := range []string{"request", "approval", "handover"} {
		if kind != "" && kind != k {
			continue
		}
		cond, args := assignedSQL(a, "x.unit_id")
		rows, err := q.QueryContext(ctx, queries[k]+` WHERE `+cond+` ORDER BY x.deadline, x.id LIMIT 500`, append(append([]any{}, sargs...), args...)...)
		if err != nil {
			return nil, errs.Wrap(err, "assignments")
		}
		for rows.Next() {
			var it Assignment
			var in int
			f := &it.Project
			if err := rows.Scan(&it.Kind, &it.ID, &it.Title, &it.UnitID, &it.UnitName, &it.Deadline, &it.Status, &it.Version,
				&f.ID, &f.Code, &f.Name, &f.InvestorName, &f.LocalityUnitName, &f.Stage, &in); err != nil {
				rows.Close()
				return nil, errs.Wrap(err, "assignments")
			}
			f.InScope = in == 1
			if k == "approval" {
				it.Deadline = civil.Date{} // approval steps carry no deadline; submitted_on sorted them
			}
			it.Overdue = !it.Deadline.IsZero() && it.Deadline.Before(s.today())
			out = append(out, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, errs.Wrap(err, "assignments")
		}
	}
	return out, nil
}

// assignedTo reports whether unit (an item's) is the caller's unit or below it.
func assignedTo(ctx context.Context, q db.Querier, a *org.Actor, unit *int64) (bool, error) {
	if unit == nil {
		return false, nil
	}
	cond, args := assignedSQL(a, "id")
	return db.Exists(ctx, q, `SELECT COUNT(*) FROM units WHERE id = ? AND `+cond, append([]any{*unit}, args...)...)
}
