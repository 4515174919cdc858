package project

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Service is what users do with projects.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	// SigningGate, when set, is asked before a project is signed (in the
	// signing transaction); screening installs it (R9).
	SigningGate func(ctx context.Context, q db.Querier, projectID int64) error
	// ConstructionGate, when set, is asked before construction starts
	// (screening installs it: a 两高 project needs its energy review).
	ConstructionGate func(ctx context.Context, q db.Querier, p Project) error
	// Notify, when set, sends a notice to units inside tx (the app wires it
	// to notices): a duplicate override tells the other project's unit.
	Notify func(ctx context.Context, tx *db.Tx, a *org.Actor, unitIDs []int64, title, body string) error
	mirror *Mirror
	trees  unitTrees
}

// unitTrees keeps what is read of units (a scope's unit set, the names)
// at one access generation (db.DB.Access: every write to units moves it);
// a new generation empties it. Bounded: past 4,096 entries it starts afresh.
type unitTrees struct {
	mu  sync.Mutex
	gen int64
	by  map[string]any
}

func (t *unitTrees) get(gen int64, key string) (any, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen {
		return nil, false
	}
	v, ok := t.by[key]
	return v, ok
}

func (t *unitTrees) put(gen int64, key string, v any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || t.by == nil || len(t.by) >= 4096 {
		t.gen, t.by = gen, map[string]any{}
	}
	t.by[key] = v
}

// New builds the service.
func New(d *db.DB) *Service { return &Service{DB: d, Now: time.Now, mirror: NewMirror(d)} }

// Mirror is the in-memory copy of projects that lists and statistics read.
func (s *Service) Mirror() *Mirror { return s.mirror }

func (s *Service) now() time.Time    { return s.Now().UTC() }
func (s *Service) today() civil.Date { return civil.Of(s.Now()) }

// Get returns a project in scope, with its warnings.
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Project, error) {
	p, err := s.get(ctx, s.DB.Reader(), a, id)
	if err != nil {
		return p, err
	}
	if p.Warnings, err = s.projectWarnings(ctx, a, id); err != nil {
		return p, err
	}
	p.Land, err = landUse(ctx, s.DB.Reader(), id)
	return p, err
}

// DuplicateError is the 409 of the duplicate guard.
func DuplicateError(d []Duplicate) error {
	e := errs.E(errs.Conflict, "发现疑似重复项目，请核对；确认不是同一项目后可继续登记",
		"this looks like a project already registered; check it, or confirm it is distinct")
	e.Extra = map[string]any{"duplicates": d}
	return e
}

// Create registers a project (a lead, usually). The caller's unit is its
// registering unit and, unless said otherwise, its sole introducer.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Project, error) {
	if in.LeadOn.IsZero() {
		in.LeadOn = s.today()
	}
	if len(in.Introducers) == 0 {
		in.Introducers = []IntroducerInput{{UnitID: a.UnitID, Share: 100_00}}
	}
	if err := in.Validate(s.today()); err != nil {
		return Project{}, err
	}
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := checkReferences(ctx, tx, in); err != nil {
			return err
		}
		if err := guardCreate(ctx, tx, a, in); err != nil {
			return err
		}
		dups, err := s.FindDuplicates(ctx, tx, a, DuplicateQuery{in.Name, in.InvestorName, in.InvestorUSCC}, 0)
		if err != nil {
			return err
		}
		if len(dups) > 0 && !in.ConfirmDistinct {
			return DuplicateError(dups)
		}
		if len(dups) > 0 && strings.TrimSpace(in.DistinctReason) == "" {
			return errs.E(errs.Invalid, "登记疑似重复的项目须说明不是同一项目的理由", "say why this is not the project it looks like").
				Field("distinct_reason", "请填写理由", "required")
		}
		id, err := s.insert(ctx, tx, a, in)
		if err != nil {
			return err
		}
		if out, err = s.get(ctx, tx, &org.Actor{Scope: org.ScopeAll}, id); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, a.Entry("project.create", "project", id, nil, out)); err != nil {
			return err
		}
		return s.overrode(ctx, tx, a, out, dups, strings.TrimSpace(in.DistinctReason))
	})
	return out, err
}

