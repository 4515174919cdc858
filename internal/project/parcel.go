package project

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
	"github.com/zhaoqing/attract/internal/platform/money"
)

// Parcel is a plot of land in a park, supplied to a project (R12).
type Parcel struct {
	ID          int64       `json:"id"`
	ParkUnitID  int64       `json:"park_unit_id"`
	ParkName    string      `json:"park_name"`
	Code        string      `json:"code"`
	Location    string      `json:"location"`
	AreaMu      money.Cents `json:"area_mu"`
	LandUse     string      `json:"land_use"`
	Status      string      `json:"status"` // available, reserved, supplied
	ProjectID   *int64      `json:"project_id"`
	ProjectName string      `json:"project_name"`
	SuppliedOn  civil.Date  `json:"supplied_on"`
	Reason      string      `json:"reason"` // why it was supplied outside the landing locality, or released
	Version     int         `json:"version"`
	UpdatedAt   time.Time   `json:"updated_at"`
	// Land is the land-use figures of the parcel's project (parcel_land.go).
	Land *LandUse `json:"land,omitempty"`
}

// ParcelInput registers or edits a parcel.
type ParcelInput struct {
	ParkUnitID int64       `json:"park_unit_id"`
	Code       string      `json:"code"`
	Location   string      `json:"location"`
	AreaMu     money.Cents `json:"area_mu"`
	LandUse    string      `json:"land_use"`
	Version    int         `json:"version"`
}

// ParcelAction reserves, supplies or releases a parcel.
type ParcelAction struct {
	Action     string     `json:"action"` // reserve, supply, release
	ProjectID  int64      `json:"project_id"`
	SuppliedOn civil.Date `json:"supplied_on"`
	Reason     string     `json:"reason"` // required to release a supplied parcel, or to supply one outside the landing locality
	Version    int        `json:"version"`
}

const parcelCols = `l.id, l.park_unit_id, u.name, l.code, l.location, l.area_mu, l.land_use, l.status, l.project_id, COALESCE(p.name, ''),
	l.supplied_on, l.reason, l.version, l.updated_at`
const parcelFrom = ` FROM parcels l JOIN units u ON u.id = l.park_unit_id LEFT JOIN projects p ON p.id = l.project_id`

func scanParcel(sc interface{ Scan(...any) error }) (Parcel, error) {
	var l Parcel
	err := sc.Scan(&l.ID, &l.ParkUnitID, &l.ParkName, &l.Code, &l.Location, &l.AreaMu, &l.LandUse, &l.Status, &l.ProjectID, &l.ProjectName,
		&l.SuppliedOn, &l.Reason, &l.Version, &l.UpdatedAt)
	return l, err
}

