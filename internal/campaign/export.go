package campaign

import (
	"context"
	"net/http"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/report"
)

func pick(en bool, zh, enText string) string {
	if en {
		return enText
	}
	return zh
}

// ReportXLSX sends the comparison report as the page shows it.
func (h Handlers) ReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rq, err := reportQuery(r)
	if err != nil {
		return err
	}
	rep, err := h.S.Report(r.Context(), actor(r), rq)
	if err != nil {
		return err
	}
	en := httpx.Lang(r) == "en"
	labels, err := dictLabels(r.Context(), h.S.DB.Reader(), rq.By, en)
	if err != nil {
		return err
	}
	by := map[string][2]string{"channel": {"招商方式", "Channel"}, "campaign": {"招商活动", "Campaign"},
		"source_region": {"来源地区", "Source region"}, "office": {"驻外机构", "Office away"}}[rq.By]
	t := report.Table{Sheet: pick(en, "渠道成效分析", "Channel results"), Headers: []string{pick(en, by[0], by[1]),
		pick(en, "线索", "Leads"), pick(en, "在谈", "Negotiating"), pick(en, "签约", "Signed"), pick(en, "落户", "Landed"),
		pick(en, "签约率（%）", "Signing rate (%)"), pick(en, "落户率（%）", "Landing rate (%)"),
		pick(en, "签约金额（万元）", "Signed (10k CNY)"), pick(en, "落户金额（万元）", "Landed (10k CNY)"),
		pick(en, "实际支出（万元）", "Spend (10k CNY)"), pick(en, "每亿元签约成本（万元）", "Cost per 100M CNY signed (10k CNY)")}}
	row := func(name string, x ReportRow) []any {
		return []any{name, x.Leads.Count, x.Negotiating.Count, x.Signed.Count, x.Landed.Count, x.SigningRate.Number(), x.LandingRate.Number(),
			x.Signed.Amount.Number(), x.Landed.Amount.Number(), optional(x.Spend), optional(x.CostPerYi)}
	}
	for _, x := range rep.Rows {
		name := x.Name
		if l, ok := labels[x.Key]; ok {
			name = l
		}
		if x.Key == "" {
			name = pick(en, "（未填）", "(none)")
		}
		t.Rows = append(t.Rows, row(name, x))
	}
	t.Rows = append(t.Rows, row(pick(en, "合计", "Total"), rep.Total))
	return report.ServeXLSX(w, pick(en, "渠道成效分析", "channel-results")+"-"+civil.Of(time.Now()).String()+".xlsx", t)
}

func optional(c *money.Cents) any {
	if c == nil {
		return ""
	}
	return c.Number()
}

// dictLabels are the labels of a dictionary grouping (channel, source region).
func dictLabels(ctx context.Context, q db.Querier, by string, en bool) (map[string]string, error) {
	out := map[string]string{}
	if by != "channel" && by != "source_region" {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT code, label_zh, label_en FROM dict_items WHERE type = ?`, by)
	if err != nil {
		return nil, errs.Wrap(err, "labels")
	}
	defer rows.Close()
	for rows.Next() {
		var c, zh, enText string
		if err := rows.Scan(&c, &zh, &enText); err != nil {
			return nil, errs.Wrap(err, "scan label")
		}
		out[c] = pick(en && enText != "", zh, enText)
	}
	return out, errs.Wrap(rows.Err(), "labels")
}
