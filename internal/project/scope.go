package project

import (
	"github.com/zhaoqing/attract/internal/org"
)

// scopeSQL limits projects (aliased p) to the actor's data scope: a project
// belongs to its registering unit, its landing locality and each of its
// introducing units (and, while a hand-over is pending or decided, its
// receiving unit), and is visible to a user whose scope covers any of them.
// Scope "self" sees what the user registered or serves as officer.
func scopeSQL(a *org.Actor) (string, []any) {
	if a == nil {
		return "1=0", nil
	}
	switch a.Scope {
	case org.ScopeAll:
		return "1=1", nil
	case org.ScopeSelf:
		return "(p.created_by = ? OR p.intro_officer_user_id = ? OR p.locality_officer_user_id = ?)", []any{a.UserID, a.UserID, a.UserID}
	case org.ScopeUnit, org.ScopeUnitAndBelow:
		// project_units lists every unit a project belongs to (index.go).
		in, args := a.ScopeSQL("pu.unit_id", "")
		return "p.id IN (SELECT pu.project_id FROM project_units pu WHERE " + in + ")", args
	}
	return "1=0", nil
}

// ScopeSQL is the scope condition on projects aliased p, for capabilities
// that read projects with their own aggregate queries (statistics).
func ScopeSQL(a *org.Actor) (string, []any) { return scopeSQL(a) }
