package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestNoticeReceipts: a notice to 端州区 reaches its users (and not
// others'), reading it leaves one receipt however often it is read, and the
// sender sees who read it when.
func TestNoticeReceipts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		zsb, dz := h.as("zsb_staff"), h.as("dz_staff")
		st, b := zsb.do("POST", "/api/v1/notices", map[string]any{"title": "关于开展招商引资年活动的通知", "body": "各单位：……",
			"unit_ids": []int64{h.unitID("441202"), h.unitID("441204")}})
		if st != 201 {
			t.Fatalf("send: %d %s", st, b)
		}
		var n struct{ ID int64 }
		mustJSON(t, b, &n)
		var list struct {
			Items []struct {
				ID     int64
				ReadAt *string `json:"read_at"`
			}
			Total int
		}
		dz.get("/api/v1/notices?unread=1", &list)
		if list.Total != 1 || list.Items[0].ID != n.ID || list.Items[0].ReadAt != nil {
			t.Fatalf("dz inbox: %+v", list)
		}
		h.as("gy_staff").get("/api/v1/notices", &list)
		if list.Total != 1 {
			t.Errorf("gy inbox: %+v", list)
		}
		h.as("wg_nev").get("/api/v1/notices", &list)
		if list.Total != 0 {
			t.Errorf("wg_nev inbox: %+v", list)
		}
		for i := 0; i < 2; i++ {
			if st, b := dz.do("POST", fmt.Sprintf("/api/v1/notices/%d/read", n.ID), nil); st != 200 || !strings.Contains(string(b), `"read_at":"`) {
				t.Fatalf("read: %d %s", st, b)
			}
		}
		dz.get("/api/v1/notices?unread=1", &list)
		if list.Total != 0 {
			t.Errorf("still unread: %+v", list)
		}
		var rec struct {
			Items []struct {
				UnitName string `json:"unit_name"`
				Read     bool
				Readers  []struct {
					UserName string `json:"user_name"`
					ReadAt   string `json:"read_at"`
				}
			}
		}
		zsb.get(fmt.Sprintf("/api/v1/notices/%d/receipts", n.ID), &rec)
		if len(rec.Items) != 2 {
			t.Fatalf("receipts: %+v", rec)
		}
		for _, r := range rec.Items {
			want := r.UnitName == "端州区"
			if r.Read != want || (want && (len(r.Readers) != 1 || r.Readers[0].UserName != "周慧琳" || r.Readers[0].ReadAt == "")) {
				t.Errorf("receipt of %s: %+v", r.UnitName, r)
			}
		}
		zsb.get("/api/v1/notices?box=sent", &list)
		if list.Total != 1 {
			t.Errorf("sent box: %+v", list)
		}
		if st, b := zsb.do("POST", "/api/v1/notices", map[string]any{"title": "", "body": "", "unit_ids": []int64{}}); st != 400 ||
			!strings.Contains(string(b), `"title"`) || !strings.Contains(string(b), `"unit_ids"`) {
			t.Errorf("bad notice: %d %s", st, b)
		}
	})
}

// TestFeedbackSchedule: reports are due on the schedule's day of the next
// month; late and missing reporters are listed first; one report per unit
// and month.
func TestFeedbackSchedule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		dz, gy := h.as("dz_staff"), h.as("gy_staff")
		body := map[string]any{"period": "2025-01", "situation": "新增线索 4 条，签约 1 个", "problems": "用地报批慢", "help_needed": "请市自然资源局协调"}
		if st, b := dz.do("POST", "/api/v1/feedback-reports", body); st != 201 {
			t.Fatalf("submit: %d %s", st, b)
		}
		if st, b := dz.do("POST", "/api/v1/feedback-reports", body); st != 409 {
			t.Errorf("second report of the month: %d %s", st, b)
		}
		// Submitted today, long after 2025-02-05: late.
		var st struct {
			DueOn string `json:"due_on"`
			Late  int
			Units []struct {
				UnitName string `json:"unit_name"`
				State    string
			}
		}
		h.as("zsb_staff").get("/api/v1/feedback-reports/status?period=2025-01", &st)
		if st.DueOn != "2025-02-05" {
			t.Errorf("due on %s", st.DueOn)
		}
		states := map[string]string{}
		for _, u := range st.Units {
			states[u.UnitName] = u.State
		}
		if states["端州区"] != "late" || states["高要区"] != "missing" || states["市商务局"] != "" || st.Late != len(st.Units) {
			t.Errorf("status: %+v", st)
		}
		gy.get("/api/v1/feedback-reports/status?period=2025-01", &st)
		for _, u := range st.Units {
			if u.UnitName == "端州区" {
				t.Errorf("高要区 sees 端州区: %+v", st.Units)
			}
		}
		var list struct{ Total int }
		gy.get("/api/v1/feedback-reports?period=2025-01", &list)
		if list.Total != 0 {
			t.Errorf("高要区 sees %d reports", list.Total)
		}
		if code, b := gy.do("GET", "/api/v1/feedback-reports/status?period=2025-13", nil); code != 400 || !strings.Contains(string(b), "period") {
			t.Errorf("bad period: %d %s", code, b)
		}
	})
}
