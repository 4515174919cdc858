package web_test

import (
	"context"
	"fmt"
	"github.com/zhaoqing/attract/internal/enterprise"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

// TestReferralRewards: an advisor's referred project earns a share of its
// contracted investment once it reaches the rule's basis, capped; counts and
// rewards cover the caller's scope only.
func TestReferralRewards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		zsb := h.as("zsb_staff")
		adv, err := h.app.Network.CreateAdvisor(ctx, h.actorOf("zsb_staff"), network.AdvisorInput{Name: "陈乡贤", Kind: "enterprise_head",
			Organisation: "深圳肇庆商会", AppointedOn: civil.MustParse("2024-01-01"), TermEndsOn: civil.MustParse("2026-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		loc := h.unitID("441202")
		p, err := h.app.Project.Create(ctx, h.actorOf("dz_staff"), project.Input{Name: "乡贤推荐项目", InvestorName: "某乡贤企业有限公司",
			Channel: "hometown", ContractInvestment: 50000_00, LocalityUnitID: &loc, LeadOn: civil.MustParse("2025-01-10"), ReferrerAdvisorID: &adv.ID})
		if err != nil {
			t.Fatal(err)
		}
		if p.ReferrerAdvisorName != "陈乡贤" {
			t.Errorf("referrer name %q", p.ReferrerAdvisorName)
		}
		var rule map[string]any
		zsb.get("/api/v1/settings/referral-reward", &rule)
		rule["basis"], rule["share_bp"], rule["cap"] = "signed", 10, 30
		if st, b := zsb.do("PUT", "/api/v1/settings/referral-reward", rule); st != 200 {
			t.Fatalf("rule: %d %s", st, b)
		}
		var rep struct {
			Rows []struct {
				Name   string
				Reward float64
				Lines  []struct{ Capped bool }
			}
			Reward float64
		}
		zsb.get("/api/v1/referral-rewards", &rep)
		if len(rep.Rows) != 0 {
			t.Errorf("a lead earns nothing yet: %+v", rep)
		}
		h.signProject("dz_staff", p)
		zsb.get("/api/v1/referral-rewards", &rep)
		// 0.1% of 50,000 万元 is 50 万元, capped at 30.
		if len(rep.Rows) != 1 || rep.Rows[0].Name != "陈乡贤" || rep.Rows[0].Reward != 30 || !rep.Rows[0].Lines[0].Capped || rep.Reward != 30 {
			t.Errorf("reward report: %+v", rep)
		}
		h.as("wg_nev").get("/api/v1/referral-rewards", &rep)
		if len(rep.Rows) != 0 {
			t.Errorf("wg_nev sees rewards: %+v", rep)
		}
		var advs struct {
			Items []struct {
				Referrals struct{ Projects, Signed int }
			}
		}
		h.as("dz_staff").get("/api/v1/advisors", &advs)
		if len(advs.Items) != 1 || advs.Items[0].Referrals.Projects != 1 || advs.Items[0].Referrals.Signed != 1 {
			t.Errorf("dz_staff advisors: %+v", advs)
		}
		h.as("wg_nev").get("/api/v1/advisors", &advs)
		if advs.Items[0].Referrals.Projects != 0 {
			t.Errorf("wg_nev advisors: %+v", advs)
		}
		if st, b := zsb.do("POST", "/api/v1/advisors", map[string]any{"name": "", "kind": "guru", "appointed_on": "2025-01-01", "term_ends_on": "2024-01-01"}); st != 400 ||
			!strings.Contains(string(b), `"kind"`) || !strings.Contains(string(b), `"term_ends_on"`) || !strings.Contains(string(b), `"name"`) {
			t.Errorf("bad advisor: %d %s", st, b)
		}
	})
}

// TestIntelligenceFeed: items are searchable, linked to enterprises by id,
// and a CSV import keeps the valid rows and names the refused ones.
func TestIntelligenceFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb := h.as("zsb_staff")
		e1, e2 := h.freshEnterprise(), h.freshEnterprise()
		byd, err := h.app.Enterprise.Create(context.Background(), h.actorOf("zsb_staff"), enterprise.Input{CreditCode: "91440300192317458F",
			Name: "比亚迪股份有限公司", IndustryCode: "3612", RegionCode: "440300"})
		if err != nil {
			t.Fatal(err)
		}
		st, b := zsb.do("POST", "/api/v1/intelligence", map[string]any{"title": "宁德时代拟在华南新建储能电池基地", "published_on": "2025-03-01",
			"source": "证券时报", "region": "other", "enterprises": "宁德时代", "chain_links": "储能电池", "enterprise_ids": []int64{e2.ID, e2.ID, e1.ID}})
		if st != 201 {
			t.Fatalf("create: %d %s", st, b)
		}
		// An enterprise not in the library cannot be linked.
		if st, b := zsb.do("POST", "/api/v1/intelligence", map[string]any{"title": "x", "published_on": "2025-03-01", "region": "other",
			"enterprise_ids": []int64{987654}}); st != 400 || !strings.Contains(string(b), "enterprise_ids") {
			t.Errorf("unknown enterprise: %d %s", st, b)
		}
		csv := "标题,日期,来源,摘要,地区,涉及企业,产业链环节\n" +
			"比亚迪拟扩建零部件产能,2025-04-02,南方日报,,深圳,比亚迪,汽车零部件\n" +
			"坏日期的一条,2025-13-40,,,,,\n" +
			"欧洲液压企业寻找华南合作伙伴,2025/04/05,商务部,,欧美,丹佛斯,液压传动\n" +
			",2025-04-06,,,火星,,\n"
		st, b = zsb.do("POST", "/api/v1/intelligence/import", upload{filename: "情报.csv", data: []byte(csv)})
		var res struct {
			Imported int
			Errors   []struct {
				Row   int
				Field string
			}
		}
		mustJSON(t, b, &res)
		if st != 200 || res.Imported != 2 || len(res.Errors) != 3 || res.Errors[0].Row != 3 || res.Errors[0].Field != "published_on" || res.Errors[1].Row != 5 {
			t.Errorf("import: %d %s", st, b)
		}
		var list struct {
			Items []struct {
				Title         string
				Region        string
				EnterpriseIDs []int64 `json:"enterprise_ids"`
			}
			Total int
		}
		h.as("leader").get(fmt.Sprintf("/api/v1/intelligence?enterprise_id=%d", e2.ID), &list)
		if list.Total != 1 || fmt.Sprint(list.Items[0].EnterpriseIDs) != fmt.Sprint([]int64{e1.ID, e2.ID}) {
			t.Errorf("by enterprise: %+v", list)
		}
		// The imported row naming 比亚迪 is linked to 比亚迪股份有限公司 (the only
		// enterprise whose name begins so).
		h.as("leader").get(fmt.Sprintf("/api/v1/intelligence?enterprise_id=%d", byd.ID), &list)
		if list.Total != 1 || list.Items[0].Title != "比亚迪拟扩建零部件产能" {
			t.Errorf("linked by name: %+v", list)
		}
		h.as("dz_staff").get("/api/v1/intelligence?q=液压", &list)
		if list.Total != 1 || list.Items[0].Region != "europe_america" {
			t.Errorf("search: %+v", list)
		}
		h.as("dz_staff").get("/api/v1/intelligence?region=shenzhen", &list)
		if list.Total != 1 {
			t.Errorf("by region: %+v", list)
		}
	})
}

