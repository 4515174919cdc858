package web_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhaoqing/attract/internal/assess"

	"github.com/zhaoqing/attract/internal/project"
)

// pendingDZ imports, as 端州区, a project signed before the first open
// month (closing the first month if none is closed), so that it is
// pending and may be verified with a reason.
func pendingDZ(h *harness) project.Project {
	h.t.Helper()
	ctx := context.Background()
	if closes, err := h.app.Assess.Closes(ctx); err != nil || len(closes) == 0 {
		if _, err := h.app.Assess.Close(ctx, h.actorOf("zsb_staff"), assess.Period{Year: 2024, Month: 1}); err != nil {
			h.t.Fatal(err)
		}
	}
	n := next()
	csv := ledgerHeader + fmt.Sprintf("待核实矩阵项目%d,矩阵投资方%d有限公司,,1000,以商引商,端州区,端州区:100,签约,2023-01-05,2023-03-01,正常\n", n, n)
	res, err := h.app.Project.ImportLedger(ctx, h.actorOf("dz_staff"), strings.NewReader(csv), "台账.csv", project.AllOrNothing, false)
	if err != nil || res.Imported != 1 {
		h.t.Fatalf("import: %v %+v", err, res)
	}
	items, _, err := h.app.Project.List(ctx, h.actorOf("zsb_staff"), project.Filter{Q: fmt.Sprintf("待核实矩阵项目%d", n), Limit: 1})
	if err != nil || len(items) != 1 {
		h.t.Fatalf("find the pending project: %v", err)
	}
	return items[0]
}

func init() {
	verifiers := []string{"zsb_staff"}
	rows := map[string]access{
		"GET /api/v1/assignments": {allowed: projectReaders, prep: path("/api/v1/assignments")},
		"POST /api/v1/projects/{id}/verify": {allowed: verifiers, prep: func(h *harness, _ string) (string, any) {
			p := pendingDZ(h)
			return fmt.Sprintf("/api/v1/projects/%d/verify", p.ID), map[string]any{"version": p.Version, "reason": "历史台账，经核对属实"}
		}},
		"POST /api/v1/projects/verify": {allowed: verifiers, prep: func(h *harness, _ string) (string, any) {
			p := pendingDZ(h)
			return "/api/v1/projects/verify", map[string]any{"items": []any{map[string]any{"id": p.ID, "version": p.Version, "reason": "历史台账，经核对属实"}}}
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}
