package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Verification is where a ledger-imported project at signed or later
// stands. A ledger vouches for a project's past without its evidence, so
// such a row enters pending (待核实) and counts in no statistic, ranking,
// cockpit or export total (the mirror leaves it out of its signing index
// and of EachRow; the close's SQL leaves it out too) until a user with
// project:verify, outside the importing unit, confirms it.
type Verification struct {
	Status       string     `json:"status"` // "", pending, verified
	ByUserID     *int64     `json:"by_user_id"`
	ByName       string     `json:"by_name"`
	At           *time.Time `json:"at"`
	Note         string     `json:"note"`
	AttachmentID *int64     `json:"attachment_id"`
}

// VerifyInput confirms one pending project: with its signed agreement
// (attachment_id) or, for a project signed before the first open month,
// a recorded reason instead.
type VerifyInput struct {
	ID           int64  `json:"id"`
	Version      int    `json:"version"`
	AttachmentID *int64 `json:"attachment_id"`
	Reason       string `json:"reason"`
}

// BulkVerify confirms several pending projects at once.
type BulkVerify struct {
	Items []VerifyInput `json:"items"`
}

// BulkVerified is the answer: every project verified (all or none).
type BulkVerified struct {
	Verified int       `json:"verified"`
	Items    []Project `json:"items"`
}

// MaxBulkVerify bounds one bulk verification.
const MaxBulkVerify = 500

// pendingAt is the verification status an imported row at stage enters with.
func pendingAt(stage string) string {
	if stageIndex(stage) >= stageIndex("signed") {
		return "pending"
	}
	return ""
}

// Verify confirms one pending project (audited as project.verify).
func (s *Service) Verify(ctx context.Context, a *org.Actor, id int64, in VerifyInput) (Project, error) {
	var out Project
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = s.verifyOne(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

// VerifyAll confirms several pending projects in one transaction, each
// checked and audited on its own; one that fails stops them all, with its
// position and code named.
func (s *Service) VerifyAll(ctx context.Context, a *org.Actor, in BulkVerify) (BulkVerified, error) {
	out := BulkVerified{Items: []Project{}}
	if len(in.Items) == 0 || len(in.Items) > MaxBulkVerify {
		return out, errs.E(errs.Invalid, fmt.Sprintf("一次核实 1 至 %d 个项目", MaxBulkVerify), fmt.Sprintf("verify 1 to %d projects at a time", MaxBulkVerify)).
			Field("items", "数量无效", "wrong number of items")
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		seen := map[int64]bool{}
		for i, it := range in.Items {
			if seen[it.ID] {
				return errs.E(errs.Invalid, fmt.Sprintf("第 %d 项重复", i+1), fmt.Sprintf("item %d repeats a project", i+1)).Field(fmt.Sprintf("items[%d].id", i), "重复", "repeated")
			}
			seen[it.ID] = true
			p, err := s.verifyOne(ctx, tx, a, it.ID, it)
			if err != nil {
				return itemError(i, it.ID, err)
			}
			out.Items = append(out.Items, p)
		}
		return nil
	})
	if err != nil {
		return BulkVerified{Items: []Project{}}, err
	}
	out.Verified = len(out.Items)
	return out, nil
}

// itemError names the bulk item an error belongs to, keeping its code.
func itemError(i int, id int64, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal {
		return err
	}
	out := errs.E(e.Code, fmt.Sprintf("第 %d 项（项目 %d）：%s", i+1, id, e.Msg.Zh), fmt.Sprintf("item %d (project %d): %s", i+1, id, e.Msg.En))
	out.Field(fmt.Sprintf("items[%d]", i), e.Msg.Zh, e.Msg.En)
	return out
}

// verifyOne checks and records one verification inside tx.
func (s *Service) verifyOne(ctx context.Context, tx *db.Tx, a *org.Actor, id int64, in VerifyInput) (Project, error) {
	p, err := s.forChange(ctx, tx, a, id, in.Version)
	if err != nil {
		return p, err
	}
	if p.Verify.Status != "pending" {
		return p, unprocessable("该项目不在待核实清单中", "the project is not awaiting verification")
	}
	if p.OwnerUnitID == a.UnitID || (a.UserID != 0 && createdBy(ctx, tx, id) == a.UserID) {
		return p, errs.E(errs.Forbidden, "导入单位不能核实本单位导入的项目", "the importing unit cannot verify its own imported projects")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if err := s.verifyEvidence(ctx, tx, p, &in); err != nil {
		return p, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE projects SET verify_status = 'verified', verified_by = ?, verified_at = ?, verify_note = ?,
		verify_attachment_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		db.NullID(a.UserID), s.now(), in.Reason, in.AttachmentID, s.now(), id, in.Version)
	if err := db.OneRow(res, err, p); err != nil {
		return p, err
	}
	var out Project
	err = s.afterChange(ctx, tx, a, p, &out, "project.verify")
	return out, err
}

// verifyEvidence: a project signed in an open month passes the signing
// gate as if it had signed through the stages (screening, agreement …);
// one signed before the first open month — history the city's figures were
// closed without — may instead carry the verifier's recorded reason.
func (s *Service) verifyEvidence(ctx context.Context, tx *db.Tx, p Project, in *VerifyInput) error {
	first, err := firstOpenDay(ctx, tx, s.today())
	if err != nil {
		return err
	}
	if p.SignedOn.Before(first) && in.AttachmentID == nil {
		if in.Reason == "" {
			return errs.E(errs.Invalid, "首个未关账月份（"+first.String()[:7]+"）之前签约的历史项目，无签约协议时须填写核实依据",
				"a project signed before the first open month ("+first.String()[:7]+") needs the agreement or a recorded reason").
				Field("reason", "请填写核实依据或上传签约协议", "give the reason or attach the agreement")
		}
		return nil
	}
	if in.AttachmentID == nil {
		return errs.E(errs.Invalid, "签约日期在未关账月份（"+first.String()[:7]+" 起）的项目，须附签约协议核实",
			"a project signed in an open month (from "+first.String()[:7]+") is verified with its signed agreement").
			Field("attachment_id", "请选择签约协议", "choose the agreement")
	}
	return s.signingGate(ctx, tx, p, in.AttachmentID)
}

// firstOpenDay is the first day of the first month not closed: the month
// after the last closed one, or — before any month has been closed — the
// current month (what lies before it has not been reported live yet).
func firstOpenDay(ctx context.Context, q db.Querier, today civil.Date) (civil.Date, error) {
	var y, m int
	err := q.QueryRowContext(ctx, `SELECT year, month FROM period_closes WHERE reopened_at IS NULL ORDER BY year DESC, month DESC LIMIT 1`).Scan(&y, &m)
	if errors.Is(err, sql.ErrNoRows) {
		return civil.MustParse(today.String()[:8] + "01"), nil
	}
	if err != nil {
		return civil.Date{}, errs.Wrap(err, "closed months")
	}
	if m == 12 {
		y, m = y+1, 0
	}
	return civil.MustParse(fmt.Sprintf("%04d-%02d-01", y, m+1)), nil
}

func createdBy(ctx context.Context, q db.Querier, id int64) int64 {
	var by sql.NullInt64
	_ = q.QueryRowContext(ctx, `SELECT created_by FROM projects WHERE id = ?`, id).Scan(&by)
	return by.Int64
}
