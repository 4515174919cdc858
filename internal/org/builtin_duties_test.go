package org

import (
	"fmt"
	"testing"
)

// Every built-in role holds exactly one duty of the separation: the three
// administrators theirs, the director (who approves screenings and sees
// personal data in full) and the other business roles business alone.
func TestBuiltinRolesHoldOneDuty(t *testing.T) {
	want := map[string]Duty{"sysadmin": DutySystem, "secadmin": DutySecurity, "auditadmin": DutyAudit, "director": DutyBusiness,
		"commission": DutyBusiness, "working_group": DutyBusiness, "locality": DutyBusiness, "leader": DutyBusiness, "department": DutyBusiness}
	for _, b := range BuiltinRoles {
		if got := fmt.Sprint(Duties(b.Perms)); got != fmt.Sprint([]Duty{want[b.Code]}) {
			t.Errorf("%s holds duties %s, want [%s]", b.Code, got, want[b.Code])
		}
	}
	var director BuiltinRole
	for _, b := range BuiltinRoles {
		if b.Code == "director" {
			director = b
		}
	}
	has := map[string]bool{}
	for _, p := range director.Perms {
		has[p] = true
	}
	if !has["evaluation:approve"] || !has[PermPersonalData] || has["audit:read"] || has["role:write"] || has["user:write"] {
		t.Errorf("director's permissions: %v", director.Perms)
	}
	if err := separated("permissions", append(append([]string{}, director.Perms...), "audit:read")); err == nil {
		t.Error("the director's permissions with audit:read added pass the separation")
	}
}
