package web_test

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/platform/civil"
)

// The promotion network's rows of the authorization matrix.

var networkReaders = []string{"zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff"}

func advisorBody(version int) map[string]any {
	return map[string]any{"name": fmt.Sprintf("顾问%d", next()), "kind": "expert", "organisation": "华南理工大学", "title": "教授",
		"letter_no": "肇招顾字〔2025〕1号", "appointed_on": "2025-01-01", "term_ends_on": "2027-12-31", "version": version}
}

func partnerBody(version int) map[string]any {
	return map[string]any{"name": fmt.Sprintf("合作机构%d", next()), "kind": "chamber", "agreement_no": "HZ-2025-01",
		"agreement_signed_on": "2025-02-01", "agreement_ends_on": "2027-01-31", "version": version}
}

// freshStaff adds a member to 端州区's team.
func (h *harness) freshStaff() network.Staff {
	h.t.Helper()
	m, err := h.app.Network.CreateStaff(context.Background(), h.actorOf("zsb_staff"), network.StaffInput{UnitID: h.unitID("441202"),
		Name: fmt.Sprintf("招商员%d", next()), Kind: "staff", Position: "招商专员"})
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

func init() {
	writer := []string{"zsb_staff"}
	rows := map[string]access{
		"GET /api/v1/advisors": {allowed: networkReaders, prep: path("/api/v1/advisors")},
		"POST /api/v1/advisors": {allowed: writer, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/advisors", advisorBody(0)
		}},
		"PUT /api/v1/advisors/{id}": {allowed: writer, prep: func(h *harness, _ string) (string, any) {
			x, err := h.app.Network.CreateAdvisor(context.Background(), system, network.AdvisorInput{Name: "临时顾问", Kind: "expert",
				AppointedOn: civil.MustParse("2025-01-01"), TermEndsOn: civil.MustParse("2026-12-31")})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/advisors/%d", x.ID), advisorBody(x.Version)
		}},
		"GET /api/v1/partners": {allowed: networkReaders, prep: path("/api/v1/partners")},
		"POST /api/v1/partners": {allowed: writer, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/partners", partnerBody(0)
		}},
		"PUT /api/v1/partners/{id}": {allowed: writer, prep: func(h *harness, _ string) (string, any) {
			x, err := h.app.Network.CreatePartner(context.Background(), system, network.PartnerInput{Name: "临时机构", Kind: "consultancy"})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/partners/%d", x.ID), partnerBody(x.Version)
		}},
		"GET /api/v1/referral-rewards":         {allowed: networkReaders, prep: path("/api/v1/referral-rewards?from=2025-01-01")},
		"GET /api/v1/settings/referral-reward": {allowed: networkReaders, prep: path("/api/v1/settings/referral-reward")},
		"PUT /api/v1/settings/referral-reward": {allowed: writer, prep: func(h *harness, _ string) (string, any) {
			r, err := h.app.Network.RewardRule(context.Background())
			if err != nil {
				h.t.Fatal(err)
			}
			r.ShareBP = 20
			return "/api/v1/settings/referral-reward", r
		}},
		"GET /api/v1/intelligence": {allowed: networkReaders, prep: path("/api/v1/intelligence?q=储能")},
		"POST /api/v1/intelligence": {allowed: writer, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/intelligence", map[string]any{"title": "某企业拟在粤西布局储能基地", "published_on": "2025-03-01", "region": "shenzhen"}
		}},
		"PUT /api/v1/intelligence/{id}": {allowed: writer, prep: func(h *harness, _ string) (string, any) {
			it, err := h.app.Network.CreateItem(context.Background(), system, network.ItemInput{Title: "情报", PublishedOn: civil.MustParse("2025-03-01")})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/intelligence/%d", it.ID), map[string]any{"title": "情报（更新）", "published_on": "2025-03-02", "version": it.Version}
		}},
		"POST /api/v1/intelligence/import": {allowed: writer, prep: func(*harness, string) (string, any) {
			return "/api/v1/intelligence/import", upload{filename: "情报.csv", data: []byte("标题,日期,来源\n宁德时代扩产,2025-04-01,证券时报\n")}
		}},
		"GET /api/v1/staff": {allowed: networkReaders, prep: path("/api/v1/staff")},
		"POST /api/v1/staff": {allowed: writer, status: 201, prep: func(h *harness, _ string) (string, any) {
			return "/api/v1/staff", map[string]any{"unit_id": h.unitID("441202"), "name": "外包招商员", "kind": "outsourced", "provider": "广东某咨询公司"}
		}},
		"PUT /api/v1/staff/{id}": {allowed: writer, prep: func(h *harness, _ string) (string, any) {
			m := h.freshStaff()
			return fmt.Sprintf("/api/v1/staff/%d", m.ID), map[string]any{"unit_id": m.UnitID, "name": m.Name, "kind": "staff", "position": "副科长", "version": m.Version}
		}},
		"GET /api/v1/trainings": {allowed: networkReaders, prep: path("/api/v1/trainings")},
		"POST /api/v1/trainings": {allowed: writer, status: 201, prep: func(h *harness, _ string) (string, any) {
			return "/api/v1/trainings", map[string]any{"title": "招商引资业务培训", "held_on": "2025-04-10", "hours": 4, "staff_ids": []int64{h.freshStaff().ID}}
		}},
		"PUT /api/v1/trainings/{id}": {allowed: writer, prep: func(h *harness, _ string) (string, any) {
			t, err := h.app.Network.CreateTraining(context.Background(), h.actorOf("zsb_staff"), network.TrainingInput{Title: "培训", HeldOn: civil.MustParse("2025-04-10")})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/trainings/%d", t.ID), map[string]any{"title": "培训（更新）", "held_on": "2025-04-11", "hours": 3, "version": t.Version}
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}
