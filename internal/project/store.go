package project

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

const projectFrom = ` FROM projects p
	JOIN units ou ON ou.id = p.owner_unit_id
	LEFT JOIN units lu ON lu.id = p.locality_unit_id
	LEFT JOIN units hu ON hu.id = p.handover_to_unit_id
	LEFT JOIN users ld ON ld.id = p.leader_user_id
	LEFT JOIN users io ON io.id = p.intro_officer_user_id
	LEFT JOIN users lo ON lo.id = p.locality_officer_user_id
	LEFT JOIN users cb ON cb.id = p.created_by
	LEFT JOIN campaigns cg ON cg.id = p.campaign_id
	LEFT JOIN advisors ra ON ra.id = p.referrer_advisor_id
	LEFT JOIN partners rp ON rp.id = p.referrer_partner_id
	LEFT JOIN users vb ON vb.id = p.verified_by`

func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// get loads one project in the actor's scope (404 outside it).
func (s *Service) get(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Project, error) {
	cond, args := scopeSQL(a)
	p, err := scanProject(q.QueryRowContext(ctx, `SELECT `+projectCols+projectFrom+` WHERE p.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.NotFoundf("项目", "project")
	}
	if err != nil {
		return p, errs.Wrap(err, "get project")
	}
	list := []Project{p}
	if err := fillIntroducers(ctx, q, list); err != nil {
		return p, err
	}
	return list[0], nil
}

func fillIntroducers(ctx context.Context, q db.Querier, ps []Project) error {
	if len(ps) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph := make([]string, len(ps))
	args := make([]any, len(ps))
	for i, p := range ps {
		idx[p.ID], ph[i], args[i] = i, "?", p.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT pi.project_id, pi.unit_id, u.name, pi.share_bp FROM project_introducers pi
		JOIN units u ON u.id = pi.unit_id WHERE pi.project_id IN (`+strings.Join(ph, ",")+`) ORDER BY pi.share_bp DESC, pi.unit_id`, args...)
	if err != nil {
		return errs.Wrap(err, "introducers")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var in Introducer
		if err := rows.Scan(&pid, &in.UnitID, &in.UnitName, &in.Share); err != nil {
			return errs.Wrap(err, "scan introducer")
		}
		ps[idx[pid]].Introducers = append(ps[idx[pid]].Introducers, in)
	}
	return errs.Wrap(rows.Err(), "introducers")
}
