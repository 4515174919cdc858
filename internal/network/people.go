package network

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/pii"
	"github.com/zhaoqing/attract/internal/project"
)

// Advisor kinds: an expert, the head of an enterprise, the head of an association.
var AdvisorKinds = []string{"expert", "enterprise_head", "association_head"}

// Partner kinds: chamber of commerce, consultancy, research institute, intermediary.
var PartnerKinds = []string{"chamber", "consultancy", "institute", "intermediary"}

// Referrals counts what an advisor or partner referred, in the caller's scope.
type Referrals struct {
	Projects int `json:"projects"`
	Signed   int `json:"signed"`
}

// Advisor is a promotion advisor (招商顾问) with the appointment letter and term.
type Advisor struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Kind         string     `json:"kind"`
	Organisation string     `json:"organisation"`
	Title        string     `json:"title"`
	Region       string     `json:"region"`
	LetterNo     string     `json:"letter_no"`
	AppointedOn  civil.Date `json:"appointed_on"`
	TermEndsOn   civil.Date `json:"term_ends_on"`
	Contact      string     `json:"contact"`
	Note         string     `json:"note"`
	Status       string     `json:"status"`
	Referrals    Referrals  `json:"referrals"`
	Version      int        `json:"version"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// AdvisorInput registers or edits an advisor.
type AdvisorInput struct {
	Name         string     `json:"name"`
	Kind         string     `json:"kind"`
	Organisation string     `json:"organisation"`
	Title        string     `json:"title"`
	Region       string     `json:"region"`
	LetterNo     string     `json:"letter_no"`
	AppointedOn  civil.Date `json:"appointed_on"`
	TermEndsOn   civil.Date `json:"term_ends_on"`
	Contact      string     `json:"contact"`
	Note         string     `json:"note"`
	Status       string     `json:"status"`
	Version      int        `json:"version"`
}

// Validate checks the request.
func (in *AdvisorInput) Validate() error {
	var v errs.Validation
	text(&v, "name", in.Name, true, 50)
	oneOf(&v, "kind", in.Kind, AdvisorKinds...)
	for f, s := range map[string]string{"organisation": in.Organisation, "title": in.Title, "letter_no": in.LetterNo, "contact": in.Contact} {
		text(&v, f, s, false, 100)
	}
	text(&v, "note", in.Note, false, 2000)
	if in.AppointedOn.IsZero() {
		v.Add("appointed_on", "聘任日期必填", "required")
	}
	if in.TermEndsOn.IsZero() || in.TermEndsOn.Before(in.AppointedOn) {
		v.Add("term_ends_on", "聘期届满日必填，且不早于聘任日期", "required, not before the appointment")
	}
	if in.Status == "" {
		in.Status = "active"
	}
	oneOf(&v, "status", in.Status, "active", "ended")
	return v.Err()
}

// Partner is a partner organisation with its cooperation agreement.
type Partner struct {
	ID                int64      `json:"id"`
	Name              string     `json:"name"`
	Kind              string     `json:"kind"`
	Region            string     `json:"region"`
	AgreementNo       string     `json:"agreement_no"`
	AgreementSignedOn civil.Date `json:"agreement_signed_on"`
	AgreementEndsOn   civil.Date `json:"agreement_ends_on"`
	Contact           string     `json:"contact"`
	Note              string     `json:"note"`
	Status            string     `json:"status"`
	Referrals         Referrals  `json:"referrals"`
	Version           int        `json:"version"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// PartnerInput registers or edits a partner.
type PartnerInput struct {
	Name              string     `json:"name"`
	Kind              string     `json:"kind"`
	Region            string     `json:"region"`
	AgreementNo       string     `json:"agreement_no"`
	AgreementSignedOn civil.Date `json:"agreement_signed_on"`
	AgreementEndsOn   civil.Date `json:"agreement_ends_on"`
	Contact           string     `json:"contact"`
	Note              string     `json:"note"`
	Status            string     `json:"status"`
	Version           int        `json:"version"`
}

