package org

import (
	"context"
	"slices"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// 三员 separation: the system administrator (accounts, organisation,
// dictionary, settings), the security administrator (roles, grants,
// unlocks) and the audit administrator (the audit log) are three people,
// and none of them does business work. Every permission belongs to one duty
// (or to none: the reads of the organisation every screen needs); a role,
// and a user through all their roles, may hold one duty only. Creating an
// account (system) and granting it rights (security) are therefore always
// two people.

// Duty is one side of the separation; "" for permissions any duty may hold.
type Duty string

const (
	DutySystem   Duty = "system"
	DutySecurity Duty = "security"
	DutyAudit    Duty = "audit"
	DutyBusiness Duty = "business"
)

var dutyNames = map[Duty][2]string{
	DutySystem: {"系统管理", "system administration"}, DutySecurity: {"安全管理", "security administration"},
	DutyAudit: {"审计", "audit"}, DutyBusiness: {"业务", "business"},
}

// neutral permissions are reads every duty needs.
var neutral = map[string]bool{"unit:read": true, "user:read": true, "dict:read": true, "role:read": true, "signin:read": true}

var adminDuties = map[string]Duty{
	"unit:write": DutySystem, "user:write": DutySystem, "dict:write": DutySystem, "setting:write": DutySystem,
	"role:write": DutySecurity, "user:assign": DutySecurity, "user:unlock": DutySecurity, "period:reopen": DutySecurity,
	"audit:read": DutyAudit,
}

// DutyOf is the duty a permission belongs to.
func DutyOf(perm string) Duty {
	if neutral[perm] {
		return ""
	}
	if d, ok := adminDuties[perm]; ok {
		return d
	}
	return DutyBusiness
}

// Duties lists the duties a set of permissions spans.
func Duties(perms []string) []Duty {
	var out []Duty
	for _, p := range perms {
		if d := DutyOf(p); d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// separated refuses permissions that span more than one duty, naming them.
func separated(field string, perms []string) error {
	ds := Duties(perms)
	if len(ds) <= 1 {
		return nil
	}
	var zh, en []string
	for _, d := range ds {
		zh, en = append(zh, dutyNames[d][0]), append(en, dutyNames[d][1])
	}
	m := "三员分离：系统管理、安全管理、审计与业务权限不能由同一角色或同一账户持有（此处混合了" + strings.Join(zh, "、") + "）"
	me := "separation of duties: system, security, audit and business rights cannot be held by one role or one account (this mixes " + strings.Join(en, ", ") + ")"
	return errs.E(errs.Invalid, m, me).Field(field, m, me)
}

// heldPerms is every permission a user would hold with roleIDs (or, when
// roleIDs is nil, with their current roles, the role changed taking perms).
func heldPerms(ctx context.Context, q db.Querier, userID int64, roleIDs []int64, changed int64, perms []string) ([]string, error) {
	if roleIDs == nil {
		rows, err := q.QueryContext(ctx, `SELECT role_id FROM user_roles WHERE user_id = ?`, userID)
		if err != nil {
			return nil, errs.Wrap(err, "user roles")
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, errs.Wrap(err, "user roles")
			}
			roleIDs = append(roleIDs, id)
		}
		if err := rows.Err(); err != nil {
			return nil, errs.Wrap(err, "user roles")
		}
	}
	var out []string
	for _, id := range roleIDs {
		if id == changed {
			out = append(out, perms...)
			continue
		}
		r, err := getRole(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Permissions...)
	}
	return out, nil
}

// holdersStaySeparated refuses a role change that would give one of its
// holders a second duty through their other roles.
func holdersStaySeparated(ctx context.Context, q db.Querier, roleID int64, perms []string) error {
	rows, err := q.QueryContext(ctx, `SELECT user_id FROM user_roles WHERE role_id = ?`, roleID)
	if err != nil {
		return errs.Wrap(err, "role holders")
	}
	var users []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return errs.Wrap(err, "role holders")
		}
		users = append(users, id)
	}
	rows.Close()
	for _, u := range users {
		held, err := heldPerms(ctx, q, u, nil, roleID, perms)
		if err != nil {
			return err
		}
		if err := separated("permissions", held); err != nil {
			return err
		}
	}
	return nil
}

// mayAdminister refuses a system administrator's action (edit, disable,
// enable, reset) on the account of a security or audit administrator: the
// three watch one another, so none can switch another off. Those accounts
// are changed by their own holder or by the operator on the server.
func mayAdminister(ctx context.Context, q db.Querier, a *Actor, target int64) error {
	held, err := heldPerms(ctx, q, target, nil, 0, nil)
	if err != nil {
		return err
	}
	mine := Duties(permList(a))
	for _, d := range Duties(held) {
		if (d == DutySecurity || d == DutyAudit) && !slices.Contains(mine, d) {
			return errs.E(errs.Forbidden, "该账户属于"+dutyNames[d][0]+"员，其他管理员不能修改、停用或重置；请由运维人员在服务器上操作",
				"this account holds "+dutyNames[d][1]+"; other administrators cannot change, disable or reset it (the operator does, on the server)")
		}
	}
	return nil
}

func permList(a *Actor) []string {
	if a == nil {
		return nil
	}
	out := make([]string, 0, len(a.Perms))
	for p, ok := range a.Perms {
		if ok {
			out = append(out, p)
		}
	}
	return out
}

// narrowBuiltin takes from a stored built-in role any permission of a duty
// other than its default's (a database made before the separation was
// enforced: the system administrator once held user:assign).
func narrowBuiltin(stored []string, b BuiltinRole) []string {
	own := Duties(b.Perms)
	var keep []string
	for _, p := range stored {
		if d := DutyOf(p); d == "" || slices.Contains(own, d) {
			keep = append(keep, p)
		}
	}
	return keep
}
