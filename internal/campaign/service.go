package campaign

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/project"
)

// Service is what users do with campaigns.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	// Projects changes a project's campaign (Link); the project service
	// owns the projects table.
	ProjectSvc *project.Service
}

// New builds the service.
func New(d *db.DB, ps *project.Service) *Service {
	return &Service{DB: d, Now: time.Now, ProjectSvc: ps}
}

func (s *Service) now() time.Time { return s.Now().UTC() }

const campaignCols = `c.id, c.name, c.kind, c.starts_on, c.ends_on, c.place, c.source_region, c.organiser_unit_id, u.name,
	c.participants, c.target_enterprises, c.budget, c.spend, c.summary, c.version, c.created_at, c.updated_at`

const campaignFrom = ` FROM campaigns c JOIN units u ON u.id = c.organiser_unit_id`

func scanCampaign(sc interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	err := sc.Scan(&c.ID, &c.Name, &c.Kind, &c.StartsOn, &c.EndsOn, &c.Place, &c.SourceRegion, &c.OrganiserUnitID, &c.OrganiserUnitName,
		&c.Participants, &c.TargetEnterprises, &c.Budget, &c.Spend, &c.Summary, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	c.Units = []UnitRef{}
	return c, err
}

// get loads a campaign. Campaigns are the city's shared record of its events:
// anyone who may read campaigns sees each one (the project figures inside
// are scoped); only writes are limited to the organiser's scope.
func get(ctx context.Context, q db.Querier, id int64) (Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignCols+campaignFrom+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf("招商活动", "campaign")
	}
	if err != nil {
		return c, errs.Wrap(err, "get campaign")
	}
	list := []Campaign{c}
	if err := fillUnits(ctx, q, list); err != nil {
		return c, err
	}
	return list[0], nil
}

func fillUnits(ctx context.Context, q db.Querier, cs []Campaign) error {
	if len(cs) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph, args := make([]string, len(cs)), make([]any, len(cs))
	for i, c := range cs {
		idx[c.ID], ph[i], args[i] = i, "?", c.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT cu.campaign_id, u.id, u.name FROM campaign_units cu JOIN units u ON u.id = cu.unit_id
		WHERE cu.campaign_id IN (`+strings.Join(ph, ",")+`) ORDER BY u.sort, u.id`, args...)
	if err != nil {
		return errs.Wrap(err, "campaign units")
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var u UnitRef
		if err := rows.Scan(&cid, &u.ID, &u.Name); err != nil {
			return errs.Wrap(err, "scan campaign unit")
		}
		cs[idx[cid]].Units = append(cs[idx[cid]].Units, u)
	}
	return errs.Wrap(rows.Err(), "campaign units")
}

// Get returns a campaign with its results in the caller's scope.
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Campaign, error) {
	q := s.DB.Reader()
	c, err := get(ctx, q, id)
	if err != nil {
		return c, err
	}
	f, err := funnels(ctx, q, a, []int64{id})
	if err != nil {
		return c, err
	}
	r := f[id]
	c.Results = &r
	return c, nil
}

// Create registers a campaign; the organiser defaults to the caller's unit
// and must lie in the caller's scope.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Campaign, error) {
	if in.OrganiserUnitID == 0 {
		in.OrganiserUnitID = a.UnitID
	}
	if err := in.Validate(); err != nil {
		return Campaign{}, err
	}
	return audit.Insert(ctx, s.DB, a, "campaign.create", "campaign", func(tx *db.Tx) (int64, error) {
		if err := checkReferences(ctx, tx, a, in); err != nil {
			return 0, err
		}
		now := s.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (name, kind, starts_on, ends_on, place, source_region, organiser_unit_id,
			participants, target_enterprises, budget, spend, summary, created_by, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			in.Name, in.Kind, in.StartsOn, in.EndsOn, in.Place, in.SourceRegion, in.OrganiserUnitID, in.Participants, in.TargetEnterprises,
			in.Budget, in.Spend, in.Summary, db.NullID(a.UserID), now, now).Scan(&id)
		if err != nil {
			return 0, errs.Wrap(err, "insert campaign")
		}
		return id, writeUnits(ctx, tx, id, in.UnitIDs)
	}, get)
}

// Update edits a campaign the caller's scope reaches (404 otherwise).
func (s *Service) Update(ctx context.Context, a *org.Actor, id int64, in Input) (Campaign, error) {
	if err := in.Validate(); err != nil {
		return Campaign{}, err
	}
	var out Campaign
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := forChange(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errs.Stale(before)
		}
		if in.OrganiserUnitID == 0 {
			in.OrganiserUnitID = before.OrganiserUnitID
		}
		if err := checkReferences(ctx, tx, a, in); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET name = ?, kind = ?, starts_on = ?, ends_on = ?, place = ?, source_region = ?,
			organiser_unit_id = ?, participants = ?, target_enterprises = ?, budget = ?, spend = ?, summary = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, in.Kind, in.StartsOn, in.EndsOn, in.Place, in.SourceRegion, in.OrganiserUnitID, in.Participants, in.TargetEnterprises,
			in.Budget, in.Spend, in.Summary, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if err := writeUnits(ctx, tx, id, in.UnitIDs); err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("campaign.update", "campaign", id, before, out))
	})
	return out, err
}

// forChange loads a campaign whose organiser lies in the actor's scope.
func forChange(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Campaign, error) {
	cond, args := a.ScopeSQL("organiser_unit_id", "created_by")
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns WHERE id = ? AND `+cond, append([]any{id}, args...)...).Scan(&n); err != nil {
		return Campaign{}, errs.Wrap(err, "campaign scope")
	}
	if n == 0 {
		return Campaign{}, errs.NotFoundf("招商活动", "campaign")
	}
	return get(ctx, q, id)
}

