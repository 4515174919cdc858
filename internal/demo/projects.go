package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// investor is a demo investor with the products and industry it brings.
type investor struct {
	name, short, uscc, industry, region string
	products                            []string
	foreign                             bool
}

// investors: well-known firms of the city's chains (names public; credit
// codes only where published, else left blank as on a real ledger).
var investors = []investor{
	{"比亚迪股份有限公司", "比亚迪", "91440300192317458F", "3612", "shenzhen", []string{"新能源汽车零部件", "动力电池", "汽车电子"}, false},
	{"宁德时代新能源科技股份有限公司", "宁德时代", "91350900587527783P", "3841", "other", []string{"储能电池", "锂电池材料"}, false},
	{"广州小鹏汽车科技有限公司", "小鹏汽车", "", "3612", "prd_core", []string{"智能汽车零部件", "电驱系统"}, false},
	{"广汽埃安新能源汽车股份有限公司", "广汽埃安", "", "3612", "prd_core", []string{"新能源整车配套", "电池包"}, false},
	{"美的集团股份有限公司", "美的", "", "3851", "prd_core", []string{"智能家电", "工业机器人"}, false},
	{"中国中车股份有限公司", "中国中车", "", "3711", "beijing", []string{"轨道交通装备", "新能源装备"}, false},
	{"三一重工股份有限公司", "三一重工", "", "3511", "other", []string{"工程机械", "风电装备"}, false},
	{"立讯精密工业股份有限公司", "立讯精密", "", "3982", "shenzhen", []string{"精密连接器", "消费电子组件"}, false},
	{"风华高新科技股份有限公司", "风华高科", "", "3981", "local", []string{"片式电子元件", "电子材料"}, false},
	{"中国建材股份有限公司", "中国建材", "", "3024", "beijing", []string{"绿色建材", "新型墙材"}, false},
	{"金发科技股份有限公司", "金发科技", "", "2651", "prd_core", []string{"改性塑料", "生物降解材料"}, false},
	{"敏实集团有限公司", "敏实集团", "", "3670", "yrd", []string{"汽车铝件", "电池盒"}, true},
	{"福耀玻璃工业集团股份有限公司", "福耀玻璃", "", "3051", "other", []string{"汽车玻璃", "铝饰条"}, false},
	{"格林美股份有限公司", "格林美", "", "4220", "shenzhen", []string{"动力电池回收", "再生资源"}, false},
	{"国轩高科股份有限公司", "国轩高科", "", "3841", "yrd", []string{"动力电池", "储能系统"}, false},
	{"欣旺达电子股份有限公司", "欣旺达", "", "3841", "shenzhen", []string{"锂电池模组", "储能电站"}, false},
	{"鸿腾精密科技股份有限公司", "鸿腾精密", "", "3982", "hmt", []string{"光通信模块", "连接器"}, true},
	{"丹佛斯（中国）投资有限公司", "丹佛斯", "", "3444", "europe_america", []string{"液压传动", "变频器"}, true},
	{"松下电器（中国）有限公司", "松下", "", "3851", "japan_korea", []string{"家电压缩机", "电子部件"}, true},
	{"正大集团", "正大", "", "1329", "asean", []string{"现代农业", "食品加工"}, true},
	{"广东兴发铝业有限公司", "兴发铝业", "", "3252", "prd_core", []string{"工业铝型材", "新能源汽车铝部件"}, false},
	{"海天味业股份有限公司", "海天", "", "1462", "prd_core", []string{"调味品生产基地"}, false},
	{"北京亿华通科技股份有限公司", "亿华通", "", "3849", "beijing", []string{"氢燃料电池", "氢能装备"}, false},
	{"上海电气集团股份有限公司", "上海电气", "", "3415", "yrd", []string{"节能环保装备", "储能装备"}, false},
	{"肇庆市乡贤企业联合投资有限公司", "乡贤联投", "", "3360", "local", []string{"五金制品", "金属加工"}, false},
}

var channels = []string{"team", "hometown", "intermediary", "business_referral", "online", "chamber", "institute", "office_away", "fair", "other"}

// Sizes in 万元: many small, some large, a few over 100亿 (R1's bands).
func amount(r *rand.Rand) money.Cents {
	switch x := r.IntN(100); {
	case x < 2:
		return money.Cents((1_000_000 + r.IntN(1_500_001)) * 100) // 100亿–250亿
	case x < 12:
		return money.Cents((100_000 + r.IntN(400_000)) * 100) // 10亿–50亿
	case x < 45:
		return money.Cents((20_000 + r.IntN(80_000)) * 100)
	default:
		return money.Cents((1_000 + r.IntN(19_000)) * 100)
	}
}

