package org

// Campaigns, channels, advisors and partners, intelligence, notices and
// feedback, staff and training: their permissions, appended to the end of
// the catalogue, and their grants to the built-in roles. Kept in a file of
// its own so that other capabilities' additions merge without conflict.
var campaignPermissions = []Permission{
	{"campaign:read", "campaign", "查看招商活动与渠道分析", "View campaigns and channel reports"},
	{"campaign:write", "campaign", "登记、维护招商活动", "Register and edit campaigns"},
	{"notice:read", "campaign", "查看通知与工作反馈", "Read notices and feedback reports"},
	{"notice:write", "campaign", "发布通知、设定反馈时限", "Send notices and set the feedback schedule"},
	{"feedback:write", "campaign", "报送本单位月度工作反馈", "Submit the unit's monthly feedback report"},
	{"network:read", "campaign", "查看招商顾问、合作机构、招商情报、队伍与培训", "View advisors, partners, intelligence, staff and training"},
	{"network:write", "campaign", "维护招商顾问、合作机构、招商情报、队伍与培训", "Maintain advisors, partners, intelligence, staff and training"},
}

// campaignGrants: the commission office writes; working groups and localities
// run campaigns of their own and report; departments report; leaders read.
var campaignGrants = map[string][]string{
	"commission":    {"campaign:read", "campaign:write", "notice:read", "notice:write", "feedback:write", "network:read", "network:write"},
	"working_group": {"campaign:read", "campaign:write", "notice:read", "feedback:write", "network:read"},
	"locality":      {"campaign:read", "campaign:write", "notice:read", "feedback:write", "network:read"},
	"department":    {"campaign:read", "notice:read", "feedback:write", "network:read"},
	"leader":        {"campaign:read", "notice:read", "network:read"},
}

func init() {
	Permissions = append(Permissions, campaignPermissions...)
	for i := range BuiltinRoles {
		BuiltinRoles[i].Perms = append(BuiltinRoles[i].Perms, campaignGrants[BuiltinRoles[i].Code]...)
	}
}