func writeUnits(ctx context.Context, tx *db.Tx, id int64, units []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_units WHERE campaign_id = ?`, id); err != nil {
		return errs.Wrap(err, "clear campaign units")
	}
	seen := map[int64]bool{}
	for _, u := range units {
		if seen[u] {
			continue
		}
		seen[u] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_units (campaign_id, unit_id) VALUES (?, ?)`, id, u); err != nil {
			return errs.Wrap(err, "insert campaign unit")
		}
	}
	return nil
}

// checkReferences validates the codes and units an input points at.
func checkReferences(ctx context.Context, q db.Querier, a *org.Actor, in Input) error {
	var v errs.Validation
	if ok, err := dictionary.Exists(ctx, q, "campaign_kind", in.Kind); err != nil {
		return err
	} else if !ok {
		v.Add("kind", "不在数据字典中："+in.Kind, "not in the dictionary: "+in.Kind)
	}
	if in.SourceRegion != "" {
		if ok, err := dictionary.Exists(ctx, q, "source_region", in.SourceRegion); err != nil {
			return err
		} else if !ok {
			v.Add("source_region", "不在数据字典中："+in.SourceRegion, "not in the dictionary: "+in.SourceRegion)
		}
	}
	cond, args := a.ScopeSQL("id", "")
	c := db.NewChecks(ctx, q)
	if !c.Exists(`SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active' AND `+cond, append([]any{in.OrganiserUnitID}, args...)...) {
		v.Add("organiser_unit_id", "组织单位须为本人数据权限内的在用单位", "must be an active unit within your data scope")
	}
	for _, u := range in.UnitIDs {
		if !c.Exists(`SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active'`, u) {
			v.Add("unit_ids", "参与单位不存在或已撤销", "a participating unit does not exist or is closed")
			break
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	return v.Err()
}

// Filter is the campaign list's filter.
type Filter struct {
	Q, Kind       string
	Year          int
	From, To      civil.Date
	Limit, Offset int
}

// List returns campaigns, newest first, each with its results in scope.
func (s *Service) List(ctx context.Context, a *org.Actor, f Filter) ([]Campaign, int, error) {
	q := s.DB.Reader()
	var w db.Where
	if f.Q != "" {
		w.Add(`(c.name LIKE ? ESCAPE '\' OR c.place LIKE ? ESCAPE '\' OR c.target_enterprises LIKE ? ESCAPE '\')`, db.Like(f.Q), db.Like(f.Q), db.Like(f.Q))
	}
	if f.Kind != "" {
		w.Add("c.kind = ?", f.Kind)
	}
	if f.Year > 0 {
		w.Add("c.starts_on >= ? AND c.starts_on <= ?", civil.MustParse(itoa(f.Year)+"-01-01"), civil.MustParse(itoa(f.Year)+"-12-31"))
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns c`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "count campaigns")
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	rows, err := q.QueryContext(ctx, `SELECT `+campaignCols+campaignFrom+w.SQL()+` ORDER BY c.starts_on DESC, c.id DESC LIMIT ? OFFSET ?`,
		append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "list campaigns")
	}
	defer rows.Close()
	out := []Campaign{}
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, 0, errs.Wrap(err, "scan campaign")
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, errs.Wrap(err, "list campaigns")
	}
	if err := fillUnits(ctx, q, out); err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	fs, err := funnels(ctx, q, a, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		r := fs[out[i].ID]
		out[i].Results = &r
	}
	return out, total, nil
}
