package web_test

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/notice"
)

// The notice and feedback rows of the authorization matrix.

var (
	noticeReaders   = []string{"zsb_staff", "wg_nev", "dz_staff", "leader", "dept_staff"}
	feedbackWriters = []string{"zsb_staff", "wg_nev", "dz_staff", "dept_staff"}
)

// noticeToDZ sends a notice from the commission office to 端州区.
func (h *harness) noticeToDZ() notice.Notice {
	h.t.Helper()
	n, err := h.app.Notice.Send(context.Background(), h.actorOf("zsb_staff"), notice.Input{Title: fmt.Sprintf("关于报送线索的通知%d", next()),
		Body: "请于本月底前报送新增线索。", UnitIDs: []int64{h.unitID("441202")}})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func noticePath(suffix string) func(*harness, string) (string, any) {
	return func(h *harness, _ string) (string, any) {
		return fmt.Sprintf("/api/v1/notices/%d%s", h.noticeToDZ().ID, suffix), nil
	}
}

// freshPeriod is a month no case has used.
func freshPeriod() string {
	n := next()
	return fmt.Sprintf("%d-%02d", 2030+n/12, n%12+1)
}

func init() {
	rows := map[string]access{
		"GET /api/v1/notices": {allowed: noticeReaders, prep: path("/api/v1/notices?box=inbox")},
		"POST /api/v1/notices": {allowed: []string{"zsb_staff"}, status: 201, prep: func(h *harness, _ string) (string, any) {
			return "/api/v1/notices", map[string]any{"title": "通知", "body": "正文", "unit_ids": []int64{h.unitID("441202")}}
		}},
		// Received by 端州区, sent by the commission office (all scope).
		"GET /api/v1/notices/{id}":          {allowed: noticeReaders, hidden: []string{"wg_nev", "dept_staff"}, prep: noticePath("")},
		"POST /api/v1/notices/{id}/read":    {allowed: noticeReaders, hidden: []string{"zsb_staff", "wg_nev", "leader", "dept_staff"}, prep: noticePath("/read")},
		"GET /api/v1/notices/{id}/receipts": {allowed: noticeReaders, hidden: []string{"wg_nev", "dz_staff", "dept_staff"}, prep: noticePath("/receipts")},
		"GET /api/v1/feedback-reports":      {allowed: noticeReaders, prep: path("/api/v1/feedback-reports?period=2025-01")},
		"POST /api/v1/feedback-reports": {allowed: feedbackWriters, status: 201, prep: func(*harness, string) (string, any) {
			return "/api/v1/feedback-reports", map[string]any{"period": freshPeriod(), "situation": "本月新增线索 3 条", "problems": "用地指标紧张", "help_needed": "协调用地指标"}
		}},
		"PUT /api/v1/feedback-reports/{id}": {allowed: feedbackWriters, hidden: []string{"wg_nev", "dept_staff"}, prep: func(h *harness, _ string) (string, any) {
			r, err := h.app.Notice.Submit(context.Background(), h.actorOf("dz_staff"), notice.ReportInput{Period: freshPeriod(), Situation: "本月走访企业 12 家"})
			if err != nil {
				h.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/feedback-reports/%d", r.ID), map[string]any{"situation": "本月走访企业 13 家", "version": r.Version}
		}},
		"GET /api/v1/feedback-reports/status": {allowed: noticeReaders, prep: path("/api/v1/feedback-reports/status?period=2025-01")},
		"GET /api/v1/settings/feedback":       {allowed: noticeReaders, prep: path("/api/v1/settings/feedback")},
		"PUT /api/v1/settings/feedback": {allowed: []string{"zsb_staff"}, prep: func(h *harness, _ string) (string, any) {
			cfg, err := h.app.Notice.Schedule(context.Background())
			if err != nil {
				h.t.Fatal(err)
			}
			cfg.DueDay = 6
			return "/api/v1/settings/feedback", cfg
		}},
	}
	for k, v := range rows {
		matrix[k] = v
	}
}
