package org

import (
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Unit kinds (GLOSSARY).
const (
	KindCommissionOffice = "commission_office"
	KindWorkingGroup     = "working_group"
	KindLocality         = "locality"
	KindPark             = "park"
	KindDepartment       = "department"
	KindOfficeAway       = "office_away"
)

// UnitKinds lists the kinds with their names.
var UnitKinds = map[string]errs.Msg{
	KindCommissionOffice: {Zh: "招商委员会办公室", En: "Commission office"},
	KindWorkingGroup:     {Zh: "招商引资工作组", En: "Working group"},
	KindLocality:         {Zh: "县(市、区)", En: "County / district"},
	KindPark:             {Zh: "园区/功能区", En: "Park / zone"},
	KindDepartment:       {Zh: "市直部门", En: "City department"},
	KindOfficeAway:       {Zh: "驻外机构", En: "Office away"},
}

// Unit is a node of the organisation tree as stored now.
type Unit struct {
	ID            int64      `json:"id"`
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	ShortName     string     `json:"short_name"`
	Kind          string     `json:"kind"`
	ParentID      *int64     `json:"parent_id"`
	Path          string     `json:"-"`
	Status        string     `json:"status"`
	EffectiveFrom civil.Date `json:"effective_from"`
	ClosedOn      civil.Date `json:"closed_on"`
	Sort          int        `json:"sort"`
	Version       int        `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// UnitState is one entry of a unit's history: how it stood between two dates.
type UnitState struct {
	UnitID        int64      `json:"unit_id"`
	EffectiveFrom civil.Date `json:"effective_from"`
	EffectiveTo   civil.Date `json:"effective_to"`
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	ShortName     string     `json:"short_name"`
	Kind          string     `json:"kind"`
	ParentID      *int64     `json:"parent_id"`
	ParentName    string     `json:"parent_name"`
	Status        string     `json:"status"`
	Change        string     `json:"change"`
	Reason        string     `json:"reason"`
}

// CreateUnit is the request to add a unit.
type CreateUnit struct {
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	ShortName   string     `json:"short_name"`
	Kind        string     `json:"kind"`
	ParentID    *int64     `json:"parent_id"`
	EffectiveOn civil.Date `json:"effective_on"`
	Sort        int        `json:"sort"`
}

// RenameUnit changes a unit's code, names or order.
type RenameUnit struct {
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	ShortName   string     `json:"short_name"`
	Sort        int        `json:"sort"`
	EffectiveOn civil.Date `json:"effective_on"`
	Reason      string     `json:"reason"`
	Version     int        `json:"version"`
}

// MoveUnit puts a unit (with everything below it) under another parent.
type MoveUnit struct {
	ParentID    int64      `json:"parent_id"`
	EffectiveOn civil.Date `json:"effective_on"`
	Reason      string     `json:"reason"`
	Version     int        `json:"version"`
}

// CloseUnit closes a unit; it stays in the tree's history.
type CloseUnit struct {
	EffectiveOn civil.Date `json:"effective_on"`
	Reason      string     `json:"reason"`
	Version     int        `json:"version"`
}

func validateNames(v *errs.Validation, code, name, short string) {
	if strings.TrimSpace(code) == "" || len(code) > 32 {
		v.Add("code", "编码必填，最多 32 个字符", "required, at most 32 characters")
	}
	if strings.TrimSpace(name) == "" || len([]rune(name)) > 100 {
		v.Add("name", "名称必填，最多 100 个字", "required, at most 100 characters")
	}
	if len([]rune(short)) > 30 {
		v.Add("short_name", "简称最多 30 个字", "at most 30 characters")
	}
}

func validateEffective(v *errs.Validation, d civil.Date, today civil.Date) {
	switch {
	case d.IsZero():
		v.Add("effective_on", "生效日期必填", "required")
	case d.After(today):
		v.Add("effective_on", "生效日期不能晚于今天", "cannot be in the future")
	}
}

// Validate checks a CreateUnit.
func (c *CreateUnit) Validate(today civil.Date) error {
	var v errs.Validation
	validateNames(&v, c.Code, c.Name, c.ShortName)
	if _, ok := UnitKinds[c.Kind]; !ok {
		v.Add("kind", "单位类型无效", "unknown unit kind")
	}
	validateEffective(&v, c.EffectiveOn, today)
	return v.Err()
}

// Validate checks a RenameUnit.
func (c *RenameUnit) Validate(today civil.Date) error {
	var v errs.Validation
	validateNames(&v, c.Code, c.Name, c.ShortName)
	validateEffective(&v, c.EffectiveOn, today)
	return v.Err()
}

// Validate checks a MoveUnit.
func (c *MoveUnit) Validate(today civil.Date) error {
	var v errs.Validation
	if c.ParentID < 1 {
		v.Add("parent_id", "请选择上级单位", "required")
	}
	validateEffective(&v, c.EffectiveOn, today)
	return v.Err()
}

// Validate checks a CloseUnit.
func (c *CloseUnit) Validate(today civil.Date) error {
	var v errs.Validation
	if strings.TrimSpace(c.Reason) == "" {
		v.Add("reason", "撤销原因必填", "required")
	}
	validateEffective(&v, c.EffectiveOn, today)
	return v.Err()
}