func (s *Service) insert(ctx context.Context, tx *db.Tx, a *org.Actor, in Input) (int64, error) {
	now := s.now()
	var id int64
	fs := factFields(factsOf(&in), field{"stage", "lead"}, field{"status", "active"}, field{"owner_unit_id", a.UnitID},
		field{"created_by", db.NullID(a.UserID)}, field{"version", 1}, field{"created_at", now}, field{"updated_at", now})
	err := tx.QueryRowContext(ctx, insertSQL(fs), fieldValues(fs)...).Scan(&id)
	if err != nil {
		return 0, errs.Wrap(err, "insert project")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE projects SET code = ? WHERE id = ?`, projectCode(in.LeadOn.String(), id), id); err != nil {
		return 0, errs.Wrap(err, "project code")
	}
	if err := writeIntroducers(ctx, tx, id, in.Introducers); err != nil {
		return 0, err
	}
	return id, Reindex(ctx, tx, id, id)
}

func writeIntroducers(ctx context.Context, tx *db.Tx, id int64, ins []IntroducerInput) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM project_introducers WHERE project_id = ?`, id); err != nil {
		return errs.Wrap(err, "clear introducers")
	}
	for _, in := range ins {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_introducers (project_id, unit_id, share_bp) VALUES (?, ?, ?)`, id, in.UnitID, in.Share); err != nil {
			return errs.Wrap(err, "insert introducer")
		}
	}
	return nil
}

// checkReferences validates the codes and ids an input points at.
func checkReferences(ctx context.Context, q db.Querier, in Input) error {
	var v errs.Validation
	c := db.NewChecks(ctx, q)
	dict := func(field, typ, code string) {
		if code == "" {
			return
		}
		if ok, err := dictionary.Exists(ctx, q, typ, code); c.Keep(err) && !ok {
			v.Add(field, "不在数据字典中："+code, "not in the dictionary: "+code)
		}
	}
	dict("channel", "channel", in.Channel)
	dict("source_region", "source_region", in.SourceRegion)
	for _, t := range in.Tags {
		dict("tags", "project_tag", t)
	}
	for _, it := range in.Introducers {
		if !c.Exists(`SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active'`, it.UnitID) {
			v.Add("introducers", "引进单位不存在或已撤销", "an introducing unit does not exist or is closed")
		}
	}
	if in.LocalityUnitID != nil && !c.Exists(`SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active' AND kind IN ('locality', 'park')`, *in.LocalityUnitID) {
		v.Add("locality_unit_id", "落户地须为在用的县(市、区)或园区", "must be an active county/district or park")
	}
	for field, uid := range map[string]*int64{"leader_user_id": in.LeaderUserID, "intro_officer_user_id": in.IntroOfficerID, "locality_officer_user_id": in.LocalityOfficerID} {
		if uid != nil && !c.Exists(`SELECT COUNT(*) FROM users WHERE id = ? AND status = 'active'`, *uid) {
			v.Add(field, "用户不存在或已停用", "no such active user")
		}
	}
	checkOfficers(c, in, &v)
	for field, ref := range map[string]struct {
		id    *int64
		query string
	}{
		"campaign_id":         {in.CampaignID, `SELECT COUNT(*) FROM campaigns WHERE id = ?`},
		"referrer_advisor_id": {in.ReferrerAdvisorID, `SELECT COUNT(*) FROM advisors WHERE id = ?`},
		"referrer_partner_id": {in.ReferrerPartnerID, `SELECT COUNT(*) FROM partners WHERE id = ?`},
	} {
		if ref.id != nil && !c.Exists(ref.query, *ref.id) {
			v.Add(field, "不存在", "does not exist")
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	return v.Err()
}

// Update edits a project's facts. Stage, dates and hand-over change only
// through their own actions.
func (s *Service) Update(ctx context.Context, a *org.Actor, id int64, in Input) (Project, error) {
	if err := in.Validate(s.today()); err != nil {
		return Project{}, err
	}
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := s.forChange(ctx, tx, a, id, in.Version)
		if err != nil {
			return err
		}
		if err := checkReferences(ctx, tx, in); err != nil {
			return err
		}
		if err := guardUpdate(ctx, tx, a, before, in); err != nil {
			return err
		}
		if in.LeadOn.IsZero() || before.Stage != "lead" {
			in.LeadOn = before.LeadOn
		}
		fs := factFields(factsOf(&in), field{"updated_at", s.now()})
		res, err := tx.ExecContext(ctx, updateSQL(fs), append(fieldValues(fs), id, in.Version)...)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if err := writeIntroducers(ctx, tx, id, in.Introducers); err != nil {
			return err
		}
		if err := Reindex(ctx, tx, id, id); err != nil {
			return err
		}
		if err := s.afterChange(ctx, tx, a, before, &out, "project.update"); err != nil {
			return err
		}
		return tellIntroducers(ctx, tx, a, before, out)
	})
	return out, err
}

// forChange loads a project in scope for a write and checks the version read.
func (s *Service) forChange(ctx context.Context, tx *db.Tx, a *org.Actor, id int64, version int) (Project, error) {
	p, err := s.get(ctx, tx, a, id)
	if err != nil {
		return p, err
	}
	if p.Version != version {
		return p, errs.Stale(p)
	}
	return p, nil
}

// afterChange stamps the project for the mirror, reloads it and audits the change.
func (s *Service) afterChange(ctx context.Context, tx *db.Tx, a *org.Actor, before Project, out *Project, action string) error {
	err := stamp(ctx, tx, before.ID, before.ID)
	if err != nil {
		return err
	}
	if *out, err = s.get(ctx, tx, &org.Actor{Scope: org.ScopeAll}, before.ID); err != nil {
		return err
	}
	return audit.Append(ctx, tx, a.Entry(action, "project", before.ID, before, *out))
}

// bump raises the version of a project changed by a statement that did not.
func (s *Service) bump(ctx context.Context, tx *db.Tx, before Project) error {
	res, err := tx.ExecContext(ctx, `UPDATE projects SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, s.now(), before.ID, before.Version)
	if err := db.OneRow(res, err, before); err != nil {
		return err
	}
	return stamp(ctx, tx, before.ID, before.ID)
}

// GetIn returns a project in the actor's scope through q (a transaction of
// another capability, such as screening, that must see its own writes).
func (s *Service) GetIn(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Project, error) {
	return s.get(ctx, q, a, id)
}