// loadProjects registers the demo projects through the project service, so
// that they obey every rule and are audited like real ones.
func loadProjects(ctx context.Context, o *org.Service, ps *project.Service, es *evaluation.Service, ids map[string]int64, today civil.Date) error {
	r := rand.New(rand.NewPCG(2026, 441200))
	localities := []string{"441202", "441203", "441204", "441223", "441224", "441225", "441226", "441284", "ZONE-GX", "ZONE-XQ"}
	introducers := []string{"WG-NEV", "WG-EQP", "WG-ECO", "WG-EIT", "WG-BJ", "WG-YRD", "WG-HMT", "DEPT-COM", "DEPT-MIIT", "AWAY-BJ", "AWAY-SZ", "AWAY-HK"}
	users := userIDs(ctx, o)
	for i := 0; i < 240; i++ {
		inv := investors[r.IntN(len(investors))]
		loc := localities[r.IntN(len(localities))]
		lead := civil.MustParse("2022-01-03").AddDays(r.IntN(today.DaysSince(civil.MustParse("2022-01-03")) - 20))
		owner, shares := loc, []project.IntroducerInput{{UnitID: ids[loc], Share: 100_00}}
		if r.IntN(100) < 55 { // a working group, department or office brought it in
			intro := introducers[r.IntN(len(introducers))]
			owner = intro
			shares = []project.IntroducerInput{{UnitID: ids[intro], Share: 100_00}}
			if r.IntN(100) < 35 { // shared credit with the locality
				shares = []project.IntroducerInput{{UnitID: ids[intro], Share: 50_00}, {UnitID: ids[loc], Share: 50_00}}
			}
		}
		locID := ids[loc]
		in := project.Input{
			Name: fmt.Sprintf("%s肇庆%s项目", inv.short, inv.products[r.IntN(len(inv.products))]), InvestorName: inv.name,
			IndustryCode: inv.industry, ChainRole: []string{"build", "fill", "strengthen", ""}[r.IntN(4)],
			ContractInvestment: amount(r), IsForeign: inv.foreign, SourceRegion: inv.region, Channel: channels[r.IntN(len(channels))],
			LocalityUnitID: &locID, Introducers: shares, LeadOn: lead, ConfirmDistinct: true, DistinctReason: "演示数据：同一投资方的不同项目", ExpectedJobs: 50 + r.IntN(1500),
			ExpectedSignOn: lead.AddDays(60 + r.IntN(300)),
		}
		in.FixedAssetInvestment = in.ContractInvestment * money.Cents(60+r.IntN(35)) / 100
		in.LandAreaMu = money.Cents((20 + r.IntN(400)) * 100)
		in.ExpectedOutput = in.ContractInvestment * money.Cents(80+r.IntN(120)) / 100
		in.ExpectedTax = in.ExpectedOutput * money.Cents(3+r.IntN(5)) / 100
		if inv.foreign {
			in.ForeignCapital = in.ContractInvestment / 7
		}
		if in.ContractInvestment >= 100_000_00 {
			in.IsKey, in.Tags = true, []string{"key_project"}
		}
		if inv.industry == "3849" || inv.industry == "3981" {
			in.Tags = append(in.Tags, "high_tech")
		}
		a := &org.Actor{Username: "demo", DisplayName: "演示数据", UnitID: ids[owner], UserID: users[owner], Scope: org.ScopeAll, Perms: map[string]bool{}}
		p, err := ps.Create(ctx, a, in)
		if err != nil {
			return fmt.Errorf("demo project %d: %w", i, err)
		}
		if err := progress(ctx, ps, es, a, p, r, today); err != nil {
			return fmt.Errorf("demo project %s: %w", p.Name, err)
		}
	}
	return loadParcels(ctx, ps, ids, r)
}

func userIDs(ctx context.Context, o *org.Service) map[string]int64 {
	out := map[string]int64{}
	rows, err := o.DB.Reader().QueryContext(ctx, `SELECT un.code, MIN(u.id) FROM users u JOIN units un ON un.id = u.unit_id GROUP BY un.code`)
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var id int64
		if rows.Scan(&code, &id) == nil {
			out[code] = id
		}
	}
	return out
}