// TestStaffScope: a unit's staff are seen by that unit and the commission
// office; training records who attended.
func TestStaffScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		m := h.freshStaff()
		st, b := h.as("zsb_staff").do("POST", "/api/v1/trainings", map[string]any{"title": "招商引资政策培训", "held_on": "2025-04-10", "hours": 6,
			"staff_ids": []int64{m.ID}})
		if st != 201 || !strings.Contains(string(b), m.Name) {
			t.Fatalf("training: %d %s", st, b)
		}
		var list struct {
			Items []struct{ Trainings int }
			Total int
		}
		for user, want := range map[string]int{"zsb_staff": 1, "dz_staff": 1, "wg_nev": 0, "dept_staff": 0} {
			h.as(user).get("/api/v1/staff", &list)
			if list.Total != want {
				t.Errorf("%s sees %d staff, want %d", user, list.Total, want)
			}
		}
		h.as("dz_staff").get("/api/v1/staff", &list)
		if list.Items[0].Trainings != 1 {
			t.Errorf("trainings attended: %+v", list)
		}
		if st, b := h.as("zsb_staff").do("POST", "/api/v1/staff", map[string]any{"unit_id": h.unitID("441202"), "name": "某人", "kind": "outsourced"}); st != 400 || !strings.Contains(string(b), "provider") {
			t.Errorf("outsourced without provider: %d %s", st, b)
		}
	})
}
