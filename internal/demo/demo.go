// Package demo loads the demo data set: Zhaoqing's real organisation (the
// commission office, working groups, its eight counties/districts with their
// division codes, its zones, city departments and offices away) and users of
// every role. It is deterministic: the same data every time. Later
// capabilities add their records here.
package demo

import (
	"context"
	"fmt"
	"github.com/zhaoqing/attract/internal/enterprise"

	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/project"
)

// Since is the day the demo organisation starts.
var Since = civil.MustParse("2021-01-01")

type unitSpec struct {
	code, name, short, kind, parent string
}

// units of the demo tree; parent "" is the root (the commission office).
var units = []unitSpec{
	{"WG-NEV", "新能源汽车产业招商工作组", "新能源汽车组", org.KindWorkingGroup, ""},
	{"WG-EQP", "先进装备制造产业招商工作组", "装备制造组", org.KindWorkingGroup, ""},
	{"WG-ECO", "节能环保产业招商工作组", "节能环保组", org.KindWorkingGroup, ""},
	{"WG-EIT", "电子信息产业招商工作组", "电子信息组", org.KindWorkingGroup, ""},
	{"WG-BJ", "京津冀地区招商工作组", "京津冀组", org.KindWorkingGroup, ""},
	{"WG-YRD", "长三角地区招商工作组", "长三角组", org.KindWorkingGroup, ""},
	{"WG-HMT", "港澳台及海外招商工作组", "港澳台海外组", org.KindWorkingGroup, ""},
	{"441202", "端州区", "端州", org.KindLocality, ""},
	{"441203", "鼎湖区", "鼎湖", org.KindLocality, ""},
	{"441204", "高要区", "高要", org.KindLocality, ""},
	{"441223", "广宁县", "广宁", org.KindLocality, ""},
	{"441224", "怀集县", "怀集", org.KindLocality, ""},
	{"441225", "封开县", "封开", org.KindLocality, ""},
	{"441226", "德庆县", "德庆", org.KindLocality, ""},
	{"441284", "四会市", "四会", org.KindLocality, ""},
	{"ZONE-GX", "肇庆高新技术产业开发区", "肇庆高新区", org.KindPark, ""},
	{"ZONE-XQ", "肇庆新区", "肇庆新区", org.KindPark, ""},
	{"ZONE-YG", "粤桂合作特别试验区（肇庆）", "粤桂试验区", org.KindPark, ""},
	{"ZONE-HJ", "广佛肇（怀集）经济合作区", "怀集合作区", org.KindPark, "441224"},
	{"PARK-GY", "高要区金利高新技术产业园", "金利园", org.KindPark, "441204"},
	{"PARK-SH", "四会市电子信息产业园", "四会电子园", org.KindPark, "441284"},
	{"DEPT-DRC", "肇庆市发展和改革局", "市发改局", org.KindDepartment, ""},
	{"DEPT-MIIT", "肇庆市工业和信息化局", "市工信局", org.KindDepartment, ""},
	{"DEPT-COM", "肇庆市商务局", "市商务局", org.KindDepartment, ""},
	{"DEPT-NR", "肇庆市自然资源局", "市自然资源局", org.KindDepartment, ""},
	{"DEPT-ST", "肇庆市科学技术局", "市科技局", org.KindDepartment, ""},
	{"AWAY-BJ", "肇庆市人民政府驻北京联络处", "驻京联络处", org.KindOfficeAway, ""},
	{"AWAY-SZ", "肇庆市驻深圳招商联络处", "驻深联络处", org.KindOfficeAway, ""},
	{"AWAY-HK", "肇庆市驻香港招商联络处", "驻港联络处", org.KindOfficeAway, ""},
}

type userSpec struct {
	username, name, unit, role string
}

// Users of every role; the README lists them.
var Users = []userSpec{
	{"sysadmin", "李建国（系统管理员）", "", "sysadmin"},
	{"secadmin", "王晓敏（安全管理员）", "", "secadmin"},
	{"auditadmin", "陈立新（审计管理员）", "", "auditadmin"},
	{"zsb_staff", "黄志强", "", "commission"},
	{"zsb_leader", "林振华（市招商办主任）", "", "director"},
	{"wg_nev", "梁文博", "WG-NEV", "working_group"},
	{"wg_eqp", "何家俊", "WG-EQP", "working_group"},
	{"dz_staff", "周慧琳", "441202", "locality"},
	{"gy_staff", "邓国华", "441204", "locality"},
	{"sh_staff", "冯子健", "441284", "locality"},
	{"gx_staff", "谭美玲", "ZONE-GX", "locality"},
	{"leader", "赵明远（市领导）", "", "leader"},
	{"dept_staff", "吴丽华", "DEPT-COM", "department"},
}

// demoActor is who the demo data set's changes are audited as.
var demoActor = &org.Actor{Username: "demo", DisplayName: "演示数据", Scope: org.ScopeAll, Perms: map[string]bool{}}

