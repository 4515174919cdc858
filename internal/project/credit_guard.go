package project

import (
	"context"
	"slices"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// A project's credit (its introducers and their shares) and its landing
// locality decide whose figures it counts in, so a unit that may edit the
// project's facts may still not move them: shares change only by the owner
// unit or the commission office, the locality only through a hand-over the
// receiving locality accepts.

// unitKind is the kind of the actor's unit ("" when unknown).
func unitKind(ctx context.Context, q db.Querier, unitID int64) string {
	var k string
	_ = q.QueryRowContext(ctx, `SELECT kind FROM units WHERE id = ?`, unitID).Scan(&k)
	return k
}

// sameCredit reports whether the input keeps the stored introducers and shares.
func sameCredit(before []Introducer, in []IntroducerInput) bool {
	if len(before) != len(in) {
		return false
	}
	key := func(u int64, s int64) [2]int64 { return [2]int64{u, s} }
	var a, b [][2]int64
	for _, x := range before {
		a = append(a, key(x.UnitID, int64(x.Share)))
	}
	for _, x := range in {
		b = append(b, key(x.UnitID, int64(x.Share)))
	}
	cmp := func(x, y [2]int64) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	}
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	return slices.Equal(a, b)
}

func sameUnit(a, b *int64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// guardUpdate refuses an edit that moves credit or locality by the back door.
func guardUpdate(ctx context.Context, q db.Querier, a *org.Actor, before Project, in Input) error {
	if before.LocalityUnitID == nil && in.LocalityUnitID != nil {
		// A first landing locality follows the registration's rule.
		if err := guardCreate(ctx, q, a, in); err != nil {
			return err
		}
	} else if !sameUnit(before.LocalityUnitID, in.LocalityUnitID) {
		return errs.E(errs.Unprocessable, "落户地只能通过移交变更：发起移交，由承接的县(市、区)接受",
			"the landing locality changes only through a hand-over the receiving locality accepts").
			Field("locality_unit_id", "请通过移交变更", "change it by a hand-over")
	}
	if !sameCredit(before.Introducers, in.Introducers) && a.UnitID != before.OwnerUnitID && unitKind(ctx, q, a.UnitID) != "commission_office" {
		return errs.E(errs.Forbidden, "引进单位及份额只能由项目所属单位或市招商办修改",
			"introducers and shares are changed only by the project's owner unit or the commission office").
			Field("introducers", "无权修改", "not yours to change")
	}
	return nil
}

// guardCreate refuses a county or park registering a project straight into
// another locality: it registers in its own area, or hands the project over.
func guardCreate(ctx context.Context, q db.Querier, a *org.Actor, in Input) error {
	if in.LocalityUnitID == nil {
		return nil
	}
	if k := unitKind(ctx, q, a.UnitID); k != "locality" && k != "park" {
		return nil
	}
	var n int
	_ = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND path LIKE ?`, *in.LocalityUnitID, a.UnitPath+"%").Scan(&n)
	if n == 0 {
		return errs.E(errs.Unprocessable, "不能直接登记到其他县(市、区)：请登记在本辖区后发起移交，由对方接受",
			"a project cannot be registered straight into another locality: register it in your own area and hand it over").
			Field("locality_unit_id", "不在本辖区", "outside your area")
	}
	return nil
}

// tellIntroducers records the change of credit once for every unit whose
// share it touched, so each unit finds it under its own id in the audit log.
func tellIntroducers(ctx context.Context, tx *db.Tx, a *org.Actor, before, after Project) error {
	if sameCredit(before.Introducers, inputsOf(after.Introducers)) {
		return nil
	}
	units := map[int64]bool{}
	for _, x := range before.Introducers {
		units[x.UnitID] = true
	}
	for _, x := range after.Introducers {
		units[x.UnitID] = true
	}
	for u := range units {
		e := a.Entry("project.credit_changed", "unit", u, map[string]any{"project_id": before.ID, "introducers": before.Introducers},
			map[string]any{"project_id": after.ID, "introducers": after.Introducers})
		if err := audit.Append(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

func inputsOf(xs []Introducer) []IntroducerInput {
	out := make([]IntroducerInput, len(xs))
	for i, x := range xs {
		out[i] = IntroducerInput{UnitID: x.UnitID, Share: x.Share}
	}
	return out
}
