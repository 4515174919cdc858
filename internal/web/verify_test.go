package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

type pendingItem struct {
	ID           int64
	Code         string
	Stage        string
	Version      int
	LeadOn       string `json:"lead_on"`
	Verification struct {
		Status string
		ByName string `json:"by_name"`
		Note   string
	}
}

// monthFigure reads the city's figure of a month from the statistics JSON.
func monthFigure(t *testing.T, c *client, period string) (count, amount int64) {
	t.Helper()
	var m struct {
		City struct {
			Month struct {
				CountBP  int64 `json:"count_bp"`
				AmountE4 int64 `json:"amount_e4"`
			}
		}
	}
	c.get("/api/v1/stats/monthly/"+period, &m)
	return m.City.Month.CountBP, m.City.Month.AmountE4
}

// signedFunnel is the cockpit's count of active signed projects this year.
func signedFunnel(t *testing.T, c *client, year int) int {
	t.Helper()
	var ck struct {
		Funnel []struct {
			Stage string
			Count int
		}
	}
	c.get(fmt.Sprintf("/api/v1/cockpit?year=%d", year), &ck)
	for _, f := range ck.Funnel {
		if f.Stage == "signed" {
			return f.Count
		}
	}
	return 0
}

func pendingList(t *testing.T, c *client) []pendingItem {
	t.Helper()
	var l struct{ Items []pendingItem }
	c.get("/api/v1/projects?verification=pending&sort=code", &l)
	return l.Items
}

func wantStatus(t *testing.T, what string, st int, b []byte, want int, msg string) {
	t.Helper()
	if st != want || (msg != "" && !strings.Contains(string(b), msg)) {
		t.Fatalf("%s: %d %s, want %d with %q", what, st, b, want, msg)
	}
}

// TestPendingVerification is the signing gate's walk-around through the
// ledger: a county imports a signed row; it is pending and counts in no
// figure (monthly JSON, cockpit) whatever it tries — moving it on, editing
// the table by hand —; the county cannot verify it, the commission office
// can only with the agreement and an approved screening, and then the
// month's figure changes by exactly the row's amount.
func TestPendingVerification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, zsb := h.as("dz_staff"), h.as("zsb_staff")
		today := civil.Of(time.Now())
		period := today.String()[:7]
		row := fmt.Sprintf("待核实储能项目,核实测试有限公司,,500000,以商引商,端州区,端州区:100,签约,%s,%s,正常\n", today.AddDays(-40), today)
		st, r, b := importCSV(t, dz, ledgerHeader+row, "dry_run=1")
		if st != 200 || r.Valid != 1 || !strings.Contains(string(b), `"pending":1`) || !strings.Contains(string(b), `"pending":true`) {
			t.Fatalf("the preview must say the signed row enters pending: %d %s", st, b)
		}
		count0, amount0 := monthFigure(t, zsb, period)
		funnel0 := signedFunnel(t, zsb, today.Year())
		if st, r, b = importCSV(t, dz, ledgerHeader+row, ""); st != 200 || r.Imported != 1 {
			t.Fatalf("import: %d %s", st, b)
		}
		// Pending: listed for the importing unit and the office, counted nowhere.
		mine := pendingList(t, dz)
		if len(mine) != 1 || mine[0].Verification.Status != "pending" || len(pendingList(t, zsb)) != 1 {
			t.Fatalf("pending list: %+v", mine)
		}
		p := mine[0]
		if c, a := monthFigure(t, zsb, period); c != count0 || a != amount0 {
			t.Fatalf("a pending row changed the month: %d/%d → %d/%d", count0, amount0, c, a)
		}
		if f := signedFunnel(t, zsb, today.Year()); f != funnel0 {
			t.Fatalf("a pending row entered the cockpit's funnel: %d → %d", funnel0, f)
		}
		// Walk-arounds: moving it on, verifying one's own import, editing the table.
		st, b = dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID), map[string]any{"action": "registered", "version": p.Version, "on": today})
		wantStatus(t, "registering a pending project", st, b, 422, "待核实")
		st, b = dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/verify", p.ID), map[string]any{"version": p.Version, "reason": "本单位核实"})
		wantStatus(t, "the county verifying its own import", st, b, 403, "")
		h.exec(t, `UPDATE projects SET contract_investment = 900000000 WHERE id = ?`, p.ID)
		if c, a := monthFigure(t, zsb, period); c != count0 || a != amount0 {
			t.Fatalf("an edited pending row changed the month: %d/%d → %d/%d", count0, amount0, c, a)
		}
		h.exec(t, `UPDATE projects SET contract_investment = 50000000 WHERE id = ?`, p.ID)
		p = pendingList(t, zsb)[0]
		// The office: the agreement is required in an open month, and the screening.
		st, b = zsb.do("POST", fmt.Sprintf("/api/v1/projects/%d/verify", p.ID), map[string]any{"version": p.Version, "reason": "台账属实"})
		wantStatus(t, "verifying an open month's row without the agreement", st, b, 400, "签约协议")
		var att struct{ ID int64 }
		st, b = dz.do("POST", fmt.Sprintf("/api/v1/projects/%d/attachments", p.ID), upload{kind: "agreement", filename: "协议.pdf", data: pdf})
		wantStatus(t, "attach the agreement", st, b, 201, "")
		mustJSON(t, b, &att)
		st, b = zsb.do("POST", fmt.Sprintf("/api/v1/projects/%d/verify", p.ID), map[string]any{"version": p.Version, "attachment_id": att.ID})
		wantStatus(t, "verifying without a screening", st, b, 422, "论证评估")
		h.approvedScreening(p.ID)
		st, b = zsb.do("POST", fmt.Sprintf("/api/v1/projects/%d/verify", p.ID), map[string]any{"version": p.Version, "attachment_id": att.ID})
		wantStatus(t, "verify", st, b, 200, `"status":"verified"`)
		// Counted now: one project, 500,000 万元 (×10⁴ for the shares' basis points).
		if c, a := monthFigure(t, zsb, period); c != count0+10000 || a != amount0+500000_00*10000 {
			t.Fatalf("verified row: month %d/%d → %d/%d, want +10000 / +%d", count0, amount0, c, a, int64(500000_00*10000))
		}
		if f := signedFunnel(t, zsb, today.Year()); f != funnel0+1 {
			t.Fatalf("the verified row is missing from the funnel: %d → %d", funnel0, f)
		}
		if len(pendingList(t, dz)) != 0 {
			t.Fatal("a verified project is still pending")
		}
		var au struct{ Total int }
		h.as("auditadmin").get(fmt.Sprintf("/api/v1/audit?action=project.verify&object_id=%d", p.ID), &au)
		if au.Total != 1 {
			t.Fatalf("verification audit entries: %d", au.Total)
		}
	})
}

