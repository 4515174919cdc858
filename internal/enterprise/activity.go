package enterprise

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// Intentions lists what was heard of an enterprise's plans, newest first.
func (s *Service) Intentions(ctx context.Context, id int64) ([]Intention, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT i.id, i.enterprise_id, i.content, i.place, i.amount, i.heard_on, i.source,
		COALESCE(u.display_name, ''), i.created_at FROM enterprise_intentions i LEFT JOIN users u ON u.id = i.created_by
		WHERE i.enterprise_id = ? ORDER BY i.heard_on DESC, i.id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Intention{}
	for rows.Next() {
		var i Intention
		if err := rows.Scan(&i.ID, &i.EnterpriseID, &i.Content, &i.Place, &i.Amount, &i.HeardOn, &i.Source, &i.CreatedBy, &i.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// AddIntention records an intention. Anyone who may write to the library may
// record what they heard, whoever courts the enterprise.
func (s *Service) AddIntention(ctx context.Context, a *org.Actor, id int64, in IntentionInput) (Intention, error) {
	if err := in.Validate(s.today()); err != nil {
		return Intention{}, err
	}
	var out Intention
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := get(ctx, tx, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_intentions (enterprise_id, content, place, amount, heard_on, source, created_by, created_at)
			VALUES (?,?,?,?,?,?,?,?) RETURNING id`, id, in.Content, in.Place, in.Amount, in.HeardOn, in.Source, a.UserID, now).Scan(&out.ID)
		if err != nil {
			return err
		}
		out = Intention{ID: out.ID, EnterpriseID: id, Content: in.Content, Place: in.Place, Amount: in.Amount, HeardOn: in.HeardOn,
			Source: in.Source, CreatedBy: a.DisplayName, CreatedAt: now}
		return audit.Append(ctx, tx, a.Entry("enterprise.intention", "enterprise", id, nil, out))
	})
	return out, err
}

// Visits lists the visits to an enterprise, newest first.
func (s *Service) Visits(ctx context.Context, id int64) ([]Visit, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT v.id, v.enterprise_id, v.visited_on, v.visitors, v.unit_id, COALESCE(un.name, ''),
		v.outcome, v.next_step, v.next_on, COALESCE(u.display_name, ''), v.created_at
		FROM enterprise_visits v LEFT JOIN users u ON u.id = v.created_by LEFT JOIN units un ON un.id = v.unit_id
		WHERE v.enterprise_id = ? ORDER BY v.visited_on DESC, v.id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Visit{}
	for rows.Next() {
		var v Visit
		if err := rows.Scan(&v.ID, &v.EnterpriseID, &v.VisitedOn, &v.Visitors, &v.UnitID, &v.UnitName, &v.Outcome, &v.NextStep,
			&v.NextOn, &v.CreatedBy, &v.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddVisit records a visit by the caller's unit; an enterprise nobody had
// contacted becomes contacted, and courted by that unit.
func (s *Service) AddVisit(ctx context.Context, a *org.Actor, id int64, in VisitInput) (Visit, error) {
	if err := in.Validate(s.today()); err != nil {
		return Visit{}, err
	}
	var out Visit
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := get(ctx, tx, id); err != nil {
			return err
		}
		now := s.Now().UTC()
		unit := a.UnitID
		err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_visits (enterprise_id, visited_on, visitors, unit_id, outcome, next_step, next_on, created_by, created_at)
			VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`, id, in.VisitedOn, in.Visitors, unit, in.Outcome, in.NextStep, in.NextOn, a.UserID, now).Scan(&out.ID)
		if err != nil {
			return err
		}
		if err := touch(ctx, tx, id, &unit, now); err != nil {
			return err
		}
		out = Visit{ID: out.ID, EnterpriseID: id, VisitedOn: in.VisitedOn, Visitors: in.Visitors, UnitID: &unit, UnitName: a.UnitName,
			Outcome: in.Outcome, NextStep: in.NextStep, NextOn: in.NextOn, CreatedBy: a.DisplayName, CreatedAt: now}
		return audit.Append(ctx, tx, a.Entry("enterprise.visit", "enterprise", id, nil, out))
	})
	return out, err
}

// LeadInput starts a project lead from an enterprise: the rest of the
// project comes from the enterprise record.
type LeadInput struct {
	Name               string      `json:"name"`
	Channel            string      `json:"channel"`
	SourceRegion       string      `json:"source_region"`
	ContractInvestment money.Cents `json:"contract_investment"`
	ConfirmDistinct    bool        `json:"confirm_distinct"`
	DistinctReason     string      `json:"distinct_reason"` // why it is not the look-alike (with confirm_distinct)
}

// sourceRegion guesses the source-region dictionary code of a headquarters.
func sourceRegion(code string) string {
	switch {
	case code == "":
		return ""
	case strings.HasPrefix(code, "11"):
		return "beijing"
	case strings.HasPrefix(code, "4403"):
		return "shenzhen"
	case strings.HasPrefix(code, "4412"):
		return "local"
	case strings.HasPrefix(code, "81"), strings.HasPrefix(code, "82"), strings.HasPrefix(code, "71"):
		return "hmt"
	case strings.HasPrefix(code, "31"), strings.HasPrefix(code, "32"), strings.HasPrefix(code, "33"), strings.HasPrefix(code, "34"):
		return "yrd"
	}
	for _, p := range []string{"4401", "4404", "4406", "4407", "4413", "4419", "4420"} {
		if strings.HasPrefix(code, p) {
			return "prd_core"
		}
	}
	return "other"
}

// StartLead registers a project lead for the enterprise in the caller's unit
// (with the duplicate guard of every new project) and marks the enterprise
// contacted.
func (s *Service) StartLead(ctx context.Context, a *org.Actor, id int64, in LeadInput) (project.Project, error) {
	e, err := get(ctx, s.DB.Reader(), id)
	if err != nil {
		return project.Project{}, err
	}
	if e.Archived {
		return project.Project{}, errs.E(errs.Unprocessable, "企业已归档，不能再发起线索", "the enterprise is archived")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = e.Name + "投资项目"
	}
	src := in.SourceRegion
	if src == "" {
		src = sourceRegion(e.RegionCode)
	}
	p, err := s.Projects.Create(ctx, a, project.Input{Name: name, InvestorName: e.Name, InvestorUSCC: e.CreditCode,
		IndustryCode: e.IndustryCode, Channel: in.Channel, SourceRegion: src, ContractInvestment: in.ContractInvestment,
		ConfirmDistinct: in.ConfirmDistinct, DistinctReason: in.DistinctReason})
	if err != nil {
		return p, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		unit := a.UnitID
		if err := touch(ctx, tx, id, &unit, s.Now().UTC()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("enterprise.lead", "enterprise", id, nil, map[string]any{"project_id": p.ID, "project_name": p.Name}))
	})
	return p, err
}

