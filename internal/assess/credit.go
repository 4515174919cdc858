package assess

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// Full is one whole project, in basis points.
const Full = 10_000

// Credit is one project's contribution to one unit's figures (UnitID 0: the
// city). Counts are basis points of a project; amounts are hundredths of
// 万元 times basis points, so shares never round.
type Credit struct {
	ProjectID  int64       `json:"project_id"`
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	SignedOn   civil.Date  `json:"signed_on"`
	Investment money.Cents `json:"investment"` // the project's full contracted investment
	UnitID     int64       `json:"unit_id"`
	Role       string      `json:"role"` // city, locality, introducer
	CountBP    int64       `json:"count_bp"`
	AmountE4   int64       `json:"amount_e4"`
	ForeignE4  int64       `json:"foreign_e4"`
	Bands      []string    `json:"bands"`
	Stage      string      `json:"stage"`
	Note       string      `json:"note"`
}

func (c Credit) key() string { return fmt.Sprintf("%d/%d/%s", c.ProjectID, c.UnitID, c.Role) }

// signedProject is what the rules read of a project.
type signedProject struct {
	id                  int64
	code, name, stage   string
	status              string
	signedOn            civil.Date
	investment, foreign money.Cents
	localityPath        string
	introducers         []introducer
}

type introducer struct {
	unitID  int64
	kind    string
	shareBP int64
}

// introducerKinds are the units credited by share; localities are credited
// by landing instead.
var introducerKinds = map[string]bool{"working_group": true, "department": true, "office_away": true, "commission_office": true}

// credits applies the rules to one project.
func credits(p signedProject, r Rules) []Credit { return appendCredits(nil, p, r, nil) }

// appendCredits appends one project's credits to dst. bands, when given,
// keeps one slice per set of bands, so that ten thousand projects do not
// make ten thousand identical slices.
func appendCredits(dst []Credit, p signedProject, r Rules, bands map[uint64][]string) []Credit {
	if p.status == "terminated" && r.Terminated == "exclude" {
		return dst
	}
	var mask uint64
	for i, b := range r.Bands {
		if b.In(p.investment) && i < 64 {
			mask |= 1 << i
		}
	}
	in, ok := bands[mask]
	if !ok {
		for i, b := range r.Bands {
			if mask&(1<<i) != 0 {
				in = append(in, b.Code)
			}
		}
		if bands != nil {
			bands[mask] = in
		}
	}
	base := Credit{ProjectID: p.id, Code: p.code, Name: p.name, SignedOn: p.signedOn, Investment: p.investment, Bands: in, Stage: p.stage}
	mk := func(unit int64, role string, bp int64) Credit {
		c := base
		c.UnitID, c.Role, c.CountBP = unit, role, bp
		c.AmountE4, c.ForeignE4 = int64(p.investment)*bp, int64(p.foreign)*bp
		return c
	}
	dst = append(dst, mk(0, "city", Full))
	// The landing unit and every unit above it but the root.
	ids := strings.Split(strings.Trim(p.localityPath, "/"), "/")
	for _, s := range ids[min(1, len(ids)):] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			dst = append(dst, mk(id, "locality", Full))
		}
	}
	for _, in := range p.introducers {
		if !introducerKinds[in.kind] {
			continue
		}
		bp := in.shareBP
		if r.IntroducerCredit == "full" {
			bp = Full
		}
		dst = append(dst, mk(in.unitID, "introducer", bp))
	}
	return dst
}

// mirrored is a reader that takes projects from the project mirror
// (internal/project/mirror.go) rather than from SQL: every figure read
// outside a transaction. Closing a month reads its own transaction.
type mirrored struct {
	db.Querier
	projects *project.Service
}

// reader is the querier for figures shown, not stored.
func (s *Service) reader() db.Querier {
	if s.Projects == nil {
		return s.DB.Reader()
	}
	return mirrored{s.DB.Reader(), s.Projects}
}

// signedBetween loads the projects signed in [from, to] (merged duplicates
// excluded: they are counted through the project they were merged into).
func signedBetween(ctx context.Context, q db.Querier, from, to civil.Date) ([]signedProject, error) {
	if m, ok := q.(mirrored); ok {
		return m.signedBetween(ctx, from, to)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.code, p.name, p.stage, p.status, p.signed_on, p.contract_investment, p.foreign_capital,
		COALESCE(u.path, '') FROM projects p LEFT JOIN units u ON u.id = p.locality_unit_id
		WHERE p.signed_on >= ? AND p.signed_on <= ? AND p.merged_into_id IS NULL AND p.verify_status <> 'pending' ORDER BY p.signed_on, p.id`, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "signed projects")
	}
	var out []signedProject
	idx := map[int64]int{}
	for rows.Next() {
		var p signedProject
		if err := rows.Scan(&p.id, &p.code, &p.name, &p.stage, &p.status, &p.signedOn, &p.investment, &p.foreign, &p.localityPath); err != nil {
			rows.Close()
			return nil, errs.Wrap(err, "scan signed project")
		}
		idx[p.id] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "signed projects")
	}
	// Driven from the signing-date index, not from every introducer row.
	rows, err = q.QueryContext(ctx, `SELECT pi.project_id, pi.unit_id, u.kind, pi.share_bp FROM project_introducers pi
		JOIN units u ON u.id = pi.unit_id
		WHERE pi.project_id IN (SELECT id FROM projects WHERE signed_on >= ? AND signed_on <= ? AND merged_into_id IS NULL AND verify_status <> 'pending')`, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "introducers")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var in introducer
		if err := rows.Scan(&pid, &in.unitID, &in.kind, &in.shareBP); err != nil {
			return nil, errs.Wrap(err, "scan introducer")
		}
		if i, ok := idx[pid]; ok {
			out[i].introducers = append(out[i].introducers, in)
		}
	}
	return out, errs.Wrap(rows.Err(), "introducers")
}

// signedBetween is the same list from the mirror.
func (m mirrored) signedBetween(ctx context.Context, from, to civil.Date) ([]signedProject, error) {
	ps, err := m.projects.SignedBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	units, err := loadUnits(ctx, m.Querier)
	if err != nil {
		return nil, err
	}
	out := make([]signedProject, 0, len(ps))
	for _, p := range ps {
		if p.Merged {
			continue
		}
		sp := signedProject{id: p.ID, code: p.Code, name: p.Name, stage: p.Stage, status: p.Status, signedOn: p.SignedOn,
			investment: p.ContractInvestment, foreign: p.ForeignCapital, localityPath: units[p.LocalityUnitID].path}
		for _, in := range p.Introducers {
			sp.introducers = append(sp.introducers, introducer{unitID: in.UnitID, kind: units[in.UnitID].kind, shareBP: in.BP})
		}
		out = append(out, sp)
	}
	return out, nil
}
