package evaluation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/setting"
)

// Results are what a screening found: the rule set used, each indicator,
// each rule's verdict, the checklist and the overall verdict.
type Results struct {
	Set        *BaselineSet `json:"set"`
	Indicators []Indicator  `json:"indicators"`
	Rules      []RuleResult `json:"rules"`
	Checklist  []CheckItem  `json:"checklist"`
	Verdict    string       `json:"verdict"` // pass, conditional, fail
	ReasonsZh  []string     `json:"reasons_zh"`
	ReasonsEn  []string     `json:"reasons_en"`
}

// Evaluation is a screening and its review trail.
type Evaluation struct {
	ID          int64                   `json:"id"`
	ProjectID   int64                   `json:"project_id"`
	ProjectName string                  `json:"project_name"`
	ProjectCode string                  `json:"project_code"`
	Status      string                  `json:"status"` // draft, submitted, reviewed, approved, returned
	EvaluatedOn civil.Date              `json:"evaluated_on"`
	Inputs      Inputs                  `json:"inputs"`
	Checklist   map[string]Confirmation `json:"confirmations"`
	Results     Results                 `json:"results"`
	Verdict     string                  `json:"verdict"`
	Conditions  string                  `json:"conditions"`
	Reviews     []Review                `json:"reviews"`
	Version     int                     `json:"version"`
	UpdatedAt   time.Time               `json:"updated_at"`
}

// Review is one step of the workflow.
type Review struct {
	Action  string    `json:"action"`
	Comment string    `json:"comment"`
	ByName  string    `json:"by_name"`
	ByID    *int64    `json:"by_user_id"`
	At      time.Time `json:"at"`
}

// Input creates or revises a screening.
type Input struct {
	EvaluatedOn civil.Date `json:"evaluated_on"`
	Inputs      Inputs     `json:"inputs"`
	Version     int        `json:"version"`
}

// Step moves a screening through its review.
type Step struct {
	Comment       string                  `json:"comment"`
	Conditions    string                  `json:"conditions"`
	Confirmations map[string]Confirmation `json:"confirmations"`
	Version       int                     `json:"version"`
}

// evaluate computes the results of inputs for a project on a day.
func (s *Service) evaluate(ctx context.Context, q db.Querier, p project.Project, day civil.Date, in Inputs, conf map[string]Confirmation, conditions string) (Results, error) {
	set, found, err := resolve(ctx, q, in.ParkUnitID, p.IndustryCode, day)
	if err != nil {
		return Results{}, err
	}
	r := Results{Indicators: Compute(in), Rules: []RuleResult{}}
	if found {
		r.Set = &set // the JSON's set stays null when none applies
		r.Rules = Judge(r.Indicators, set.Rules)
	}
	if r.Checklist, err = checklist(ctx, q, p, in, conf); err != nil {
		return r, err
	}
	r.Verdict = "pass"
	if !found {
		// Fail closed: a screening against no baseline proves nothing.
		r.Verdict = "fail"
		r.ReasonsZh = append(r.ReasonsZh, "没有适用的投资效益底线规则（"+day.String()+" 生效、适用于该园区和行业），不能通过：请市招商办负责维护投资效益底线的人员（「维护投资效益底线与负面清单」权限）先设定")
		r.ReasonsEn = append(r.ReasonsEn, "no baseline applies (in force on "+day.String()+" for this park and industry), so the screening cannot pass: the commission office staff who maintain baselines (permission baseline:write) must set one first")
	}
	for _, rr := range r.Rules {
		r.note(rr.Result, rr.ReasonZh, rr.ReasonEn)
	}
	for _, c := range r.Checklist {
		r.note(c.Status, strings.TrimSpace(c.NameZh+"："+statusZh[c.Status]+" "+c.DetailZh), c.NameEn+": "+c.Status)
	}
	if strings.TrimSpace(conditions) != "" && r.Verdict == "pass" {
		r.Verdict = "conditional"
	}
	return r, nil
}

var statusZh = map[string]string{"fail": "不符合", "flag": "需核实", "pending": "待审核人确认", "missing": "数据不全"}

// note folds one rule or item into the verdict: a failure fails the
// screening; anything unresolved makes it conditional at best.
func (r *Results) note(status, zh, en string) {
	switch status {
	case "fail":
		r.Verdict = "fail"
	case "flag", "pending", "missing":
		if r.Verdict == "pass" {
			r.Verdict = "conditional"
		}
	default:
		return
	}
	r.ReasonsZh, r.ReasonsEn = append(r.ReasonsZh, zh), append(r.ReasonsEn, en)
}

