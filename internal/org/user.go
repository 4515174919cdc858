package org

import (
	"regexp"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// User is an account as the API shows it (never with its password hash).
type User struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	UnitID             int64      `json:"unit_id"`
	UnitName           string     `json:"unit_name"`
	Phone              string     `json:"phone"`
	Email              string     `json:"email"`
	Status             string     `json:"status"`
	MustChangePassword bool       `json:"must_change_password"`
	LockedUntil        *time.Time `json:"locked_until"`
	Roles              []RoleRef  `json:"roles"`
	Version            int        `json:"version"`
	CreatedAt          time.Time  `json:"created_at"`
}

// RoleRef names a role held by a user.
type RoleRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// CreateUser is the request to add an account.
type CreateUser struct {
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	UnitID      int64   `json:"unit_id"`
	Phone       string  `json:"phone"`
	Email       string  `json:"email"`
	Password    string  `json:"password"`
	RoleIDs     []int64 `json:"role_ids"`
}

// UpdateUser changes an account's details.
type UpdateUser struct {
	DisplayName string `json:"display_name"`
	UnitID      int64  `json:"unit_id"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Version     int    `json:"version"`
}

// SetRoles replaces the roles of an account.
type SetRoles struct {
	RoleIDs []int64 `json:"role_ids"`
	Version int     `json:"version"`
}

// VersionOnly is the body of actions that only need the version read.
type VersionOnly struct {
	Version int `json:"version"`
}

// ResetPassword is an administrator setting a new password.
type ResetPassword struct {
	NewPassword string `json:"new_password"`
}

var (
	usernameRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$`)
	phoneRe    = regexp.MustCompile(`^[0-9+\- ]{0,20}$`)
	emailRe    = regexp.MustCompile(`^$|^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

func validateProfile(v *errs.Validation, display string, unitID int64, phone, email string) {
	if strings.TrimSpace(display) == "" || len([]rune(display)) > 50 {
		v.Add("display_name", "姓名必填，最多 50 个字", "required, at most 50 characters")
	}
	if unitID < 1 {
		v.Add("unit_id", "请选择所属单位", "required")
	}
	if !phoneRe.MatchString(phone) {
		v.Add("phone", "电话号码格式不正确", "not a phone number")
	}
	if !emailRe.MatchString(email) || len(email) > 100 {
		v.Add("email", "邮箱格式不正确", "not an e-mail address")
	}
}

// Validate checks a CreateUser (the password policy is checked separately).
func (c *CreateUser) Validate() error {
	var v errs.Validation
	if !usernameRe.MatchString(c.Username) {
		v.Add("username", "用户名为 3–32 位字母、数字、下划线，以字母开头", "3–32 letters, digits, _ . -, starting with a letter")
	}
	validateProfile(&v, c.DisplayName, c.UnitID, c.Phone, c.Email)
	return v.Err()
}

// Validate checks an UpdateUser.
func (c *UpdateUser) Validate() error {
	var v errs.Validation
	validateProfile(&v, c.DisplayName, c.UnitID, c.Phone, c.Email)
	return v.Err()
}
