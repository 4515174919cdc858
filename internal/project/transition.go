package project

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/webhook"
)

// Transition is a request to move a project: to the next stage, back one
// stage, on hold, resumed or terminated.
type Transition struct {
	Action       string     `json:"action"`
	On           civil.Date `json:"on"`
	Evidence     string     `json:"evidence"`
	AttachmentID *int64     `json:"attachment_id"`
	Reason       string     `json:"reason"`
	Version      int        `json:"version"`
}

// evidenceKinds: which attachment kinds prove each forward step (R13).
var evidenceKinds = map[string][]string{
	"signed":     {"agreement"},
	"registered": {"registration", "land_contract"},
	"production": {"production_proof"},
}

func unprocessable(zh, en string) *errs.Error { return errs.E(errs.Unprocessable, zh, en) }

// Move applies a transition, checking the stage rules, and records it.
func (s *Service) Move(ctx context.Context, a *org.Actor, id int64, t Transition) (Project, error) {
	if t.On.IsZero() {
		t.On = s.today() // in Asia/Shanghai: 23:30 on 31 December is still December
	}
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.forChange(ctx, tx, a, id, t.Version)
		if err != nil {
			return err
		}
		set, to, err := s.plan(ctx, tx, p, t)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET `+set.sql+`, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			append(set.args, s.now(), id, t.Version)...)
		if err := db.OneRow(res, err, p); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO project_transitions (project_id, action, from_stage, to_stage, from_status, to_status,
			on_date, evidence, attachment_id, reason, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, t.Action, p.Stage, to.stage, p.Status, to.status, t.On, t.Evidence, t.AttachmentID, t.Reason, db.NullID(a.UserID), s.now())
		if err != nil {
			return errs.Wrap(err, "record transition")
		}
		if err := s.afterChange(ctx, tx, a, p, &out, "project."+t.Action); err != nil {
			return err
		}
		return webhook.ProjectMoved(ctx, tx, webhook.ProjectRef{ID: id, Code: out.Code, Name: out.Name}, p.Stage, to.stage, t.On)
	})
	return out, err
}

type assignment struct {
	sql  string
	args []any
}

type state struct{ stage, status string }

// plan checks a transition against the project and says what to set.
func (s *Service) plan(ctx context.Context, q db.Querier, p Project, t Transition) (assignment, state, error) {
	if t.On.After(s.today()) {
		return assignment{}, state{}, errs.E(errs.Invalid, "日期不能晚于今天", "the date cannot be in the future").Field("on", "不能晚于今天", "cannot be in the future")
	}
	needReason := func() error {
		if strings.TrimSpace(t.Reason) == "" {
			return errs.E(errs.Invalid, "请填写原因", "a reason is required").Field("reason", "必填", "required")
		}
		return nil
	}
	switch t.Action {
	case "hold", "terminate":
		if err := needReason(); err != nil {
			return assignment{}, state{}, err
		}
		if p.Status == "terminated" {
			return assignment{}, state{}, unprocessable("项目已终止", "the project is terminated")
		}
		status := map[string]string{"hold": "on_hold", "terminate": "terminated"}[t.Action]
		return assignment{"status = ?, status_reason = ?", []any{status, t.Reason}}, state{p.Stage, status}, nil
	case "resume":
		if p.Status != "on_hold" {
			return assignment{}, state{}, unprocessable("只有暂缓的项目可以恢复", "only a project on hold can resume")
		}
		return assignment{"status = 'active', status_reason = ''", nil}, state{p.Stage, "active"}, nil
	}
	if p.Verify.Status == "pending" {
		return assignment{}, state{}, unprocessable("项目待核实：导入的已签约项目须先经招商办核实，才能变更阶段",
			"the project awaits verification: an imported signed project changes stage only once verified")
	}
	if p.Status != "active" {
		return assignment{}, state{}, unprocessable("项目处于暂缓或终止状态，请先恢复", "the project is on hold or terminated; resume it first")
	}
	cur := stageIndex(p.Stage)
	if t.Action == "back" {
		if err := needReason(); err != nil {
			return assignment{}, state{}, err
		}
		if cur == 0 {
			return assignment{}, state{}, unprocessable("线索阶段不能再退回", "a lead cannot go back further")
		}
		if p.Stage == "signed" {
			// Land is supplied by progress: a project before signing holds none.
			codes, err := suppliedParcels(ctx, q, p.ID)
			if err != nil {
				return assignment{}, state{}, err
			}
			if codes != "" {
				return assignment{}, state{}, unprocessable("项目已供地（地块 "+codes+"），请先释放地块（填写原因）再退回签约前阶段",
					"land is supplied to the project (parcels "+codes+"): release it, with the reason, before stepping back before signing")
			}
		}
		// Leaving a stage forgets the day it was reached; the transition log keeps it.
		return assignment{"stage = ?, " + p.Stage + "_on = NULL", []any{Stages[cur-1]}}, state{Stages[cur-1], p.Status}, nil
	}
	if cur+1 >= len(Stages) || t.Action != Stages[cur+1] {
		return assignment{}, state{}, unprocessable("只能推进到下一阶段（当前："+StageZh[p.Stage]+"）", "a project moves one stage at a time (now: "+p.Stage+")")
	}
	if prev := p.stageDate(p.Stage); t.On.Before(prev) {
		return assignment{}, state{}, errs.E(errs.Invalid, "日期不能早于上一阶段（"+prev.String()+"）", "the date cannot be before the previous step ("+prev.String()+")").
			Field("on", "不能早于 "+prev.String(), "cannot be before "+prev.String())
	}
	if err := s.checkEvidence(ctx, q, p, t); err != nil {
		return assignment{}, state{}, err
	}
	return assignment{"stage = ?, " + t.Action + "_on = ?", []any{t.Action, t.On}}, state{t.Action, p.Status}, nil
}

