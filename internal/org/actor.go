// Package org owns the organisation tree (units and their history), users,
// roles and the data scope that every list and figure is filtered by.
package org

import (
	"context"
	"strconv"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
)

// Scope is how much data a role sees (GLOSSARY: 数据权限).
type Scope string

const (
	ScopeAll          Scope = "all"
	ScopeUnitAndBelow Scope = "unit_and_below"
	ScopeUnit         Scope = "unit"
	ScopeSelf         Scope = "self"
	ScopeNone         Scope = "" // no role: sees nothing
)

// breadth orders scopes so that the widest of a user's roles wins.
var breadth = map[Scope]int{ScopeNone: 0, ScopeSelf: 1, ScopeUnit: 2, ScopeUnitAndBelow: 3, ScopeAll: 4}

// Valid reports whether s is one of the four named scopes.
func (s Scope) Valid() bool { return breadth[s] > 0 }

// Actor is the signed-in user a request acts for.
type Actor struct {
	UserID      int64
	Username    string
	DisplayName string
	UnitID      int64
	UnitName    string
	UnitPath    string
	Roles       []string
	Perms       map[string]bool
	Scope       Scope
	ClientAddr  string
	SessionID   string // hash of the session token, when signed in by cookie
	TokenID     int64  // API token id, when signed in by bearer token
	// MustChangePassword: a first or reset password; the server lets the
	// actor do nothing but change it (web.guard).
	MustChangePassword bool
	// Pending is what the session still waits for: "totp" (the code after
	// the password) or "enrol" (setting up the second factor the policy
	// requires); the server lets the actor do only that (web.guard).
	Pending string
	// PasswordChangedAt is when the password was last set (the maximum
	// age counts from it).
	PasswordChangedAt time.Time
	// PasswordExpired: MustChangePassword because of the maximum age.
	PasswordExpired bool
	// TOTPEnabled: the account has a confirmed second factor.
	TOTPEnabled bool
}

// Can reports whether the actor holds a permission.
func (a *Actor) Can(perm string) bool { return a != nil && a.Perms[perm] }

// Who is the actor as the audit log records it.
func (a *Actor) Who() audit.Who {
	if a == nil {
		return audit.Who{}
	}
	return audit.Who{UserID: a.UserID, Username: a.Username, UnitID: a.UnitID, ClientAddr: a.ClientAddr}
}

// Entry starts an audit entry for this actor.
func (a *Actor) Entry(action, objectType string, objectID int64, before, after any) audit.Entry {
	return audit.Entry{Who: a.Who(), Action: action, ObjectType: objectType,
		ObjectID: strconv.FormatInt(objectID, 10), Before: before, After: after}
}

// ScopeSQL is the SQL condition that limits rows to the actor's data scope.
// unitCol is the column holding the row's unit, userCol the column holding
// its owning user ("" when rows have no owner: scope self then sees nothing).
// It fails closed: an unknown or empty scope yields a condition no row meets.
func (a *Actor) ScopeSQL(unitCol, userCol string) (string, []any) {
	if a == nil {
		return "1=0", nil
	}
	switch a.Scope {
	case ScopeAll:
		return "1=1", nil
	case ScopeUnitAndBelow:
		return unitCol + " IN (SELECT id FROM units WHERE path LIKE ?)", []any{a.UnitPath + "%"}
	case ScopeUnit:
		return unitCol + " = ?", []any{a.UnitID}
	case ScopeSelf:
		if userCol == "" {
			return "1=0", nil
		}
		return userCol + " = ?", []any{a.UserID}
	}
	return "1=0", nil
}

type ctxKey struct{}

// WithActor puts the actor in a context.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// ActorFrom returns the context's actor, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}