// ProjectRef is a project of the enterprise, as its page lists them.
type ProjectRef struct {
	ID                 int64       `json:"id"`
	Code               string      `json:"code"`
	Name               string      `json:"name"`
	Stage              string      `json:"stage"`
	Status             string      `json:"status"`
	ContractInvestment money.Cents `json:"contract_investment"`
	OwnerUnitName      string      `json:"owner_unit_name"`
}

// ProjectsOf lists the projects whose investor is the enterprise (by credit
// code), within the caller's scope. Merged duplicates are listed too (as
// terminated): this is the enterprise's record, not a count.
func (s *Service) ProjectsOf(ctx context.Context, a *org.Actor, id int64) ([]ProjectRef, error) {
	e, err := get(ctx, s.DB.Reader(), id)
	if err != nil {
		return nil, err
	}
	cond, args := project.ScopeSQL(a)
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT p.id, p.code, p.name, p.stage, p.status, p.contract_investment, u.name
		FROM projects p JOIN units u ON u.id = p.owner_unit_id WHERE p.investor_uscc = ? AND `+cond+` ORDER BY p.lead_on DESC, p.id DESC`,
		append([]any{e.CreditCode}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ProjectRef{}
	for rows.Next() {
		var p ProjectRef
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.Stage, &p.Status, &p.ContractInvestment, &p.OwnerUnitName); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
