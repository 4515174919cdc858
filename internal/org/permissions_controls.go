package org

import "slices"

// The controls' permissions: verifying ledger-imported projects and
// approving screenings. Appended to the catalogue, with their grants to
// the built-in roles, in a file of their own so that other capabilities'
// additions merge without conflict.
var controlPermissions = []Permission{
	{"project:verify", "project", "核实导入的已签约项目（待核实清单）", "Verify imported signed projects (the pending list)"},
}

// director is the commission office's head: everything the office's staff
// may do, and approving screenings, which staff no longer may (submitter,
// reviewer and approver are three people).
var director = BuiltinRole{"director", "招商办主任", "Commission office director", ScopeAll, nil}

func init() {
	Permissions = append(Permissions, controlPermissions...)
	for i := range BuiltinRoles {
		if BuiltinRoles[i].Code != "commission" {
			continue
		}
		staff := &BuiltinRoles[i]
		staff.Perms = append(slices.DeleteFunc(staff.Perms, func(p string) bool { return p == "evaluation:approve" }), "project:verify")
		director.Perms = append(slices.Clone(staff.Perms), "evaluation:approve")
	}
	BuiltinRoles = append(BuiltinRoles, director)
}
