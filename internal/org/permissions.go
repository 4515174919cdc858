package org

// Permission is one thing a role may allow: seeing a menu or doing an action.
type Permission struct {
	Code   string `json:"code"`
	Group  string `json:"group"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

// Permissions is the catalogue. Later capabilities append theirs here, so the
// roles screen and the authorization matrix test see every one.
var Permissions = []Permission{
	{"unit:read", "org", "查看组织机构", "View organisation"},
	{"unit:write", "org", "维护组织机构", "Maintain organisation"},
	{"user:read", "org", "查看用户", "View users"},
	{"user:write", "org", "维护用户（新增、编辑、停用、重置密码）", "Maintain users (create, edit, disable, reset password)"},
	{"user:assign", "org", "分配角色", "Assign roles"},
	{"user:unlock", "org", "解锁账户", "Unlock accounts"},
	{"role:read", "system", "查看角色", "View roles"},
	{"role:write", "system", "维护角色与授权", "Maintain roles and grants"},
	{"dict:read", "system", "查看数据字典", "View dictionary"},
	{"dict:write", "system", "维护数据字典", "Maintain dictionary"},
	{"audit:read", "audit", "查阅、导出操作日志", "Read and export the audit log"},
	{"signin:read", "audit", "查阅登录日志", "Read the sign-in log"},
	{"setting:write", "system", "维护系统参数（预警阈值等）", "Maintain settings (warning thresholds …)"},
	{"project:read", "project", "查看项目", "View projects"},
	{"project:write", "project", "登记、维护、推进项目", "Register, edit and progress projects"},
	{"project:accept", "project", "承接移交的项目", "Accept or decline hand-overs"},
	{"stats:read", "assess", "查看统计、排名", "View statistics and rankings"},
	{"target:write", "assess", "设定年度目标与统计口径", "Set annual targets and counting rules"},
	{"period:close", "assess", "月度关账", "Close a month"},
	{"period:reopen", "assess", "重新开账（安全管理员）", "Reopen a closed month (security administrator)"},
	{"evaluation:write", "evaluation", "填报论证评估", "Fill in and submit screenings"},
	{"evaluation:review", "evaluation", "审核论证评估", "Review screenings"},
	{"evaluation:approve", "evaluation", "审定论证评估", "Approve screenings"},
	{"baseline:write", "evaluation", "维护投资效益底线与负面清单", "Maintain baselines and the negative list"},
	{"parcel:write", "project", "登记地块、预留与供地", "Register, reserve and supply land parcels"},
	{"enterprise:read", "enterprise", "查看目标企业库与产业链图谱", "View the enterprise library and chain maps"},
	{"enterprise:write", "enterprise", "维护目标企业、意向与拜访，导入企业数据", "Maintain enterprises, intentions and visits; import enterprise data"},
	{"chain:write", "enterprise", "维护产业链与环节", "Maintain industry chains and links"},
}

// privileged permissions are those of the 三员 separation: a role holding any
// of them can only be granted by a security administrator (role:write), so a
// system administrator cannot give itself or a stand-in audit or grant rights.
var privileged = map[string]bool{"audit:read": true, "signin:read": true, "role:write": true, "user:assign": true, "user:unlock": true, "period:reopen": true}

// IsPermission reports whether code is in the catalogue.
func IsPermission(code string) bool {
	for _, p := range Permissions {
		if p.Code == code {
			return true
		}
	}
	return false
}

// BuiltinRole is a role the system ships with; its permissions are defaults
// the security administrator may change.
type BuiltinRole struct {
	Code, NameZh, NameEn string
	Scope                Scope
	Perms                []string
}

var readOrg = []string{"unit:read", "user:read", "dict:read"}

func with(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}

// BuiltinRoles are the roles a city needs out of the box.
var BuiltinRoles = []BuiltinRole{
	{"sysadmin", "系统管理员", "System administrator", ScopeAll,
		[]string{"unit:read", "unit:write", "user:read", "user:write", "role:read", "dict:read", "dict:write", "setting:write"}},
	{"secadmin", "安全管理员", "Security administrator", ScopeAll,
		[]string{"unit:read", "user:read", "user:assign", "user:unlock", "role:read", "role:write", "dict:read", "signin:read", "period:reopen"}},
	{"auditadmin", "审计管理员", "Audit administrator", ScopeAll,
		[]string{"unit:read", "audit:read", "signin:read"}},
	{"commission", "招商办工作人员", "Commission office staff", ScopeAll, with(readOrg, "project:read", "project:write", "parcel:write", "stats:read", "target:write", "period:close",
		"evaluation:write", "evaluation:review", "evaluation:approve", "baseline:write",
		"enterprise:read", "enterprise:write", "chain:write")},
	{"working_group", "工作组成员", "Working-group member", ScopeUnitAndBelow, with(readOrg, "project:read", "project:write", "stats:read", "evaluation:write", "enterprise:read", "enterprise:write")},
	{"locality", "县区工作人员", "Locality staff", ScopeUnitAndBelow, with(readOrg, "project:read", "project:write", "project:accept", "parcel:write", "stats:read", "evaluation:write", "enterprise:read", "enterprise:write")},
	{"leader", "市领导", "City leader", ScopeAll, with(readOrg, "project:read", "stats:read", "enterprise:read")},
	{"department", "部门工作人员", "Department staff", ScopeUnit, with(readOrg, "project:read", "project:write", "stats:read", "evaluation:write", "enterprise:read", "enterprise:write")},
}
