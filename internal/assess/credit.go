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

// Source is what the figures read. The projects signed in a period come
// from the project mirror for every figure shown (mirrorSource), and from
// SQL (sqlSource) inside the transaction that closes or publishes a
// period, which must see its own writes and the table as of its lock, and
// for the rows behind a figure; every other
// table (units, targets, closes) is read through the Querier either way.
// A function that takes a source says by its signature that it counts
// projects.
type source interface {
	db.Querier
	// signedBetween is every project signed in [from, to] that counts:
	// neither a merged duplicate nor pending verification.
	signedBetween(ctx context.Context, from, to civil.Date) ([]signedProject, error)
	// liveStages is each project signed in [from, to] with its stage today.
	liveStages(ctx context.Context, from, to civil.Date) (map[int64]string, error)
}

// mirrorSource reads the projects from the project mirror
// (internal/project/mirror.go).
type mirrorSource struct {
	db.Querier
	projects *project.Service
}

// sqlSource reads the projects by SQL through its Querier.
type sqlSource struct{ db.Querier }

// reader is the source of figures shown, not stored.
func (s *Service) reader() source {
	if s.Projects == nil {
		return sqlSource{s.DB.Reader()}
	}
	return mirrorSource{s.DB.Reader(), s.Projects}
}

// signedProjectSelect is what signedBetween reads of a project, each
// column next to where it goes.
var signedProjectSelect = []struct {
	expr string
	dst  func(p *signedProject) any
}{
	{"p.id", func(p *signedProject) any { return &p.id }},
	{"p.code", func(p *signedProject) any { return &p.code }},
	{"p.name", func(p *signedProject) any { return &p.name }},
	{"p.stage", func(p *signedProject) any { return &p.stage }},
	{"p.status", func(p *signedProject) any { return &p.status }},
	{"p.signed_on", func(p *signedProject) any { return &p.signedOn }},
	{"p.contract_investment", func(p *signedProject) any { return &p.investment }},
	{"p.foreign_capital", func(p *signedProject) any { return &p.foreign }},
	{"COALESCE(u.path, '')", func(p *signedProject) any { return &p.localityPath }},
}

// signedIn is the condition that a project aliased p was signed in
// [from, to] and counts.
const signedIn = `p.signed_on >= ? AND p.signed_on <= ? AND ` + project.NotMergedSQL + ` AND p.verify_status <> 'pending'`

func (q sqlSource) signedBetween(ctx context.Context, from, to civil.Date) ([]signedProject, error) {
	exprs := make([]string, len(signedProjectSelect))
	for i, c := range signedProjectSelect {
		exprs[i] = c.expr
	}
	rows, err := q.QueryContext(ctx, `SELECT `+strings.Join(exprs, ", ")+` FROM projects p LEFT JOIN units u ON u.id = p.locality_unit_id
		WHERE `+signedIn+` ORDER BY p.signed_on, p.id`, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "signed projects")
	}
	var out []signedProject
	idx := map[int64]int{}
	dst := make([]any, len(signedProjectSelect))
	for rows.Next() {
		var p signedProject
		for i, c := range signedProjectSelect {
			dst[i] = c.dst(&p)
		}
		if err := rows.Scan(dst...); err != nil {
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
		WHERE pi.project_id IN (SELECT p.id FROM projects p WHERE `+signedIn+`)`, from, to)
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
func (m mirrorSource) signedBetween(ctx context.Context, from, to civil.Date) ([]signedProject, error) {
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
