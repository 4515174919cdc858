package org

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Role grants permissions and a data scope.
type Role struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	NameZh      string    `json:"name_zh"`
	NameEn      string    `json:"name_en"`
	Scope       Scope     `json:"scope"`
	Permissions []string  `json:"permissions"`
	Builtin     bool      `json:"builtin"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Privileged reports whether the role holds a 三员 permission.
func (r Role) Privileged() bool {
	for _, p := range r.Permissions {
		if privileged[p] {
			return true
		}
	}
	return false
}

// RoleInput is the request to create or change a role.
type RoleInput struct {
	Code        string   `json:"code"`
	NameZh      string   `json:"name_zh"`
	NameEn      string   `json:"name_en"`
	Scope       Scope    `json:"scope"`
	Permissions []string `json:"permissions"`
	Version     int      `json:"version"`
}

var roleCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// Validate checks a role input; creating also checks the code.
func (r *RoleInput) Validate(creating bool) error {
	var v errs.Validation
	if creating && !roleCodeRe.MatchString(r.Code) {
		v.Add("code", "编码为 2–32 位小写字母、数字、下划线", "2–32 lower-case letters, digits, _")
	}
	if strings.TrimSpace(r.NameZh) == "" || strings.TrimSpace(r.NameEn) == "" {
		v.Add("name_zh", "中英文名称必填", "both names are required")
	}
	if !r.Scope.Valid() {
		v.Add("scope", "数据权限应为 all / unit_and_below / unit / self", "must be all, unit_and_below, unit or self")
	}
	for _, p := range r.Permissions {
		if !IsPermission(p) {
			v.Add("permissions", "未知权限："+p, "unknown permission: "+p)
		}
	}
	return v.Err()
}

// JoinPerms and SplitPerms are the stored form of a permission list (roles,
// API tokens): sorted, comma-separated.
func JoinPerms(ps []string) string { return joinPerms(ps) }

// SplitPerms reads what JoinPerms stored.
func SplitPerms(s string) []string { return splitPerms(s) }

func joinPerms(ps []string) string {
	ps = slices.Clone(ps)
	slices.Sort(ps)
	return strings.Join(slices.Compact(ps), ",")
}

func splitPerms(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
