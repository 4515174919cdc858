package assess

import (
	"fmt"

	"github.com/zhaoqing/attract/internal/report"
)

// Tables lays a report out as the official tables: the unit figures with
// units of measure, and the counting rules as notes. The same report gives
// the same bytes, so a closed month regenerates identically.
func (r Report) Tables() []report.Table {
	head := []string{"单位", "类型", "本月签约（个）", "本月合同投资额（万元）", "年累计签约（个）", "年累计合同投资额（万元）"}
	for _, b := range r.Rules.Bands {
		head = append(head, b.LabelZh+"（个）")
	}
	head = append(head, "年度目标（万元）", "完成率（%）", "是否完成", "已落户（个）", "已动工（个）", "已投产（个）")
	for _, b := range r.Rules.Bands { // band counts against band targets, after the columns above
		head = append(head, b.LabelZh+"目标（个）")
	}
	main := report.Table{Sheet: r.Period + " 月统计", Headers: head}
	for _, f := range append([]Figure{r.City}, r.Units...) {
		if f.Kind == "" {
			continue
		}
		row := []any{f.UnitName, kindZh[f.Kind], Count(f.Month.CountBP), Amount(f.Month.AmountE4), Count(f.YTD.CountBP), Amount(f.YTD.AmountE4)}
		for _, b := range r.Rules.Bands {
			row = append(row, Count(f.YTD.BandsBP[b.Code]))
		}
		done := "否"
		if f.Completed {
			done = "是"
		}
		if f.Target == 0 {
			done = noTargetZh
		}
		row = append(row, Amount(f.Target*Full), f.Completion.Percent(), done, Count(f.Registered), Count(f.Construction), Count(f.Production))
		for _, b := range r.Rules.Bands {
			if t, ok := f.BandTargets[b.Code]; ok {
				row = append(row, Count(t*100))
			} else {
				row = append(row, "")
			}
		}
		main.Rows = append(main.Rows, row)
	}
	notes := report.Table{Sheet: "统计口径", Headers: []string{"说明"}}
	state := "未关账（数据随项目变动）"
	if r.AsOf != "" {
		state = "截至 " + r.AsOf + "（含当日签约项目），数据随项目变动"
	}
	if r.Closed {
		state = "已于 " + r.ClosedAt + " 关账，数据已冻结"
	}
	notes.Rows = append(notes.Rows, []any{fmt.Sprintf("统计期：%s；%s", r.Period, state)}, []any{"金额单位：万元；个数按分成比例计，可为小数。"},
		[]any{"完成率按精确值判断是否完成，显示时向下取整至两位小数（未完成目标的单位不会显示 100.00%）；" + noTargetZh + "的单位不计完成率、不参加排名。"})
	for _, n := range r.RuleNotes {
		notes.Rows = append(notes.Rows, []any{n})
	}
	return []report.Table{main, notes}
}

var kindZh = map[string]string{"city": "全市", "working_group": "工作组", "locality": "县(市、区)", "park": "园区/功能区",
	"department": "市直部门", "office_away": "驻外机构", "commission_office": "招商办"}