// HoldsData reports whether the database holds more than a fresh start's
// root unit and admin account.
func HoldsData(ctx context.Context, o *org.Service) (bool, error) {
	var units, users int
	err := o.DB.Reader().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM units), (SELECT COUNT(*) FROM users)`).Scan(&units, &users)
	return units > 1 || users > 1, err
}

// Load adds the demo organisation, users and projects, skipping what already
// exists (so that --force on a used database adds only what is missing).
func Load(ctx context.Context, o *org.Service, ps *project.Service, as *assess.Service, es *evaluation.Service, ens *enterprise.Service, pw string) error {
	ids, err := LoadOrg(ctx, o, pw)
	if err != nil {
		return err
	}
	var n int
	_ = o.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM projects`).Scan(&n)
	if n > 0 {
		return nil // a repeated load
	}
	today := civil.Of(ps.Now())
	if err := loadProjects(ctx, o, ps, es, ids, today); err != nil {
		return err
	}
	if err := loadEnterprises(ctx, o, ens, ids, today); err != nil {
		return err
	}
	return loadTargets(ctx, as, ids, today)
}

// LoadOrg adds the organisation and users only (tests build their own
// projects); it returns unit code → id, "" for the root.
func LoadOrg(ctx context.Context, o *org.Service, pw string) (map[string]int64, error) {
	ids, err := loadUnits(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := history(ctx, o, ids); err != nil {
		return nil, err
	}
	for _, u := range Users {
		if exists(ctx, o, `SELECT COUNT(*) FROM users WHERE username = ?`, u.username) {
			continue
		}
		if err := o.SeedUser(ctx, u.username, u.name, ids[u.unit], pw, u.role); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.username, err)
		}
	}
	return ids, nil
}

func exists(ctx context.Context, o *org.Service, q string, arg any) bool {
	var n int
	_ = o.DB.Reader().QueryRowContext(ctx, q, arg).Scan(&n)
	return n > 0
}

// loadUnits names the root and creates the tree; it returns code → id, with
// "" for the root.
func loadUnits(ctx context.Context, o *org.Service) (map[string]int64, error) {
	all, err := o.Units(ctx, true)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, u := range all {
		ids[u.Code] = u.ID
		if u.ParentID == nil {
			ids[""] = u.ID
			if u.Code == "ROOT" {
				day := Since
				if u.EffectiveFrom.After(day) {
					day = u.EffectiveFrom
				}
				if _, err := o.RenameUnit(ctx, demoActor, u.ID, org.RenameUnit{Code: "441200", Name: "肇庆市招商委员会办公室",
					ShortName: "市招商办", EffectiveOn: day, Reason: "演示数据", Version: u.Version}); err != nil {
					return nil, fmt.Errorf("demo root: %w", err)
				}
			}
		}
	}
	if ids[""] == 0 {
		return nil, errs.E(errs.Internal, "没有根单位", "no root unit")
	}
	for i, s := range units {
		if ids[s.code] != 0 {
			continue
		}
		parent := ids[s.parent]
		u, err := o.CreateUnit(ctx, demoActor, org.CreateUnit{Code: s.code, Name: s.name, ShortName: s.short, Kind: s.kind,
			ParentID: &parent, EffectiveOn: Since, Sort: (i + 1) * 10})
		if err != nil {
			return nil, fmt.Errorf("demo unit %s: %w", s.code, err)
		}
		ids[s.code] = u.ID
	}
	return ids, nil
}

// history gives the demo tree a past, as a real one has: a working group
// renamed when its remit widened, a park moved under its locality, and an
// office closed.
func history(ctx context.Context, o *org.Service, ids map[string]int64) error {
	u, err := o.Unit(ctx, ids["WG-NEV"])
	if err != nil || u.Name != "新能源汽车产业招商工作组" {
		return err // already changed: a repeated load
	}
	if _, err := o.RenameUnit(ctx, demoActor, u.ID, org.RenameUnit{Code: u.Code, Name: "新能源汽车及零部件产业招商工作组",
		ShortName: "新能源汽车组", Sort: u.Sort, EffectiveOn: civil.MustParse("2023-03-01"), Reason: "按市领导分工调整工作组架构", Version: u.Version}); err != nil {
		return err
	}
	yg, err := o.Unit(ctx, ids["ZONE-YG"])
	if err != nil {
		return err
	}
	if _, err := o.MoveUnit(ctx, demoActor, yg.ID, org.MoveUnit{ParentID: ids["441225"], EffectiveOn: civil.MustParse("2024-01-01"),
		Reason: "试验区招商工作交由封开县统筹", Version: yg.Version}); err != nil {
		return err
	}
	closed, err := o.CreateUnit(ctx, demoActor, org.CreateUnit{Code: "AWAY-GZ", Name: "肇庆市驻广州招商联络处", ShortName: "驻穗联络处",
		Kind: org.KindOfficeAway, ParentID: ptr(ids[""]), EffectiveOn: Since, Sort: 999})
	if err != nil {
		return err
	}
	_, err = o.CloseUnit(ctx, demoActor, closed.ID, org.CloseUnit{EffectiveOn: civil.MustParse("2024-07-01"),
		Reason: "机构改革，职能并入市商务局", Version: closed.Version})
	return err
}

func ptr(v int64) *int64 { return &v }
