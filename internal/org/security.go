package org

// AddDutyPermission files a permission another capability adds to the
// catalogue under a duty of the separation, and grants it by default to
// a built-in role ("" for none).
func AddDutyPermission(perm string, d Duty, builtinRole string) {
	adminDuties[perm] = d
	privileged[perm] = true
	for i := range BuiltinRoles {
		if BuiltinRoles[i].Code == builtinRole {
			BuiltinRoles[i].Perms = append(BuiltinRoles[i].Perms, perm)
		}
	}
}

// Administrator reports whether the actor holds a duty of the separation
// other than business (system, security or audit administration): those
// accounts must sign in with a second factor.
func (a *Actor) Administrator() bool {
	for _, d := range Duties(permList(a)) {
		if d != DutyBusiness {
			return true
		}
	}
	return false
}