var pdf = []byte("%PDF-1.4\n% attract demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// progress moves a demo project along its stages with plausible gaps, so
// that older projects are further on and some stall where real ones do.
func progress(ctx context.Context, ps *project.Service, es *evaluation.Service, a *org.Actor, p project.Project, r *rand.Rand, today civil.Date) error {
	day := p.LeadOn
	steps := []struct {
		action, kind string
		minGap, span int
		chance       int
	}{
		{"negotiating", "", 7, 60, 85}, {"signed", "agreement", 20, 150, 75}, {"registered", "land_contract", 30, 200, 70},
		{"construction", "", 30, 240, 70}, {"production", "production_proof", 180, 400, 65},
	}
	for _, st := range steps {
		next := day.AddDays(st.minGap + r.IntN(st.span))
		if next.After(today) || r.IntN(100) >= st.chance {
			break
		}
		t := project.Transition{Action: st.action, On: next, Version: p.Version}
		if st.kind != "" {
			f, err := ps.Attach(ctx, a, p.ID, project.Upload{Kind: st.kind, Filename: st.kind + ".pdf", Data: pdf})
			if err != nil {
				return err
			}
			t.AttachmentID = &f.ID
		}
		if st.action == "signed" {
			if err := screen(ctx, es, a, p, day.AddDays(1)); err != nil {
				return err
			}
			if p, err := ps.Get(ctx, a, p.ID); err == nil {
				t.Version = p.Version
			}
		}
		if st.action == "construction" {
			t.Evidence = fmt.Sprintf("4412%02d%s01", r.IntN(90)+10, next.String()[:4])
		}
		var err error
		if p, err = ps.Move(ctx, a, p.ID, t); err != nil {
			return err
		}
		day = next
	}
	return decorate(ctx, ps, a, p, r, today, day)
}

// decorate adds tracking records, a request, a hold or a termination.
func decorate(ctx context.Context, ps *project.Service, a *org.Actor, p project.Project, r *rand.Rand, today, last civil.Date) error {
	kinds := []string{"visit", "call", "meeting"}
	notes := []string{"走访企业，了解项目用地和用电需求", "电话跟进协议条款修改意见", "召开项目推进协调会，明确时间节点", "陪同企业考察园区地块", "协调环评、能评办理进度"}
	for k := 0; k < r.IntN(4); k++ {
		on := last.AddDays(r.IntN(max(1, today.DaysSince(last))))
		if _, err := ps.Track(ctx, a, p.ID, project.TrackingInput{Kind: kinds[r.IntN(3)], On: on, Summary: notes[r.IntN(len(notes))],
			NextStep: "按约定时间回访", NextOn: on.AddDays(30)}); err != nil {
			return err
		}
	}
	if r.IntN(100) < 15 {
		titles := []string{"协调 10kV 供电线路接入", "加快土地出让手续办理", "协调员工子女入学", "申请技术改造专项资金", "协调园区道路及排水配套"}
		// A request is logged with a deadline still ahead (no deadline in the past is accepted).
		deadline := last.AddDays(30 + r.IntN(120))
		if deadline.Before(today) {
			deadline = today
		}
		if _, err := ps.AddRequest(ctx, a, p.ID, project.RequestInput{Title: titles[r.IntN(len(titles))], Deadline: deadline}); err != nil {
			return err
		}
	}
	switch x := r.IntN(100); {
	case x < 4:
		_, err := ps.Move(ctx, a, p.ID, project.Transition{Action: "terminate", On: today, Reason: "企业投资计划调整，项目终止", Version: p.Version})
		return err
	case x < 9:
		_, err := ps.Move(ctx, a, p.ID, project.Transition{Action: "hold", On: today, Reason: "等待企业董事会决策", Version: p.Version})
		return err
	}
	return nil
}

// loadParcels gives each zone and park some parcels; the signed projects
// landing there take some of them, as land is supplied by progress.
func loadParcels(ctx context.Context, ps *project.Service, ids map[string]int64, r *rand.Rand) error {
	a := &org.Actor{Username: "demo", DisplayName: "演示数据", Scope: org.ScopeAll, Perms: map[string]bool{}}
	uses := []string{"industrial", "industrial", "industrial", "warehouse", "research", "commercial"}
	for _, park := range []string{"ZONE-GX", "ZONE-XQ", "ZONE-HJ", "PARK-GY", "PARK-SH", "441284", "441202"} {
		for k := 1; k <= 6; k++ {
			use := uses[r.IntN(len(uses))]
			if park == "ZONE-XQ" && k == 6 {
				use = "residential" // on the map, but never for a promotion agreement
			}
			if _, err := ps.CreateParcel(ctx, a, project.ParcelInput{ParkUnitID: ids[park], Code: fmt.Sprintf("%s-%02d", park, k),
				Location: fmt.Sprintf("%d号地块", k), AreaMu: money.Cents((30 + r.IntN(300)) * 100), LandUse: use}); err != nil {
				return err
			}
		}
	}
	return supplyParcels(ctx, ps, a, ids)
}

// supplyParcels supplies one available industrial parcel of each landing
// place to its earliest signed projects.
func supplyParcels(ctx context.Context, ps *project.Service, a *org.Actor, ids map[string]int64) error {
	for _, park := range []string{"ZONE-GX", "441284", "441202"} {
		signed, _, err := ps.List(ctx, a, project.Filter{LocalityUnitID: ids[park], Stage: "registered", Sort: "signed_on", Limit: 3})
		if err != nil {
			return err
		}
		free, err := ps.Parcels(ctx, a, ids[park], "available", 0)
		if err != nil {
			return err
		}
		for i, p := range signed {
			if i >= len(free) || free[i].LandUse == "residential" || p.Status != "active" {
				continue
			}
			if _, err := ps.ActOnParcel(ctx, a, free[i].ID, project.ParcelAction{Action: "supply", ProjectID: p.ID, SuppliedOn: p.RegisteredOn, Version: free[i].Version}); err != nil {
				return err
			}
		}
	}
	return nil
}
