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

// A list sorts by a key of sortKeys (mirror_index.go), "-" before it for
// descending; anything else is refused. A project not yet signed comes
// last by signing day, either way; every order ends with the id.
func validSort(sort string) bool {
	_, ok := sortKeys[strings.TrimPrefix(sort, "-")]
	return ok
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
	if f.Sort != "" && !validSort(f.Sort) {
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

// Each walks every project in scope that matches, in registration order:
// the ids come from the mirror (the same selection as the list, so each
// filter and the data scope are written once), the rows are read whole a
// thousand at a time by id, so exports of any size neither hold every row
// in memory nor reread what they skip.
func (s *Service) Each(ctx context.Context, a *org.Actor, f Filter, fn func(Project) error) error {
	ids, err := s.matchIDs(ctx, a, f)
	if err != nil {
		return err
	}
	const batch = 1000
	for from := 0; from < len(ids); from += batch {
		rows, err := s.byIDs(ctx, s.DB.Reader(), ids[from:min(from+batch, len(ids))])
		if err != nil {
			return err
		}
		for _, p := range rows {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return nil
}