func validateInputs(in Inputs) error {
	var v errs.Validation
	if in.LandAreaMu < 0 || in.FixedAssetInvestment < 0 || in.ExpectedOutput < 0 || in.ExpectedTax < 0 || in.EnergyTCE < 0 || in.Jobs < 0 {
		v.Add("inputs", "数值不能为负", "figures cannot be negative")
	}
	if in.BuildingCoverage > 100_00 || in.AdminFacilityShare > 100_00 {
		v.Add("inputs", "比例不能超过 100%", "shares cannot exceed 100%")
	}
	if parts := in.BuildingInvestment + in.EquipmentInvestment + in.LandInvestment; parts > 0 && parts != in.FixedAssetInvestment {
		v.Add("inputs", "固定资产投资应等于建筑、设备、土地投资之和（"+parts.String()+"）", "fixed-asset investment must equal buildings + equipment + land ("+parts.String()+")")
	}
	return v.Err()
}

// Create starts a screening of a project in scope.
func (s *Service) Create(ctx context.Context, a *org.Actor, projectID int64, in Input) (Evaluation, error) {
	if err := validateInputs(in.Inputs); err != nil {
		return Evaluation{}, err
	}
	if in.EvaluatedOn.IsZero() {
		in.EvaluatedOn = s.today()
	}
	var out Evaluation
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.Projects.GetIn(ctx, tx, a, projectID)
		if err != nil {
			return err
		}
		if err := checkDay(in.EvaluatedOn, p.LeadOn, s.today()); err != nil {
			return err
		}
		raw, _ := json.Marshal(in.Inputs)
		var id int64
		now := s.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO evaluations (project_id, status, evaluated_on, inputs_json, created_by, version, created_at, updated_at)
			VALUES (?, 'draft', ?, ?, ?, 1, ?, ?) RETURNING id`, projectID, in.EvaluatedOn, string(raw), actorID(a), now, now).Scan(&id)
		if err != nil {
			return errs.Wrap(err, "insert evaluation")
		}
		if out, err = s.get(ctx, tx, a, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("evaluation.create", "evaluation", id, nil, out))
	})
	return out, err
}

// get loads a screening whose project is in scope; drafts and returned ones
// are evaluated afresh, later ones show the results frozen at submission.
func (s *Service) get(ctx context.Context, q db.Querier, a *org.Actor, id int64) (Evaluation, error) {
	var e Evaluation
	var inputs, conf, results string
	err := q.QueryRowContext(ctx, `SELECT id, project_id, status, evaluated_on, inputs_json, checklist_json, results_json, verdict, conditions, version, updated_at
		FROM evaluations WHERE id = ?`, id).Scan(&e.ID, &e.ProjectID, &e.Status, &e.EvaluatedOn, &inputs, &conf, &results, &e.Verdict, &e.Conditions, &e.Version, &e.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.NotFoundf("论证评估", "screening")
	}
	if err != nil {
		return e, errs.Wrap(err, "get evaluation")
	}
	p, err := s.Projects.GetIn(ctx, q, a, e.ProjectID)
	if err != nil {
		return e, errs.NotFoundf("论证评估", "screening")
	}
	e.ProjectName, e.ProjectCode = p.Name, p.Code
	_ = json.Unmarshal([]byte(inputs), &e.Inputs)
	_ = json.Unmarshal([]byte(conf), &e.Checklist)
	if results != "" {
		_ = json.Unmarshal([]byte(results), &e.Results)
	} else if e.Results, err = s.evaluate(ctx, q, p, e.EvaluatedOn, e.Inputs, e.Checklist, e.Conditions); err != nil {
		return e, err
	}
	if e.Verdict == "" {
		e.Verdict = e.Results.Verdict
	}
	e.Reviews, err = reviews(ctx, q, id)
	return e, err
}

func reviews(ctx context.Context, q db.Querier, id int64) ([]Review, error) {
	rows, err := q.QueryContext(ctx, `SELECT action, comment, by_name, by_user_id, at FROM evaluation_reviews WHERE evaluation_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, errs.Wrap(err, "reviews")
	}
	defer rows.Close()
	out := []Review{}
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.Action, &r.Comment, &r.ByName, &r.ByID, &r.At); err != nil {
			return nil, errs.Wrap(err, "reviews")
		}
		out = append(out, r)
	}
	return out, errs.Wrap(rows.Err(), "reviews")
}

// Get returns a screening in scope.
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Evaluation, error) {
	return s.get(ctx, s.DB.Reader(), a, id)
}