// checkEvidence enforces what each forward step must carry.
func (s *Service) checkEvidence(ctx context.Context, q db.Querier, p Project, t Transition) error {
	if t.Action == "signed" {
		return s.signingGate(ctx, q, p, t.AttachmentID)
	}
	if t.Action == "construction" && strings.TrimSpace(t.Evidence) == "" {
		return errs.E(errs.Invalid, "动工须填写施工许可证号", "construction needs the construction permit number").Field("evidence", "请填写施工许可证号", "permit number required")
	}
	if t.Action == "construction" && s.ConstructionGate != nil {
		if err := s.ConstructionGate(ctx, q, p); err != nil {
			return err
		}
	}
	if _, ok := evidenceKinds[t.Action]; !ok {
		return nil
	}
	return checkAttachment(ctx, q, p, t.Action, t.AttachmentID)
}

// signingGate is the one gate every way to signed or later passes: the
// signed transition, and the verification of a ledger-imported project
// (verify.go). A merge never moves a project's stage, and an imported row
// at signed or later counts nowhere until it has passed here.
func (s *Service) signingGate(ctx context.Context, q db.Querier, p Project, agreement *int64) error {
	var missing []string
	if p.LocalityUnitID == nil {
		missing = append(missing, "落户地")
	}
	if p.ContractInvestment <= 0 {
		missing = append(missing, "合同投资额")
	}
	if len(missing) > 0 {
		return unprocessable("签约前请先填写："+strings.Join(missing, "、"), "fill in before signing: landing locality and contracted investment")
	}
	if s.SigningGate != nil {
		if err := s.SigningGate(ctx, q, p.ID); err != nil {
			return err
		}
	}
	return checkAttachment(ctx, q, p, "signed", agreement)
}

// checkAttachment: the attachment proving a step is this project's, of a
// kind that step takes.
func checkAttachment(ctx context.Context, q db.Querier, p Project, step string, id *int64) error {
	kinds := evidenceKinds[step]
	label := map[string]string{"signed": "签约协议", "registered": "注册登记或土地出让合同", "production": "投产证明"}[step]
	if id == nil {
		return errs.E(errs.Invalid, "请上传"+label, "attach the "+strings.Join(kinds, " or ")).Field("attachment_id", "请上传"+label, "required")
	}
	var kind string
	err := q.QueryRowContext(ctx, `SELECT kind FROM project_attachments WHERE id = ? AND project_id = ?`, *id, p.ID).Scan(&kind)
	if err != nil || !contains(kinds, kind) {
		return errs.E(errs.Invalid, "附件应为本项目的"+label, "the attachment must be this project's "+strings.Join(kinds, " or ")).
			Field("attachment_id", "附件类型不符", "wrong attachment")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
