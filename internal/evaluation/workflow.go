package evaluation

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// change applies one workflow step: the screening must be in one of the
// given states and at the caller's version; apply says what to set; the
// step and its comment join the review trail.
func (s *Service) change(ctx context.Context, a *org.Actor, id int64, version int, action, note string, from []string,
	apply func(tx *db.Tx, e Evaluation) (string, []any, error)) (Evaluation, error) {
	var out Evaluation
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		e, err := s.get(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if e.Version != version {
			return errs.Stale(e)
		}
		if !slices.Contains(from, e.Status) {
			return errs.E(errs.Unprocessable, "当前状态（"+e.Status+"）不能执行此操作", "not possible while the screening is "+e.Status)
		}
		set, args, err := apply(tx, e)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE evaluations SET `+set+`, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			append(args, s.now(), id, version)...)
		if err := db.OneRow(res, err, e); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_reviews (evaluation_id, action, comment, by_user_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, strings.TrimPrefix(action, "evaluation."), note, actorID(a), a.DisplayName, s.now()); err != nil {
			return errs.Wrap(err, "record review")
		}
		if out, err = s.get(ctx, tx, a, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry(action, "evaluation", id, e, out))
	})
	return out, err
}

// freeze evaluates the screening now and returns the columns that store it:
// from submission on, a screening keeps the results of its day.
func (s *Service) freeze(ctx context.Context, tx *db.Tx, a *org.Actor, e Evaluation, conf map[string]Confirmation, conditions string) (string, []any, error) {
	p, err := s.Projects.GetIn(ctx, tx, a, e.ProjectID)
	if err != nil {
		return "", nil, err
	}
	if err := checkDay(e.EvaluatedOn, p.LeadOn, s.today()); err != nil {
		return "", nil, err
	}
	r, err := s.evaluate(ctx, tx, p, e.EvaluatedOn, e.Inputs, conf, conditions)
	if err != nil {
		return "", nil, err
	}
	raw, _ := json.Marshal(r)
	cj, _ := json.Marshal(conf)
	var setID any
	if r.Set != nil {
		setID = r.Set.ID
	}
	return "results_json = ?, verdict = ?, checklist_json = ?, conditions = ?, set_id = ?", []any{string(raw), r.Verdict, string(cj), conditions, setID}, nil
}

// Submit sends a draft for review; its results are fixed from now on.
func (s *Service) Submit(ctx context.Context, a *org.Actor, id int64, st Step) (Evaluation, error) {
	return s.change(ctx, a, id, st.Version, "evaluation.submit", st.Comment, []string{"draft", "returned"}, func(tx *db.Tx, e Evaluation) (string, []any, error) {
		set, args, err := s.freeze(ctx, tx, a, e, e.Checklist, e.Conditions)
		return set + ", status = 'submitted'", args, err
	})
}

// Review records the reviewer's answers to the checklist and any conditions.
func (s *Service) Review(ctx context.Context, a *org.Actor, id int64, st Step) (Evaluation, error) {
	return s.change(ctx, a, id, st.Version, "evaluation.review", st.Comment, []string{"submitted"}, func(tx *db.Tx, e Evaluation) (string, []any, error) {
		for code, c := range st.Confirmations {
			if c.Answer != "ok" && c.Answer != "not_ok" {
				return "", nil, errs.E(errs.Invalid, "审核意见应为 ok 或 not_ok："+code, "answers are ok or not_ok: "+code).Field("confirmations", "取值无效", "invalid")
			}
		}
		p, err := s.Projects.GetIn(ctx, tx, a, e.ProjectID)
		if err != nil {
			return "", nil, err
		}
		if err := s.checkDuties(ctx, tx, a, e, p, "review"); err != nil {
			return "", nil, err
		}
		set, args, err := s.freeze(ctx, tx, a, e, st.Confirmations, st.Conditions)
		return set + ", status = 'reviewed'", args, err
	})
}

// Approve approves a reviewed screening that did not fail, by a third
// person (checkDuties). The approval records the project's figures it
// covers (screened): the signing gate compares them with the project's.
func (s *Service) Approve(ctx context.Context, a *org.Actor, id int64, st Step) (Evaluation, error) {
	return s.change(ctx, a, id, st.Version, "evaluation.approve", st.Comment, []string{"reviewed"}, func(tx *db.Tx, e Evaluation) (string, []any, error) {
		if e.Verdict == "fail" {
			return "", nil, errs.E(errs.Unprocessable, "论证结论为不通过，不能审定通过，请退回修改", "a failed screening cannot be approved; return it")
		}
		p, err := s.Projects.GetIn(ctx, tx, a, e.ProjectID)
		if err != nil {
			return "", nil, err
		}
		if err := s.checkDuties(ctx, tx, a, e, p, "approve"); err != nil {
			return "", nil, err
		}
		for _, c := range e.Results.Checklist {
			if c.Source == "reviewer" && c.Status == "pending" {
				return "", nil, errs.E(errs.Unprocessable, "审核人尚未确认："+c.NameZh+"，不能审定", "the reviewer has not confirmed: "+c.NameEn)
			}
		}
		return "status = 'approved', screened_json = ?", []any{screenedOf(p).json()}, nil
	})
}

// Return sends a screening back for revision, with the reason.
func (s *Service) Return(ctx context.Context, a *org.Actor, id int64, st Step) (Evaluation, error) {
	if strings.TrimSpace(st.Comment) == "" {
		return Evaluation{}, errs.E(errs.Invalid, "请填写退回意见", "a comment is required").Field("comment", "必填", "required")
	}
	return s.change(ctx, a, id, st.Version, "evaluation.return", st.Comment, []string{"submitted", "reviewed"}, func(tx *db.Tx, e Evaluation) (string, []any, error) {
		return "status = 'returned', results_json = '', verdict = ''", nil, nil
	})
}