// getParcel loads a parcel whose park lies in the actor's scope.
func getParcel(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Parcel, error) {
	cond, args := a.ScopeSQL("l.park_unit_id", "")
	l, err := scanParcel(q.QueryRowContext(ctx, `SELECT `+parcelCols+parcelFrom+` WHERE l.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return l, errs.NotFoundf("地块", "parcel")
	}
	return l, errs.Wrap(err, "get parcel")
}

// Parcels lists parcels in scope, by park and status; projectID > 0 lists a
// project's parcels (when the project is in scope).
func (s *Service) Parcels(ctx context.Context, a *org.Actor, parkID int64, status string, projectID int64) ([]Parcel, error) {
	q := s.DB.Reader()
	var w db.Where
	if projectID > 0 {
		if _, err := s.get(ctx, q, a, projectID); err != nil {
			return nil, err
		}
		w.Add("l.project_id = ?", projectID)
	} else {
		cond, args := a.ScopeSQL("l.park_unit_id", "")
		w.Add(cond, args...)
	}
	if parkID > 0 {
		w.Add("l.park_unit_id = ?", parkID)
	}
	if status != "" {
		w.Add("l.status = ?", status)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+parcelCols+parcelFrom+w.SQL()+` ORDER BY u.name, l.code`, w.Args()...)
	if err != nil {
		return nil, errs.Wrap(err, "list parcels")
	}
	defer rows.Close()
	out := []Parcel{}
	for rows.Next() {
		l, err := scanParcel(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan parcel")
		}
		out = append(out, l)
	}
	return out, errs.Wrap(rows.Err(), "list parcels")
}

func (in *ParcelInput) validate(ctx context.Context, q db.Querier, a *org.Actor) error {
	var v errs.Validation
	if c := strings.TrimSpace(in.Code); c == "" || len([]rune(c)) > 40 {
		v.Add("code", "地块编号必填，最多 40 个字符", "required, at most 40 characters")
	}
	if in.AreaMu <= 0 {
		v.Add("area_mu", "面积须大于 0", "must be above 0")
	}
	if ok, _ := dictionary.Exists(ctx, q, "land_use", in.LandUse); !ok {
		v.Add("land_use", "土地用途不在数据字典中", "not a land use in the dictionary")
	}
	cond, args := a.ScopeSQL("id", "")
	if ok, err := db.Exists(ctx, q, `SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active' AND kind IN ('park', 'locality') AND `+cond, append([]any{in.ParkUnitID}, args...)...); err != nil {
		return err
	} else if !ok {
		v.Add("park_unit_id", "须为本人数据范围内的园区或县(市、区)", "must be a park or locality in your scope")
	}
	return v.Err()
}

// CreateParcel registers a parcel as available.
func (s *Service) CreateParcel(ctx context.Context, a *org.Actor, in ParcelInput) (Parcel, error) {
	var out Parcel
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := in.validate(ctx, tx, a); err != nil {
			return err
		}
		var id int64
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO parcels (park_unit_id, code, location, area_mu, land_use, status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'available', 1, ?, ?) RETURNING id`, in.ParkUnitID, in.Code, in.Location, in.AreaMu, in.LandUse, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.E(errs.Conflict, "地块编号已存在", "the parcel code is taken").Field("code", "已存在", "already exists")
		}
		if err != nil {
			return errs.Wrap(err, "insert parcel")
		}
		if out, err = getParcel(ctx, tx, &org.Actor{Scope: org.ScopeAll}, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("parcel.create", "parcel", id, nil, out))
	})
	return out, err
}

// ActOnParcel reserves a parcel for a project, supplies it, or releases a
// reservation. Land is supplied by progress: only to a signed project, and
// never residential land with a promotion agreement (R12).
func (s *Service) ActOnParcel(ctx context.Context, a *org.Actor, id int64, in ParcelAction) (Parcel, error) {
	var out Parcel
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getParcel(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return errs.Stale(before)
		}
		set, args, err := s.parcelChange(ctx, tx, a, before, in)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE parcels SET `+set+`, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			append(args, s.now(), id, in.Version)...)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = getParcel(ctx, tx, &org.Actor{Scope: org.ScopeAll}, id); err != nil {
			return err
		}
		if out.ProjectID != nil {
			if out.Land, err = landUse(ctx, tx, *out.ProjectID); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, a.Entry("parcel."+in.Action, "parcel", id, before, out))
	})
	return out, err
}

func (s *Service) parcelChange(ctx context.Context, tx *db.Tx, a *org.Actor, l Parcel, in ParcelAction) (string, []any, error) {
	reason := strings.TrimSpace(in.Reason)
	if in.Action == "release" {
		switch {
		case l.Status == "available":
			return "", nil, unprocessable("地块未预留或供地，无需释放", "the parcel is neither reserved nor supplied")
		case l.Status == "supplied" && reason == "":
			return "", nil, errs.E(errs.Invalid, "释放已供地块须填写原因", "releasing a supplied parcel needs a reason").Field("reason", "请填写原因", "required")
		}
		return "status = 'available', project_id = NULL, supplied_on = NULL, reason = ?", []any{reason}, nil
	}
	if in.Action != "reserve" && in.Action != "supply" {
		return "", nil, errs.E(errs.Invalid, "操作应为 reserve、supply 或 release", "action is reserve, supply or release").Field("action", "取值无效", "invalid")
	}
	if l.LandUse == "residential" {
		return "", nil, unprocessable("严禁在招商协议中配套安排商品住宅用地：该地块为商品住宅用地，不能供给招商项目",
			"promotion agreements may not allocate commercial housing land: this parcel is residential")
	}
	p, err := s.get(ctx, tx, a, in.ProjectID)
	if err != nil {
		return "", nil, errs.E(errs.Invalid, "项目不存在或无权访问", "no such project in your scope").Field("project_id", "项目无效", "invalid project")
	}
	if l.Status == "supplied" || (l.Status == "reserved" && (l.ProjectID == nil || *l.ProjectID != p.ID)) {
		return "", nil, unprocessable("该地块已预留或供给其他项目", "the parcel is reserved for or supplied to another project")
	}
	if err := checkParcelPlace(ctx, tx, l, p, reason); err != nil {
		return "", nil, err
	}
	if in.Action == "reserve" {
		return "status = 'reserved', project_id = ?, reason = ?", []any{p.ID, reason}, nil
	}
	if stageIndex(p.Stage) < stageIndex("signed") || p.Status != "active" {
		return "", nil, unprocessable("按项目进度供地：项目签约后方可供地", "land is supplied by progress: only to a signed, active project")
	}
	on := in.SuppliedOn
	if on.IsZero() {
		on = s.today()
	}
	if on.After(s.today()) || on.Before(p.SignedOn) {
		return "", nil, errs.E(errs.Invalid, "供地日期不能晚于今天或早于签约日期", "the supply date must be between signing and today").Field("supplied_on", "日期无效", "invalid date")
	}
	return "status = 'supplied', project_id = ?, supplied_on = ?, reason = ?", []any{p.ID, on, reason}, nil
}