// Validate checks the request.
func (in *PartnerInput) Validate() error {
	var v errs.Validation
	text(&v, "name", in.Name, true, 100)
	oneOf(&v, "kind", in.Kind, PartnerKinds...)
	for f, s := range map[string]string{"agreement_no": in.AgreementNo, "contact": in.Contact} {
		text(&v, f, s, false, 100)
	}
	text(&v, "note", in.Note, false, 2000)
	if !in.AgreementEndsOn.IsZero() && in.AgreementEndsOn.Before(in.AgreementSignedOn) {
		v.Add("agreement_ends_on", "不能早于协议签订日期", "cannot be before the signing")
	}
	if in.Status == "" {
		in.Status = "active"
	}
	oneOf(&v, "status", in.Status, "active", "ended")
	return v.Err()
}

const advisorCols = `id, name, kind, organisation, title, region, letter_no, appointed_on, term_ends_on, contact, note, status, version, updated_at`

func scanAdvisor(sc interface{ Scan(...any) error }) (Advisor, error) {
	var a Advisor
	err := sc.Scan(&a.ID, &a.Name, &a.Kind, &a.Organisation, &a.Title, &a.Region, &a.LetterNo, &a.AppointedOn, &a.TermEndsOn,
		&a.Contact, &a.Note, &a.Status, &a.Version, &a.UpdatedAt)
	a.Contact = pii.Masked(a.Contact)
	return a, err
}

const partnerCols = `id, name, kind, region, agreement_no, agreement_signed_on, agreement_ends_on, contact, note, status, version, updated_at`

func scanPartner(sc interface{ Scan(...any) error }) (Partner, error) {
	var p Partner
	err := sc.Scan(&p.ID, &p.Name, &p.Kind, &p.Region, &p.AgreementNo, &p.AgreementSignedOn, &p.AgreementEndsOn,
		&p.Contact, &p.Note, &p.Status, &p.Version, &p.UpdatedAt)
	p.Contact = pii.Masked(p.Contact)
	return p, err
}

