package network

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

// StaffKinds: a unit's own promotion staff, or an outsourced team member
// (政府购买服务).
var StaffKinds = []string{"staff", "outsourced"}

// Staff is one member of a unit's promotion team.
type Staff struct {
	ID        int64     `json:"id"`
	UnitID    int64     `json:"unit_id"`
	UnitName  string    `json:"unit_name"`
	Name      string    `json:"name"`
	Position  string    `json:"position"`
	Kind      string    `json:"kind"`
	Provider  string    `json:"provider"` // the service company, for outsourced members
	Contact   string    `json:"contact"`
	Status    string    `json:"status"`
	Trainings int       `json:"trainings"` // sessions attended
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// StaffInput adds or edits a member.
type StaffInput struct {
	UnitID   int64  `json:"unit_id"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Kind     string `json:"kind"`
	Provider string `json:"provider"`
	Contact  string `json:"contact"`
	Status   string `json:"status"`
	Version  int    `json:"version"`
}

// Validate checks the request.
func (in *StaffInput) Validate() error {
	var v errs.Validation
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择所属单位", "required")
	}
	text(&v, "name", in.Name, true, 50)
	text(&v, "position", in.Position, false, 100)
	text(&v, "contact", in.Contact, false, 100)
	oneOf(&v, "kind", in.Kind, StaffKinds...)
	if in.Kind == "outsourced" {
		text(&v, "provider", in.Provider, true, 100)
	}
	if in.Status == "" {
		in.Status = "active"
	}
	oneOf(&v, "status", in.Status, "active", "left")
	return v.Err()
}

const staffCols = `s.id, s.unit_id, u.name, s.name, s.position, s.kind, s.provider, s.contact, s.status,
	(SELECT COUNT(*) FROM training_attendees ta WHERE ta.staff_id = s.id), s.version, s.updated_at`

const staffFrom = ` FROM staff_members s JOIN units u ON u.id = s.unit_id`

func scanStaff(sc interface{ Scan(...any) error }) (Staff, error) {
	var m Staff
	err := sc.Scan(&m.ID, &m.UnitID, &m.UnitName, &m.Name, &m.Position, &m.Kind, &m.Provider, &m.Contact, &m.Status, &m.Trainings, &m.Version, &m.UpdatedAt)
	m.Contact = pii.Masked(m.Contact)
	return m, err
}

func getStaff(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Staff, error) {
	cond, args := a.ScopeSQL("s.unit_id", "")
	m, err := scanStaff(q.QueryRowContext(ctx, `SELECT `+staffCols+staffFrom+` WHERE s.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return m, errs.NotFoundf("招商人员", "staff member")
	}
	return m, errs.Wrap(err, "get staff")
}

// StaffList lists the members of units in the caller's scope (?unit_id, ?kind).
func (s *Service) StaffList(ctx context.Context, a *org.Actor, unitID int64, kind string) ([]Staff, error) {
	var w db.Where
	cond, args := a.ScopeSQL("s.unit_id", "")
	w.Add(cond, args...)
	if unitID > 0 {
		w.Add("s.unit_id = ?", unitID)
	}
	if kind != "" {
		w.Add("s.kind = ?", kind)
	}
	out, err := db.All(ctx, s.DB.Reader(), scanStaff, `SELECT `+staffCols+staffFrom+w.SQL()+` ORDER BY u.sort, u.id, s.status, s.id`, w.Args()...)
	return out, errs.Wrap(err, "list staff")
}

