package project

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Filter is the project list's filter; every field is optional.
type Filter struct {
	Q, Stage, Status, Channel, SourceRegion, Industry, Tag string
	Verify                                                 string // "pending": only projects awaiting verification
	LocalityUnitID, UnitID                                 int64
	KeyOnly                                                bool
	SignedFrom, SignedTo                                   civil.Date
	Sort                                                   string
	Limit, Offset                                          int
}

// sorts maps the API's sort names to SQL; anything else is refused. Lists
// are sorted in memory (mirror_query.go, orderOf), in the same order: a
// project not yet signed comes last by signing day, either way.
var sorts = map[string]string{
	"name": "p.name, p.id", "-name": "p.name DESC, p.id DESC",
	"signed_on": "p.signed_on IS NULL, p.signed_on, p.id", "-signed_on": "p.signed_on IS NULL, p.signed_on DESC, p.id DESC",
	"contract_investment": "p.contract_investment, p.id", "-contract_investment": "p.contract_investment DESC, p.id DESC",
	"updated_at": "p.updated_at, p.id", "-updated_at": "p.updated_at DESC, p.id DESC",
	"code": "p.id", "-code": "p.id DESC", "lead_on": "p.lead_on, p.id", "-lead_on": "p.lead_on DESC, p.id DESC",
}

// FilterOf reads a Filter from query parameters, naming any bad one.
func FilterOf(q url.Values) (Filter, error) {
	f := Filter{Q: strings.TrimSpace(q.Get("q")), Stage: q.Get("stage"), Status: q.Get("status"), Channel: q.Get("channel"),
		SourceRegion: q.Get("source_region"), Industry: q.Get("industry"), Tag: q.Get("tag"), KeyOnly: q.Get("is_key") == "1", Sort: q.Get("sort"),
		Verify: q.Get("verification")}
	var v errs.Validation
	if f.Stage != "" && stageIndex(f.Stage) < 0 {
		v.Add("stage", "阶段无效", "unknown stage")
	}
	if f.Status != "" && !contains([]string{"active", "on_hold", "terminated"}, f.Status) {
		v.Add("status", "状态无效", "unknown status")
	}
	if f.Verify != "" && f.Verify != "pending" {
		v.Add("verification", "只能为 pending", "only pending")
	}
	if _, ok := sorts[f.Sort]; f.Sort != "" && !ok {
		v.Add("sort", "不支持的排序", "unsupported sort")
	}
	for name, dst := range map[string]*int64{"locality_unit_id": &f.LocalityUnitID, "unit_id": &f.UnitID} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				v.Add(name, "应为整数", "must be an integer")
			}
			*dst = n
		}
	}
	for name, dst := range map[string]*civil.Date{"signed_from": &f.SignedFrom, "signed_to": &f.SignedTo} {
		if s := q.Get(name); s != "" {
			d, err := civil.Parse(s)
			if err != nil {
				v.Add(name, "日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD")
			}
			*dst = d
		}
	}
	return f, v.Err()
}

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

// List returns one page of the projects in scope that match, and the exact
// total. The mirror finds and counts them; the page's rows are read whole.
func (s *Service) List(ctx context.Context, a *org.Actor, f Filter) ([]Project, int, error) {
	ids, total, err := s.listIDs(ctx, a, f)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.byIDs(ctx, s.DB.Reader(), ids)
	return out, total, err
}

// byIDs reads projects whole, in the order of ids.
func (s *Service) byIDs(ctx context.Context, q db.Querier, ids []int64) ([]Project, error) {
	out := []Project{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		args[i], at[id] = id, i
	}
	rows, err := q.QueryContext(ctx, `SELECT `+projectCols+projectFrom+` WHERE p.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "list projects")
	}
	defer rows.Close()
	byID := make([]*Project, len(ids))
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan project")
		}
		byID[at[p.ID]] = &p
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "list projects")
	}
	for _, p := range byID {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out, fillIntroducers(ctx, q, out)
}

func (s *Service) page(ctx context.Context, q db.Querier, w db.Where, f Filter) ([]Project, error) {
	order := sorts[f.Sort]
	if order == "" {
		order = sorts["-updated_at"]
	}
	rows, err := q.QueryContext(ctx, `SELECT `+projectCols+projectFrom+w.SQL()+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, errs.Wrap(err, "list projects")
	}
	defer rows.Close()
	out := []Project{}
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan project")
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "list projects")
	}
	return out, fillIntroducers(ctx, q, out)
}

// Each walks every project in scope that matches, in registration order,
// a thousand at a time by key (not OFFSET, which rereads what it skips), so
// exports of any size neither hold everything in memory nor slow down as
// they go.
func (s *Service) Each(ctx context.Context, a *org.Actor, f Filter, fn func(Project) error) error {
	q := s.DB.Reader()
	f.Sort, f.Limit, f.Offset = "code", 1000, 0
	var last int64
	for {
		w := f.where(a)
		w.Add("p.id > ?", last)
		batch, err := s.page(ctx, q, w, f)
		if err != nil {
			return err
		}
		for _, p := range batch {
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(batch) < f.Limit {
			return nil
		}
		last = batch[len(batch)-1].ID
	}
}
