package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// Enterprises is how many the demo library holds besides the named ones.
const Enterprises = 3000

// named are well-known enterprises of the city's chains (published codes
// where known, else generated), headquarters and tags as publicly reported.
var named = []synth.Row{
	{CreditCode: "91440300192317458F", Name: "比亚迪股份有限公司", Industry: "3612", Region: "440300", Capital: "291114.29", Revenue: "77710000", Staff: "703504", Listing: "002594", Tags: "fortune_global_500,listed,industry_top_30"},
	{CreditCode: "91350900587527783P", Name: "宁德时代新能源科技股份有限公司", Industry: "3841", Region: "350900", Capital: "439880.69", Revenue: "36201300", Staff: "131099", Listing: "300750", Tags: "fortune_global_500,listed,industry_top_30"},
	{Name: "广州小鹏汽车科技有限公司", Industry: "3612", Region: "440100", Capital: "100000", Tags: "unicorn,high_tech"},
	{Name: "风华高新科技股份有限公司", Industry: "3981", Region: "441202", Capital: "115703.77", Listing: "000636", Tags: "listed,high_tech"},
	{Name: "广东鸿图科技股份有限公司", Industry: "3670", Region: "441204", Capital: "66238", Listing: "002101", Tags: "listed"},
	{Name: "欣旺达电子股份有限公司", Industry: "3841", Region: "440300", Capital: "186212", Listing: "300207", Tags: "listed,private_top_500"},
	{Name: "格林美股份有限公司", Industry: "4220", Region: "440300", Capital: "513255", Listing: "002340", Tags: "listed"},
	{Name: "贝特瑞新材料集团股份有限公司", Industry: "3985", Region: "440300", Capital: "112100", Tags: "specialised_innovative,high_tech", ExpandedOn: "2025-09-01"},
	{Name: "深圳市星源材质科技股份有限公司", Industry: "3985", Region: "440300", Capital: "134300", Listing: "300568", Tags: "listed,industry_top_30"},
	{Name: "特来电新能源股份有限公司", Industry: "3811", Region: "370200", Capital: "72000", Tags: "high_tech,unicorn"},
}

// gapTrades are industries the demo city has no enterprise of (their
// enterprises are all headquartered elsewhere), so the chain map shows gaps
// with targets to fill them.
var gapTrades = map[string]bool{"3985": true, "3811": true}

func loadEnterprises(ctx context.Context, o *org.Service, es *enterprise.Service, ids map[string]int64, today civil.Date) error {
	r := rand.New(rand.NewPCG(2026, 4))
	rows := append([]synth.Row{}, named...)
	for i := range rows {
		if rows[i].CreditCode == "" {
			rows[i].CreditCode = synthCode(r)
		}
	}
	for _, row := range synth.Rows(2026, Enterprises) {
		if gapTrades[row.Industry] && (row.Region[:4] == "4412") {
			row.Region = "440300"
		}
		rows = append(rows, row)
	}
	var b bytes.Buffer
	if err := synth.WriteCSV(&b, rows); err != nil {
		return err
	}
	users := userIDs(ctx, o)
	var staff int64
	if err := o.DB.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE username = 'zsb_staff'`).Scan(&staff); err != nil {
		return err
	}
	actor := func(unit string) *org.Actor {
		if unit == "" {
			return &org.Actor{Username: "demo", DisplayName: "演示数据", UnitID: ids[""], UserID: staff, Scope: org.ScopeAll, Perms: map[string]bool{}}
		}
		u := users[unit]
		if u == 0 {
			u = staff
		}
		return &org.Actor{Username: "demo", DisplayName: "演示数据", UnitID: ids[unit], UserID: u, Scope: org.ScopeAll, Perms: map[string]bool{}}
	}
	res, err := es.Import(ctx, actor(""), &b, "演示企业库.csv", false, nil)
	if err != nil {
		return fmt.Errorf("demo enterprises: %w", err)
	}
	if res.Failed > 0 {
		return fmt.Errorf("demo enterprises: %d rows refused, first: %+v", res.Failed, res.Errors[0])
	}
	// Intentions heard and visits paid, by the working groups and localities,
	// to the larger targets.
	courting := []string{"WG-NEV", "WG-EQP", "WG-ECO", "WG-EIT", "WG-BJ", "WG-YRD", "AWAY-SZ", "441202", "441204", "441284"}
	yes := true
	top, _, err := es.Search(ctx, enterprise.Query{Target: &yes, Sort: "capital", Limit: 200})
	if err != nil {
		return err
	}
	places := []string{"华南", "粤港澳大湾区", "肇庆", "广东", "西南"}
	what := []string{"新建生产基地", "扩产动力电池产线", "设立区域总部", "建设研发中心", "布局储能项目", "投资零部件配套园"}
	for i, e := range top {
		if i%3 == 0 {
			in := enterprise.IntentionInput{Content: what[r.IntN(len(what))], Place: places[r.IntN(len(places))],
				Amount: money.Cents((5000 + r.IntN(300000)) * 100), HeardOn: today.AddDays(-r.IntN(700)), Source: []string{"行业协会", "乡贤推荐", "媒体报道", "中介机构"}[r.IntN(4)]}
			if _, err := es.AddIntention(ctx, actor(""), e.ID, in); err != nil {
				return fmt.Errorf("demo intention: %w", err)
			}
		}
		if i%2 == 0 {
			unit := courting[r.IntN(len(courting))]
			in := enterprise.VisitInput{VisitedOn: today.AddDays(-r.IntN(500)), Visitors: "招商专班 " + []string{"张伟", "李娜", "王强", "陈静"}[r.IntN(4)],
				Outcome:  []string{"介绍肇庆营商环境，对方有初步兴趣", "对方关注用地和能耗指标", "约定下月回访", "已提交项目初步方案"}[r.IntN(4)],
				NextStep: "跟进项目方案"}
			in.NextOn = in.VisitedOn.AddDays(30)
			if _, err := es.AddVisit(ctx, actor(unit), e.ID, in); err != nil {
				return fmt.Errorf("demo visit: %w", err)
			}
		}
	}
	return nil
}

func synthCode(r *rand.Rand) string {
	const alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("91440000")
	for i := 0; i < 9; i++ {
		b = append(b, alpha[r.IntN(len(alpha))])
	}
	return string(b) + string(uscc.CheckChar(string(b)))
}