// ForProject lists a project's screenings, newest first.
func (s *Service) ForProject(ctx context.Context, a *org.Actor, projectID int64) ([]Evaluation, error) {
	q := s.DB.Reader()
	if _, err := s.Projects.GetIn(ctx, q, a, projectID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM evaluations WHERE project_id = ? ORDER BY id DESC`, projectID)
	if err != nil {
		return nil, errs.Wrap(err, "list evaluations")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, errs.Wrap(err, "list evaluations")
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := []Evaluation{}
	for _, id := range ids {
		e, err := s.get(ctx, q, a, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Revise changes the inputs of a draft or returned screening.
func (s *Service) Revise(ctx context.Context, a *org.Actor, id int64, in Input) (Evaluation, error) {
	if err := validateInputs(in.Inputs); err != nil {
		return Evaluation{}, err
	}
	return s.change(ctx, a, id, in.Version, "evaluation.revise", "", []string{"draft", "returned"}, func(tx *db.Tx, e Evaluation) (string, []any, error) {
		raw, _ := json.Marshal(in.Inputs)
		day := in.EvaluatedOn
		if day.IsZero() {
			day = e.EvaluatedOn
		}
		p, err := s.Projects.GetIn(ctx, tx, a, e.ProjectID)
		if err != nil {
			return "", nil, err
		}
		if err := checkDay(day, p.LeadOn, s.today()); err != nil {
			return "", nil, err
		}
		return "inputs_json = ?, evaluated_on = ?, status = 'draft'", []any{string(raw), day}, nil
	})
}

// gateKey is the setting that makes the signing gate a warning instead.
const gateKey = "evaluation.gate"

// GateSetting says whether signing requires an approved screening.
type GateSetting struct {
	Mode    string `json:"mode"` // require (default) or warn
	Version int    `json:"version"`
}

// gate refuses to sign a project without an approved screening covering
// its current figures, unless the setting makes that a warning; a
// foreign-funded project in a class the negative list prohibits never signs.
func (s *Service) gate(ctx context.Context, q db.Querier, projectID int64) error {
	p, err := s.Projects.GetIn(ctx, q, &org.Actor{Scope: org.ScopeAll}, projectID)
	if err != nil {
		return err
	}
	if foreignFunded(p) {
		h, err := matchNegative(ctx, q, p.IndustryCode)
		if err != nil {
			return err
		}
		if len(h.prohibited) > 0 && !h.coarse {
			return errs.E(errs.Unprocessable, "外资项目属外商投资准入负面清单禁止类，不能签约："+strings.Join(h.prohibited, "；"),
				"a foreign-funded project in a class the negative list prohibits cannot sign")
		}
	}
	cfg := GateSetting{Mode: "require"}
	if _, err := setting.Load(ctx, q, gateKey, &cfg); err != nil {
		return err
	}
	if cfg.Mode == "warn" {
		return nil
	}
	var raw string
	err = q.QueryRowContext(ctx, `SELECT screened_json FROM evaluations WHERE project_id = ? AND status = 'approved' ORDER BY id DESC LIMIT 1`, projectID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.Unprocessable, "签约前须完成论证评估并经审定（投资效益底线、合规审查）", "a project signs only after its screening is approved")
	}
	if err != nil {
		return errs.Wrap(err, "signing gate")
	}
	var approved screened
	if json.Unmarshal([]byte(raw), &approved) != nil {
		return errs.E(errs.Unprocessable, "审定的论证评估未记录所论证的项目数据，请重新论证评估", "the approved screening does not record the figures it covered; screen the project again")
	}
	if zh, en := screenedOf(p).changedSince(approved); len(zh) > 0 {
		return errs.E(errs.Unprocessable, "论证评估审定后项目的"+strings.Join(zh, "、")+"已变更，须重新论证评估并经审定后才能签约",
			"the project's "+strings.Join(en, ", ")+" changed after its screening was approved; screen it again before signing")
	}
	return nil
}

// Gate returns the signing-gate setting.
func (s *Service) Gate(ctx context.Context) (GateSetting, error) {
	cfg, _, err := loadGate(ctx, s.DB.Reader())
	return cfg, err
}

// SetGate makes the signing gate a requirement or a warning.
func (s *Service) SetGate(ctx context.Context, a *org.Actor, in GateSetting) (GateSetting, error) {
	if in.Mode != "require" && in.Mode != "warn" {
		return in, errs.E(errs.Invalid, "应为 require 或 warn", "require or warn").Field("mode", "取值无效", "invalid")
	}
	return setting.Update(ctx, s.DB, a.Who(), gateKey, loadGate, GateSetting{Mode: in.Mode}, in.Version, s.now())
}

func loadGate(ctx context.Context, q db.Querier) (GateSetting, int, error) {
	cfg := GateSetting{Mode: "require"}
	v, err := setting.Load(ctx, q, gateKey, &cfg)
	cfg.Version = v
	return cfg, v, err
}