// TestBulkVerifyHistory: rows signed before the first open month are
// verified with a recorded reason instead of the agreement, in bulk, each
// audited; a bad item stops the batch and is named.
func TestBulkVerifyHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, zsb := h.as("dz_staff"), h.as("zsb_staff")
		st, b := zsb.do("POST", "/api/v1/periods/"+nextToClose(h)+"/close", nil)
		wantStatus(t, "close the first month", st, b, 200, "")
		csv := "项目名称*,投资方*,合同投资额（万元）,招商方式*,落户地,引进单位及分成,阶段,线索日期,洽谈日期,签约日期,落户日期\n" +
			"历史项目甲,历史甲有限公司,1000,以商引商,端州区,端州区:100,签约,2023-01-05,,2023-03-01,\n" +
			"历史项目乙,历史乙有限公司,2000,以商引商,端州区,端州区:100,落户,2023-02-05,,2023-04-01,2023-05-01\n" +
			"历史项目丙,历史丙有限公司,3000,以商引商,端州区,端州区:100,在谈,2023-02-05,2023-02-10,,\n"
		if st, r, b := importCSV(t, dz, csv, ""); st != 200 || r.Imported != 3 || !strings.Contains(string(b), `"pending":2`) {
			t.Fatalf("import: %d %s", st, b)
		}
		items := pendingList(t, zsb)
		if len(items) != 2 {
			t.Fatalf("two rows at signed or later are pending, the one in negotiation not: %+v", items)
		}
		body := func(reason string) map[string]any {
			var list []map[string]any
			for _, it := range items {
				list = append(list, map[string]any{"id": it.ID, "version": it.Version, "reason": reason})
			}
			return map[string]any{"items": list}
		}
		bad := body("据2023年台账及签约仪式记录核实")
		bad["items"].([]map[string]any)[1]["reason"] = " "
		st, b = zsb.do("POST", "/api/v1/projects/verify", bad)
		wantStatus(t, "an item without a reason", st, b, 400, "第 2 项")
		if len(pendingList(t, zsb)) != 2 {
			t.Fatal("a failed bulk verification verified some rows")
		}
		st, b = dz.do("POST", "/api/v1/projects/verify", body("x"))
		wantStatus(t, "the county's bulk verification", st, b, 403, "")
		st, b = zsb.do("POST", "/api/v1/projects/verify", body("据2023年台账及签约仪式记录核实"))
		wantStatus(t, "bulk verify", st, b, 200, `"verified":2`)
		var au struct{ Total int }
		h.as("auditadmin").get("/api/v1/audit?action=project.verify", &au)
		if au.Total != 2 {
			t.Fatalf("bulk verification must be audited row by row: %d entries", au.Total)
		}
		st, b = zsb.do("POST", "/api/v1/projects/verify", map[string]any{"items": []any{}})
		wantStatus(t, "an empty batch", st, b, 400, "")
	})
}