func checkUnitInScope(ctx context.Context, q db.Querier, a *org.Actor, field string, id int64) error {
	cond, args := a.ScopeSQL("id", "")
	n, err := count(ctx, q, `SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active' AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Invalid, "单位须为本人数据权限内的在用单位", "the unit must be active and within your scope").Field(field, "单位无效", "invalid unit")
	}
	return nil
}

// CreateStaff adds a member to a unit in scope.
func (s *Service) CreateStaff(ctx context.Context, a *org.Actor, in StaffInput) (Staff, error) {
	if err := in.Validate(); err != nil {
		return Staff{}, err
	}
	get := func(ctx context.Context, q db.Querier, id int64) (Staff, error) { return getStaff(ctx, q, a, id) }
	return audit.Insert(ctx, s.DB, a, "staff.create", "staff_member", func(tx *db.Tx) (int64, error) {
		if err := checkUnitInScope(ctx, tx, a, "unit_id", in.UnitID); err != nil {
			return 0, err
		}
		now := s.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO staff_members (unit_id, name, position, kind, provider, contact, status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, in.UnitID, in.Name, in.Position, in.Kind, in.Provider, pii.Seal(in.Contact), in.Status, now, now).Scan(&id)
		return id, errs.Wrap(err, "insert staff")
	}, get)
}

// UpdateStaff edits a member of a unit in scope (404 outside it).
func (s *Service) UpdateStaff(ctx context.Context, a *org.Actor, id int64, in StaffInput) (Staff, error) {
	if err := in.Validate(); err != nil {
		return Staff{}, err
	}
	var out Staff
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getStaff(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if in.Contact, err = keepContact(ctx, tx, "staff_members", id, in.Contact); err != nil {
			return err
		}
		if err := checkUnitInScope(ctx, tx, a, "unit_id", in.UnitID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE staff_members SET unit_id = ?, name = ?, position = ?, kind = ?, provider = ?, contact = ?, status = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.UnitID, in.Name, in.Position, in.Kind, in.Provider, pii.Seal(in.Contact), in.Status, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = getStaff(ctx, tx, a, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("staff.update", "staff_member", id, before, out))
	})
	return out, err
}

// Training is a training session and who attended.
type Training struct {
	ID                int64      `json:"id"`
	Title             string     `json:"title"`
	HeldOn            civil.Date `json:"held_on"`
	Place             string     `json:"place"`
	OrganiserUnitID   int64      `json:"organiser_unit_id"`
	OrganiserUnitName string     `json:"organiser_unit_name"`
	Hours             int        `json:"hours"`
	Summary           string     `json:"summary"`
	Attendees         []Attendee `json:"attendees"`
	Version           int        `json:"version"`
}

// Attendee is a staff member at a session.
type Attendee struct {
	StaffID  int64  `json:"staff_id"`
	Name     string `json:"name"`
	UnitName string `json:"unit_name"`
}

// TrainingInput records or edits a session.
type TrainingInput struct {
	Title           string     `json:"title"`
	HeldOn          civil.Date `json:"held_on"`
	Place           string     `json:"place"`
	OrganiserUnitID int64      `json:"organiser_unit_id"`
	Hours           int        `json:"hours"`
	Summary         string     `json:"summary"`
	StaffIDs        []int64    `json:"staff_ids"`
	Version         int        `json:"version"`
}

// Validate checks the request.
func (in *TrainingInput) Validate() error {
	var v errs.Validation
	text(&v, "title", in.Title, true, 200)
	if in.HeldOn.IsZero() {
		v.Add("held_on", "培训日期必填", "required")
	}
	text(&v, "place", in.Place, false, 100)
	text(&v, "summary", in.Summary, false, 2000)
	if in.Hours < 0 || in.Hours > 1000 {
		v.Add("hours", "应为 0–1000", "must be 0–1000")
	}
	if len(in.StaffIDs) > 500 {
		v.Add("staff_ids", "最多 500 人", "at most 500 people")
	}
	return v.Err()
}

func getTraining(ctx context.Context, q db.Querier, id int64) (Training, error) {
	var t Training
	err := q.QueryRowContext(ctx, `SELECT t.id, t.title, t.held_on, t.place, t.organiser_unit_id, u.name, t.hours, t.summary, t.version
		FROM trainings t JOIN units u ON u.id = t.organiser_unit_id WHERE t.id = ?`, id).
		Scan(&t.ID, &t.Title, &t.HeldOn, &t.Place, &t.OrganiserUnitID, &t.OrganiserUnitName, &t.Hours, &t.Summary, &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errs.NotFoundf("培训", "training")
	}
	if err != nil {
		return t, errs.Wrap(err, "get training")
	}
	list := []Training{t}
	return list[0], fillAttendees(ctx, q, list)
}

func fillAttendees(ctx context.Context, q db.Querier, ts []Training) error {
	if len(ts) == 0 {
		return nil
	}
	idx := map[int64]int{}
	args := make([]any, len(ts))
	for i := range ts {
		ts[i].Attendees = []Attendee{}
		idx[ts[i].ID], args[i] = i, ts[i].ID
	}
	rows, err := q.QueryContext(ctx, `SELECT ta.training_id, s.id, s.name, u.name FROM training_attendees ta
		JOIN staff_members s ON s.id = ta.staff_id JOIN units u ON u.id = s.unit_id
		WHERE ta.training_id IN (`+placeholders(len(ts))+`) ORDER BY u.sort, s.id`, args...)
	if err != nil {
		return errs.Wrap(err, "attendees")
	}
	defer rows.Close()
	for rows.Next() {
		var tid int64
		var at Attendee
		if err := rows.Scan(&tid, &at.StaffID, &at.Name, &at.UnitName); err != nil {
			return errs.Wrap(err, "scan attendee")
		}
		ts[idx[tid]].Attendees = append(ts[idx[tid]].Attendees, at)
	}
	return errs.Wrap(rows.Err(), "attendees")
}

// Trainings lists the sessions, newest first. Sessions are shared; the
// attendee lists name people, not projects.
func (s *Service) Trainings(ctx context.Context) ([]Training, error) {
	q := s.DB.Reader()
	rows, err := q.QueryContext(ctx, `SELECT t.id FROM trainings t ORDER BY t.held_on DESC, t.id DESC LIMIT 500`)
	if err != nil {
		return nil, errs.Wrap(err, "list trainings")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, errs.Wrap(err, "scan training")
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := []Training{}
	for _, id := range ids {
		t, err := getTraining(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func writeAttendees(ctx context.Context, tx *db.Tx, id int64, staff []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM training_attendees WHERE training_id = ?`, id); err != nil {
		return errs.Wrap(err, "clear attendees")
	}
	seen := map[int64]bool{}
	for _, sid := range staff {
		if seen[sid] {
			continue
		}
		seen[sid] = true
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM staff_members WHERE id = ?`, sid)
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.Invalid, "参训人员不存在", "no such staff member").Field("staff_ids", "人员不存在", "no such staff member")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO training_attendees (training_id, staff_id) VALUES (?, ?)`, id, sid); err != nil {
			return errs.Wrap(err, "insert attendee")
		}
	}
	return nil
}

