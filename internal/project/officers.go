package project

import (
	"strings"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// checkOfficers: the people a project names hold the place they are named
// for (R13) — the leader in charge holds the leader role (市领导); the
// introducing unit's officer works in one of the introducing units or
// below; the locality's officer in the landing locality or below. Users
// that do not exist or are disabled are refused by checkReferences.
func checkOfficers(c *db.Checks, in Input, v *errs.Validation) {
	if in.LeaderUserID != nil && !c.Exists(`SELECT COUNT(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
		WHERE ur.user_id = ? AND r.code = 'leader'`, *in.LeaderUserID) {
		v.Add("leader_user_id", "挂点市领导须为具有市领导角色的用户", "the leader in charge must hold the city-leader role")
	}
	if in.IntroOfficerID != nil {
		var units []any
		for _, it := range in.Introducers {
			units = append(units, it.UnitID)
		}
		if len(units) == 0 || !userWithin(c, *in.IntroOfficerID, units) {
			v.Add("intro_officer_user_id", "引进单位跟踪服务专员须为引进单位（或其下级单位）的人员", "the introducing unit's officer must work in an introducing unit or below it")
		}
	}
	if in.LocalityOfficerID != nil {
		if in.LocalityUnitID == nil || !userWithin(c, *in.LocalityOfficerID, []any{*in.LocalityUnitID}) {
			v.Add("locality_officer_user_id", "落户地跟踪服务专员须为落户地（或其下级单位）的人员", "the locality's officer must work in the landing locality or below it")
		}
	}
}

// userWithin reports whether the user's unit is one of units or below one.
func userWithin(c *db.Checks, userID int64, units []any) bool {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(units)), ", ")
	return c.Exists(`SELECT COUNT(*) FROM users us JOIN units mine ON mine.id = us.unit_id
		WHERE us.id = ? AND EXISTS (SELECT 1 FROM units top WHERE top.id IN (`+ph+`) AND mine.path LIKE top.path || '%')`,
		append([]any{userID}, units...)...)
}
