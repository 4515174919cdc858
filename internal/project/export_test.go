package project

import (
	"context"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// sqlSorts are the list's sorts in SQL, for the oracle: the orders of
// sortKeys (mirror_index.go).
var sqlSorts = map[string]string{
	"name": "p.name, p.id", "-name": "p.name DESC, p.id DESC",
	"signed_on": "p.signed_on IS NULL, p.signed_on, p.id", "-signed_on": "p.signed_on IS NULL, p.signed_on DESC, p.id DESC",
	"contract_investment": "p.contract_investment, p.id", "-contract_investment": "p.contract_investment DESC, p.id DESC",
	"updated_at": "p.updated_at, p.id", "-updated_at": "p.updated_at DESC, p.id DESC",
	"code": "p.id", "-code": "p.id DESC", "lead_on": "p.lead_on, p.id", "-lead_on": "p.lead_on DESC, p.id DESC",
}

// where is the Filter as plain SQL, for the oracle only: lists and exports
// read the mirror's selection (mirror_query.go).
func (f Filter) where(a *org.Actor) db.Where {
	var w db.Where
	cond, args := scopeSQL(a)
	w.Add(cond, args...)
	if f.Q != "" {
		// ASCII letters match either case on both engines, as in the mirror.
		like := db.Like(foldASCII(f.Q))
		w.Add(`(LOWER(p.name) LIKE ? ESCAPE '\' OR LOWER(p.investor_name) LIKE ? ESCAPE '\' OR LOWER(p.code) LIKE ? ESCAPE '\')`, like, like, like)
	}
	eq := map[string]string{"p.stage": f.Stage, "p.status": f.Status, "p.channel": f.Channel, "p.source_region": f.SourceRegion}
	for _, col := range []string{"p.stage", "p.status", "p.channel", "p.source_region"} {
		if eq[col] != "" {
			w.Add(col+" = ?", eq[col])
		}
	}
	if f.Industry != "" {
		w.Add(`p.industry_code LIKE ? ESCAPE '\'`, db.Like(f.Industry)[1:])
	}
	if f.Tag != "" {
		w.Add(`(',' || p.tags || ',') LIKE ? ESCAPE '\'`, "%,"+strings.Trim(db.Like(f.Tag), "%")+",%")
	}
	if f.LocalityUnitID > 0 {
		w.Add("p.locality_unit_id = ?", f.LocalityUnitID)
	}
	if f.UnitID > 0 {
		w.Add(`p.id IN (SELECT pu.project_id FROM project_units pu WHERE pu.unit_id IN
			(SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%'))`, f.UnitID)
	}
	if f.Verify == "pending" {
		w.Add("p.verify_status = 'pending'")
	}
	if f.KeyOnly {
		w.Add("p.is_key") // a literal, so that the partial index projects_key applies
	}
	if !f.SignedFrom.IsZero() {
		w.Add("p.signed_on >= ?", f.SignedFrom)
	}
	if !f.SignedTo.IsZero() {
		w.Add("p.signed_on <= ?", f.SignedTo)
	}
	return w
}

// ListSQL is the list as plain SQL computes it (the Filter's WHERE, the
// sorts' ORDER BY, COUNT(*)): the oracle the mirror is tested against.
func (s *Service) ListSQL(ctx context.Context, a *org.Actor, f Filter) ([]int64, int, error) {
	q := s.DB.Reader()
	w := f.where(a)
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := sqlSorts[f.Sort]
	if order == "" {
		order = sqlSorts["-updated_at"]
	}
	if s.DB.Dialect == db.Postgres { // byte order, as Go compares names
		order = strings.ReplaceAll(order, "p.name", `p.name COLLATE "C"`)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id FROM projects p`+w.SQL()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	return ids, total, rows.Err()
}

// WarningKeysSQL lists "rule/project" for every warning in scope, each rule
// as one SQL condition: the oracle for the mirror's warnings.
func (s *Service) WarningKeysSQL(ctx context.Context, a *org.Actor) ([]string, error) {
	q := s.DB.Reader()
	cfg, err := s.settings(ctx, q)
	if err != nil {
		return nil, err
	}
	t := s.today()
	cond, scopeArgs := scopeSQL(a)
	rules := []struct {
		name, from, where string
		arg               civil.Date
	}{
		{"signed_not_registered", "projects p", "p.status = 'active' AND p.stage = 'signed' AND p.signed_on <= ?", t.AddMonths(-cfg.SignedNotRegisteredMonths)},
		{"registered_no_construction", "projects p", "p.status = 'active' AND p.stage = 'registered' AND p.registered_on <= ?", t.AddMonths(-cfg.RegisteredNoConstructionMonths)},
		{"no_tracking", "projects p", "p.status = 'active' AND p.stage <> 'production' AND COALESCE(p.last_tracking_on, p.lead_on) <= ?", t.AddDays(-cfg.NoTrackingDays)},
		{"handover_overdue", "projects p", "p.handover_status = 'pending' AND p.handover_deadline < ?", t},
		{"request_overdue", "projects p JOIN project_requests r ON r.project_id = p.id", "r.status = 'open' AND r.deadline < ?", t},
	}
	var out []string
	for _, r := range rules {
		rows, err := q.QueryContext(ctx, `SELECT p.id FROM `+r.from+` WHERE `+r.where+` AND `+cond, append([]any{r.arg}, scopeArgs...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r.name+"/"+strconv.FormatInt(id, 10))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