// CreateTraining records a session organised by a unit in scope.
func (s *Service) CreateTraining(ctx context.Context, a *org.Actor, in TrainingInput) (Training, error) {
	if in.OrganiserUnitID == 0 {
		in.OrganiserUnitID = a.UnitID
	}
	in.Title = strings.TrimSpace(in.Title)
	if err := in.Validate(); err != nil {
		return Training{}, err
	}
	return audit.Insert(ctx, s.DB, a, "training.create", "training", func(tx *db.Tx) (int64, error) {
		if err := checkUnitInScope(ctx, tx, a, "organiser_unit_id", in.OrganiserUnitID); err != nil {
			return 0, err
		}
		now := s.now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO trainings (title, held_on, place, organiser_unit_id, hours, summary, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, in.Title, in.HeldOn, in.Place, in.OrganiserUnitID, in.Hours, in.Summary, now, now).Scan(&id); err != nil {
			return 0, errs.Wrap(err, "insert training")
		}
		return id, writeAttendees(ctx, tx, id, in.StaffIDs)
	}, getTraining)
}

// UpdateTraining edits a session whose organiser is in scope (404 otherwise).
func (s *Service) UpdateTraining(ctx context.Context, a *org.Actor, id int64, in TrainingInput) (Training, error) {
	in.Title = strings.TrimSpace(in.Title)
	if err := in.Validate(); err != nil {
		return Training{}, err
	}
	var out Training
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getTraining(ctx, tx, id)
		if err != nil {
			return err
		}
		if checkUnitInScope(ctx, tx, a, "organiser_unit_id", before.OrganiserUnitID) != nil {
			return errs.NotFoundf("培训", "training")
		}
		if in.OrganiserUnitID == 0 {
			in.OrganiserUnitID = before.OrganiserUnitID
		}
		if err := checkUnitInScope(ctx, tx, a, "organiser_unit_id", in.OrganiserUnitID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE trainings SET title = ?, held_on = ?, place = ?, organiser_unit_id = ?, hours = ?, summary = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Title, in.HeldOn, in.Place, in.OrganiserUnitID, in.Hours, in.Summary, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if err := writeAttendees(ctx, tx, id, in.StaffIDs); err != nil {
			return err
		}
		if out, err = getTraining(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("training.update", "training", id, before, out))
	})
	return out, err
}
