package web_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/platform/uscc"
	"github.com/zhaoqing/attract/internal/project"
)

var (
	enterpriseReaders = []string{"zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff"}
	enterpriseWriters = []string{"zsb_staff", "wg_nev", "dz_staff", "dept_staff"}
)

// freshCode is a valid credit code no other case uses.
func freshCode() string {
	s := fmt.Sprintf("91441200MA%07d", next())
	return s + string(uscc.CheckChar(s))
}

// freshEnterprise adds an enterprise nobody courts yet.
func (h *harness) freshEnterprise() enterprise.Enterprise {
	h.t.Helper()
	e, err := h.app.Enterprise.Create(context.Background(), h.actorOf("zsb_staff"), enterprise.Input{
		CreditCode: freshCode(), Name: fmt.Sprintf("测试宁德新能源%d有限公司", next()), IndustryCode: "3841", RegionCode: "350900",
		RegisteredCapital: 1000000})
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

func enterprisePath(suffix string, body func(e enterprise.Enterprise) any) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		e := h.freshEnterprise()
		var b any
		if body != nil {
			b = body(e)
		}
		return fmt.Sprintf("/api/v1/enterprises/%d%s", e.ID, suffix), b
	}
}

func enterpriseCSV(n int) []byte {
	var b bytes.Buffer
	rows := synth.Rows(uint64(next()), n)
	for i := range rows {
		rows[i].CreditCode = freshCode()
	}
	if err := synth.WriteCSV(&b, rows); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// jobOf starts an import as the user, so that the job is theirs.
func jobOf(suffix string) func(*harness, string) (string, any) {
	return func(h *harness, user string) (string, any) {
		if user == "" {
			user = "zsb_staff" // anonymous callers are refused before the job is looked up
		}
		j, err := h.app.Enterprise.StartImport(context.Background(), h.actorOf(user), enterpriseCSV(3), "e.csv")
		if err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/enterprises/import/jobs/%d%s", j.ID, suffix), nil
	}
}

func firstChain(h *harness) chain.Chain {
	cs, err := h.app.Chain.List(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	var id int64
	for _, c := range cs {
		if c.Code == "nev" { // a default chain: the cases' own chains have no nodes
			id = c.ID
		}
	}
	c, err := h.app.Chain.Get(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func firstLink(h *harness) chain.Node {
	for _, n := range firstChain(h).Nodes {
		if n.Kind == "link" {
			return n
		}
	}
	h.t.Fatal("no link")
	return chain.Node{}
}

func init() {
	rows := map[string]access{
		"GET /api/v1/regions":                     {allowed: everyone, prep: path("/api/v1/regions?q=肇庆")},
		"GET /api/v1/enterprises":                 {allowed: enterpriseReaders, prep: path("/api/v1/enterprises?q=宁德&sort=capital")},
		"GET /api/v1/enterprises/top":             {allowed: enterpriseReaders, prep: path("/api/v1/enterprises/top?industry=38&measure=capital")},
		"GET /api/v1/enterprises/import/template": {allowed: enterpriseWriters, prep: path("/api/v1/enterprises/import/template")},
		"POST /api/v1/enterprises": {allowed: enterpriseWriters, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/enterprises", map[string]any{"credit_code": freshCode(), "name": fmt.Sprintf("矩阵测试%d有限公司", next()), "industry_code": "3612"}
		}},
		"POST /api/v1/enterprises/import": {allowed: enterpriseWriters, status: 202, prep: func(*harness, string) (string, any) {
			return "/api/v1/enterprises/import", upload{filename: "企业.csv", data: enterpriseCSV(3)}
		}},
		// A job is its starter's: every case starts its own, so all writers see theirs.
		"GET /api/v1/enterprises/import/jobs/{id}":        {allowed: enterpriseWriters, prep: jobOf("")},
		"GET /api/v1/enterprises/import/jobs/{id}/errors": {allowed: enterpriseWriters, prep: jobOf("/errors")},
		"GET /api/v1/enterprises/{id}":                    {allowed: enterpriseReaders, prep: enterprisePath("", nil)},
		"PUT /api/v1/enterprises/{id}": {allowed: enterpriseWriters, prep: enterprisePath("", func(e enterprise.Enterprise) any {
			return map[string]any{"credit_code": e.CreditCode, "name": e.Name + "（更名）", "industry_code": "3841", "version": e.Version}
		})},
		"POST /api/v1/enterprises/{id}/archive": {allowed: enterpriseWriters, prep: enterprisePath("/archive", func(e enterprise.Enterprise) any {
			return map[string]any{"version": e.Version}
		})},
		"POST /api/v1/enterprises/{id}/restore": {allowed: enterpriseWriters, prep: enterprisePath("/restore", func(e enterprise.Enterprise) any {
			return map[string]any{"version": e.Version}
		})},
		"GET /api/v1/enterprises/{id}/intentions": {allowed: enterpriseReaders, prep: enterprisePath("/intentions", nil)},
		"POST /api/v1/enterprises/{id}/intentions": {allowed: enterpriseWriters, status: 201, prep: enterprisePath("/intentions", func(enterprise.Enterprise) any {
			return map[string]any{"content": "拟在华南新建电池基地", "place": "肇庆", "amount": 500000, "heard_on": "2025-12-01", "source": "行业协会"}
		})},
		"GET /api/v1/enterprises/{id}/visits": {allowed: enterpriseReaders, prep: enterprisePath("/visits", nil)},
		"POST /api/v1/enterprises/{id}/visits": {allowed: enterpriseWriters, status: 201, prep: enterprisePath("/visits", func(enterprise.Enterprise) any {
			return map[string]any{"visited_on": "2025-12-02", "visitors": "招商办 张三", "outcome": "有意向"}
		})},
		"GET /api/v1/enterprises/{id}/projects": {allowed: projectReaders, prep: enterprisePath("/projects", nil)},
		"POST /api/v1/enterprises/{id}/lead": {allowed: projectWriters, status: 201, prep: enterprisePath("/lead", func(enterprise.Enterprise) any {
			return map[string]any{"channel": "team"}
		})},

		"GET /api/v1/chains": {allowed: enterpriseReaders, prep: path("/api/v1/chains")},
		"POST /api/v1/chains": {allowed: []string{"zsb_staff"}, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/chains", map[string]any{"code": fmt.Sprintf("t%d", next()), "name": "测试产业链"}
		}},
		"GET /api/v1/chains/{id}": {allowed: enterpriseReaders, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/chains/%d", firstChain(h).ID), nil
		}},
		"PUT /api/v1/chains/{id}": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			c := firstChain(h)
			return fmt.Sprintf("/api/v1/chains/%d", c.ID), map[string]any{"code": c.Code, "name": c.Name, "description": "改", "version": c.Version}
		}},
		"POST /api/v1/chains/{id}/nodes": {allowed: []string{"zsb_staff"}, status: 201, prep: func(h *harness, _ string) (string, any) {
			c := firstChain(h)
			return fmt.Sprintf("/api/v1/chains/%d/nodes", c.ID), map[string]any{"parent_id": c.Nodes[0].ID, "kind": "link", "name": "测试环节",
				"industry_codes": []string{"3841"}, "keywords": []string{"电芯"}}
		}},
		"GET /api/v1/chains/{id}/map": {allowed: enterpriseReaders, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/chains/%d/map", firstChain(h).ID), nil
		}},
		"PUT /api/v1/chain-nodes/{id}": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			n := firstLink(h)
			return fmt.Sprintf("/api/v1/chain-nodes/%d", n.ID), map[string]any{"name": n.Name, "industry_codes": n.IndustryCodes, "keywords": n.Keywords}
		}},
		"DELETE /api/v1/chain-nodes/{id}": {allowed: []string{"zsb_staff"}, status: 204, prep: func(h *harness, _ string) (string, any) {
			c := firstChain(h)
			n, err := h.app.Chain.AddNode(context.Background(), h.actorOf("zsb_staff"), c.ID, chain.NodeInput{ParentID: &c.Nodes[0].ID, Kind: "link", Name: "待删环节"})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/chain-nodes/%d", n.ID), nil
		}},
		"GET /api/v1/chain-nodes/{id}/recommendations": {allowed: enterpriseReaders, prep: func(h *harness, _ string) (string, any) {
			return fmt.Sprintf("/api/v1/chain-nodes/%d/recommendations", firstLink(h).ID), nil
		}},
		"GET /api/v1/projects/{id}/chain-links": {allowed: projectReaders, hidden: outsideDZ, prep: dzProject("/chain-links", nil)},
		"PUT /api/v1/projects/{id}/chain-links": {allowed: projectWriters, hidden: outsideDZ, prep: dzProject("/chain-links", func(h *harness, _ project.Project) any {
			return map[string]any{"node_ids": []int64{firstLink(h).ID}}
		})},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}