func getAdvisor(ctx context.Context, q db.Querier, id int64) (Advisor, error) {
	a, err := scanAdvisor(q.QueryRowContext(ctx, `SELECT `+advisorCols+` FROM advisors WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.NotFoundf("招商顾问", "advisor")
	}
	return a, errs.Wrap(err, "get advisor")
}

func getPartner(ctx context.Context, q db.Querier, id int64) (Partner, error) {
	p, err := scanPartner(q.QueryRowContext(ctx, `SELECT `+partnerCols+` FROM partners WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.NotFoundf("合作机构", "partner")
	}
	return p, errs.Wrap(err, "get partner")
}

// referrals counts, per advisor or partner, the referred projects in scope.
func referrals(ctx context.Context, q db.Querier, a *org.Actor, col string) (map[int64]Referrals, error) {
	cond, args := project.ScopeSQL(a)
	rows, err := q.QueryContext(ctx, `SELECT p.`+col+`, COUNT(*),
		CAST(COALESCE(SUM(CASE WHEN p.stage IN ('signed', 'registered', 'construction', 'production') THEN 1 ELSE 0 END), 0) AS BIGINT)
		FROM projects p WHERE p.`+col+` IS NOT NULL AND `+project.NotMergedSQL+` AND `+cond+` GROUP BY p.`+col, args...)
	if err != nil {
		return nil, errs.Wrap(err, "referrals")
	}
	defer rows.Close()
	out := map[int64]Referrals{}
	for rows.Next() {
		var id int64
		var r Referrals
		if err := rows.Scan(&id, &r.Projects, &r.Signed); err != nil {
			return nil, errs.Wrap(err, "scan referrals")
		}
		out[id] = r
	}
	return out, errs.Wrap(rows.Err(), "referrals")
}

// Advisors lists the advisors (?q on name and organisation), with the
// projects each referred in the caller's scope.
func (s *Service) Advisors(ctx context.Context, a *org.Actor, qs string) ([]Advisor, error) {
	q := s.DB.Reader()
	var w db.Where
	if qs != "" {
		w.Add(`(name LIKE ? ESCAPE '\' OR organisation LIKE ? ESCAPE '\')`, db.Like(qs), db.Like(qs))
	}
	out, err := db.All(ctx, q, scanAdvisor, `SELECT `+advisorCols+` FROM advisors`+w.SQL()+` ORDER BY status, term_ends_on, id`, w.Args()...)
	if err != nil {
		return nil, errs.Wrap(err, "list advisors")
	}
	refs, err := referrals(ctx, q, a, "referrer_advisor_id")
	for i := range out {
		out[i].Referrals = refs[out[i].ID]
	}
	return out, err
}

// Partners lists the partners, like Advisors.
func (s *Service) Partners(ctx context.Context, a *org.Actor, qs string) ([]Partner, error) {
	q := s.DB.Reader()
	var w db.Where
	if qs != "" {
		w.Add(`name LIKE ? ESCAPE '\'`, db.Like(qs))
	}
	out, err := db.All(ctx, q, scanPartner, `SELECT `+partnerCols+` FROM partners`+w.SQL()+` ORDER BY status, name, id`, w.Args()...)
	if err != nil {
		return nil, errs.Wrap(err, "list partners")
	}
	refs, err := referrals(ctx, q, a, "referrer_partner_id")
	for i := range out {
		out[i].Referrals = refs[out[i].ID]
	}
	return out, err
}

// CreateAdvisor registers an advisor.
func (s *Service) CreateAdvisor(ctx context.Context, a *org.Actor, in AdvisorInput) (Advisor, error) {
	if err := in.Validate(); err != nil {
		return Advisor{}, err
	}
	return audit.Insert(ctx, s.DB, a, "advisor.create", "advisor", func(tx *db.Tx) (int64, error) {
		now := s.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO advisors (name, kind, organisation, title, region, letter_no, appointed_on, term_ends_on,
			contact, note, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			in.Name, in.Kind, in.Organisation, in.Title, in.Region, in.LetterNo, in.AppointedOn, in.TermEndsOn, pii.Seal(in.Contact), in.Note, in.Status,
			now, now).Scan(&id)
		return id, errs.Wrap(err, "insert advisor")
	}, getAdvisor)
}

// UpdateAdvisor edits an advisor (a renewal is a later term end).
func (s *Service) UpdateAdvisor(ctx context.Context, a *org.Actor, id int64, in AdvisorInput) (Advisor, error) {
	if err := in.Validate(); err != nil {
		return Advisor{}, err
	}
	return audit.Update(ctx, s.DB, a, "advisor.update", "advisor", id, getAdvisor, func(tx *db.Tx, _ Advisor) (sql.Result, error) {
		var err error
		if in.Contact, err = keepContact(ctx, tx, "advisors", id, in.Contact); err != nil {
			return nil, err
		}
		return tx.ExecContext(ctx, `UPDATE advisors SET name = ?, kind = ?, organisation = ?, title = ?, region = ?, letter_no = ?,
			appointed_on = ?, term_ends_on = ?, contact = ?, note = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, in.Kind, in.Organisation, in.Title, in.Region, in.LetterNo, in.AppointedOn, in.TermEndsOn, pii.Seal(in.Contact), in.Note, in.Status,
			s.now(), id, in.Version)
	})
}

// CreatePartner registers a partner organisation.
func (s *Service) CreatePartner(ctx context.Context, a *org.Actor, in PartnerInput) (Partner, error) {
	if err := in.Validate(); err != nil {
		return Partner{}, err
	}
	return audit.Insert(ctx, s.DB, a, "partner.create", "partner", func(tx *db.Tx) (int64, error) {
		now := s.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO partners (name, kind, region, agreement_no, agreement_signed_on, agreement_ends_on,
			contact, note, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			in.Name, in.Kind, in.Region, in.AgreementNo, in.AgreementSignedOn, in.AgreementEndsOn, pii.Seal(in.Contact), in.Note, in.Status,
			now, now).Scan(&id)
		return id, errs.Wrap(err, "insert partner")
	}, getPartner)
}

// UpdatePartner edits a partner organisation.
func (s *Service) UpdatePartner(ctx context.Context, a *org.Actor, id int64, in PartnerInput) (Partner, error) {
	if err := in.Validate(); err != nil {
		return Partner{}, err
	}
	return audit.Update(ctx, s.DB, a, "partner.update", "partner", id, getPartner, func(tx *db.Tx, _ Partner) (sql.Result, error) {
		var err error
		if in.Contact, err = keepContact(ctx, tx, "partners", id, in.Contact); err != nil {
			return nil, err
		}
		return tx.ExecContext(ctx, `UPDATE partners SET name = ?, kind = ?, region = ?, agreement_no = ?, agreement_signed_on = ?,
			agreement_ends_on = ?, contact = ?, note = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, in.Kind, in.Region, in.AgreementNo, in.AgreementSignedOn, in.AgreementEndsOn, pii.Seal(in.Contact), in.Note, in.Status,
			s.now(), id, in.Version)
	})
}
