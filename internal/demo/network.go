package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/project"
)

// LoadNetwork adds the demo notices and feedback reports, advisors,
// partners (linked as referrers of the demo projects that came through them),
// intelligence, staff and training.
func LoadNetwork(ctx context.Context, o *org.Service, ns *notice.Service, nw *network.Service, ps *project.Service) error {
	if exists(ctx, o, `SELECT COUNT(*) FROM advisors WHERE id > ?`, 0) {
		return nil // a repeated load
	}
	ids := map[string]int64{}
	all, err := o.Units(ctx, true)
	if err != nil {
		return err
	}
	for _, u := range all {
		ids[u.Code] = u.ID
	}
	today := civil.Of(ps.Now())
	steps := []func() error{
		func() error { return demoAdvisors(ctx, o, nw, ps) },
		func() error { return demoIntelligence(ctx, nw, today) },
		func() error { return demoStaff(ctx, nw, ids, today) },
		func() error { return demoNotices(ctx, o, ns, ids, today) },
		func() error { return demoFeedback(ctx, ns, ids, today) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

var demoAdvisorList = []network.AdvisorInput{
	{Name: "梁国华", Kind: "enterprise_head", Organisation: "深圳市肇庆商会", Title: "会长", Region: "shenzhen", LetterNo: "肇招顾聘〔2023〕1号"},
	{Name: "陈志明", Kind: "enterprise_head", Organisation: "香港肇庆同乡总会", Title: "荣誉会长", Region: "hmt", LetterNo: "肇招顾聘〔2023〕2号"},
	{Name: "李文涛", Kind: "expert", Organisation: "华南理工大学机械与汽车工程学院", Title: "教授", Region: "prd_core", LetterNo: "肇招顾聘〔2023〕3号"},
	{Name: "王海峰", Kind: "expert", Organisation: "中国汽车工程研究院", Title: "首席专家", Region: "beijing", LetterNo: "肇招顾聘〔2024〕1号"},
	{Name: "周立群", Kind: "association_head", Organisation: "广东省新能源汽车产业协会", Title: "秘书长", Region: "prd_core", LetterNo: "肇招顾聘〔2024〕2号"},
	{Name: "黄少军", Kind: "enterprise_head", Organisation: "上海肇庆商会", Title: "常务副会长", Region: "yrd", LetterNo: "肇招顾聘〔2024〕3号"},
}

var demoPartnerList = []network.PartnerInput{
	{Name: "深圳市肇庆商会", Kind: "chamber", Region: "shenzhen", AgreementNo: "ZQZS-HZ-2023-01"},
	{Name: "广东省电子信息行业协会", Kind: "chamber", Region: "prd_core", AgreementNo: "ZQZS-HZ-2023-02"},
	{Name: "仲量联行（中国）产业咨询部", Kind: "consultancy", Region: "shenzhen", AgreementNo: "ZQZS-HZ-2024-01"},
	{Name: "中国科学院广州能源研究所", Kind: "institute", Region: "prd_core", AgreementNo: "ZQZS-HZ-2023-03"},
	{Name: "广东工业大学肇庆研究院", Kind: "institute", Region: "local", AgreementNo: "ZQZS-HZ-2022-01"},
	{Name: "香港贸易发展局华南办事处", Kind: "intermediary", Region: "hmt", AgreementNo: "ZQZS-HZ-2024-02"},
}

// demoAdvisors appoints the advisors, registers the partners and names them
// as referrers of the demo projects of matching channels.
func demoAdvisors(ctx context.Context, o *org.Service, nw *network.Service, ps *project.Service) error {
	var advisors, chambers, institutes, others []int64
	for i, in := range demoAdvisorList {
		in.AppointedOn = civil.MustParse(fmt.Sprintf("%d-03-01", 2023+i/3))
		in.TermEndsOn = in.AppointedOn.AddMonths(36).AddDays(-1)
		in.Contact = fmt.Sprintf("1380758%04d", 1000+i*137)
		a, err := nw.CreateAdvisor(ctx, demoActor, in)
		if err != nil {
			return fmt.Errorf("demo advisor: %w", err)
		}
		advisors = append(advisors, a.ID)
	}
	for i, in := range demoPartnerList {
		in.AgreementSignedOn = civil.MustParse(fmt.Sprintf("%d-05-%02d", 2022+i%3, 10+i))
		in.AgreementEndsOn = in.AgreementSignedOn.AddMonths(36)
		p, err := nw.CreatePartner(ctx, demoActor, in)
		if err != nil {
			return fmt.Errorf("demo partner: %w", err)
		}
		switch in.Kind {
		case "chamber":
			chambers = append(chambers, p.ID)
		case "institute":
			institutes = append(institutes, p.ID)
		default:
			others = append(others, p.ID)
		}
	}
	rows, err := o.DB.Reader().QueryContext(ctx, `SELECT p.id, p.channel, p.version FROM projects p
		WHERE p.channel IN ('hometown', 'chamber', 'institute', 'intermediary', 'business_referral') AND `+project.NotMergedSQL+` ORDER BY p.id`)
	if err != nil {
		return err
	}
	type row struct {
		id      int64
		channel string
		version int
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.channel, &r.version); err != nil {
			rows.Close()
			return err
		}
		list = append(list, r)
	}
	rows.Close()
	for i, r := range list {
		var adv, par *int64
		pick := func(ids []int64) *int64 { return &ids[i%len(ids)] }
		switch r.channel {
		case "hometown", "business_referral":
			adv = pick(advisors)
		case "chamber":
			par = pick(chambers)
		case "institute":
			par = pick(institutes)
		case "intermediary":
			par = pick(others)
		}
		if i%3 == 2 { // not every such project names who referred it
			continue
		}
		if _, err := ps.LinkReferrer(ctx, demoActor, r.id, adv, par, r.version); err != nil {
			return fmt.Errorf("demo referrer: %w", err)
		}
	}
	return nil
}

var demoIntel = []network.ItemInput{
	{Title: "宁德时代拟在华南布局新一代储能电池生产基地", Source: "证券时报", Region: "other", Enterprises: "宁德时代", ChainLinks: "储能电池、电池材料",
		Summary: "公司公告称将在华南地区新建储能电池基地，规划产能 60GWh，正在比选广东、广西多个园区。"},
	{Title: "比亚迪加快汽车零部件供应链区域化配套", Source: "南方日报", Region: "shenzhen", Enterprises: "比亚迪", ChainLinks: "汽车零部件、汽车电子",
		Summary: "比亚迪提出在整车基地周边 200 公里内培育二级供应商，鼓励零部件企业就近设厂。"},
	{Title: "丹佛斯计划扩大在华液压传动产品本地化生产", Source: "驻港联络处", Region: "europe_america", Enterprises: "丹佛斯", ChainLinks: "液压传动",
		Summary: "丹佛斯亚太区负责人在推介会上表示，拟在大湾区新增一处液压件生产基地，关注用地与人才配套。"},
	{Title: "立讯精密拟新建精密连接器产线", Source: "驻深联络处", Region: "shenzhen", Enterprises: "立讯精密", ChainLinks: "精密连接器、消费电子",
		Summary: "企业正在粤西选址，需工业用地约 300 亩，要求三年内投产。"},
	{Title: "松下电器调整在华家电压缩机产能布局", Source: "日经中文网", Region: "japan_korea", Enterprises: "松下", ChainLinks: "家电压缩机",
		Summary: "松下计划将部分压缩机产能由华东转移至华南，已与多地接触。"},
	{Title: "正大集团拟在粤西投资现代农业与食品加工项目", Source: "港澳台海外组", Region: "asean", Enterprises: "正大", ChainLinks: "食品加工",
		Summary: "正大集团考察团到访肇庆，对德庆、广宁的农业资源表达合作意向。"},
	{Title: "亿华通氢燃料电池系统产能扩张", Source: "驻京联络处", Region: "beijing", Enterprises: "亿华通", ChainLinks: "氢燃料电池",
		Summary: "企业计划新建燃料电池系统产线，关注地方氢能示范应用场景。"},
	{Title: "长三角节能环保装备企业外溢转移意向调查", Source: "长三角组", Region: "yrd", Enterprises: "上海电气", ChainLinks: "节能环保装备",
		Summary: "走访 12 家企业，其中 4 家有在粤港澳大湾区设立生产基地的意向。"},
}

func demoIntelligence(ctx context.Context, nw *network.Service, today civil.Date) error {
	for i, in := range demoIntel {
		in.PublishedOn = today.AddDays(-9*i - 3)
		if _, err := nw.CreateItem(ctx, demoActor, in); err != nil {
			return fmt.Errorf("demo intelligence: %w", err)
		}
	}
	return nil
}

var demoStaffList = []struct{ unit, name, position, kind, provider string }{
	{"", "黄志强", "项目科科长", "staff", ""}, {"", "林晓燕", "综合科副科长", "staff", ""},
	{"WG-NEV", "梁文博", "工作组联络员", "staff", ""}, {"WG-EQP", "何家俊", "工作组联络员", "staff", ""},
	{"441202", "周慧琳", "区招商局副局长", "staff", ""}, {"441202", "蔡嘉豪", "招商专员", "outsourced", "广东粤商招商服务有限公司"},
	{"441204", "邓国华", "区投资促进局科长", "staff", ""}, {"441204", "刘思敏", "招商专员", "outsourced", "广东粤商招商服务有限公司"},
	{"441284", "冯子健", "市招商局科员", "staff", ""}, {"ZONE-GX", "谭美玲", "招商服务中心主任", "staff", ""},
	{"ZONE-GX", "吴俊杰", "驻深招商小分队队员", "outsourced", "深圳前海产业咨询有限公司"}, {"AWAY-SZ", "许文静", "联络处副主任", "staff", ""},
	{"AWAY-BJ", "张博", "联络处科员", "staff", ""}, {"AWAY-HK", "陈嘉欣", "联络处主任", "staff", ""},
}

func demoStaff(ctx context.Context, nw *network.Service, ids map[string]int64, today civil.Date) error {
	var all []int64
	root := ids["441200"]
	for _, s := range demoStaffList {
		unit := ids[s.unit]
		if s.unit == "" {
			unit = root
		}
		m, err := nw.CreateStaff(ctx, demoActor, network.StaffInput{UnitID: unit, Name: s.name, Position: s.position, Kind: s.kind, Provider: s.provider})
		if err != nil {
			return fmt.Errorf("demo staff: %w", err)
		}
		all = append(all, m.ID)
	}
	sessions := []network.TrainingInput{
		{Title: "招商引资政策与项目谈判实务培训", Place: "肇庆市行政服务中心", Hours: 8, Summary: "讲授投资协议要点、供地政策和谈判技巧", StaffIDs: all},
		{Title: "产业链招商与目标企业研究专题培训", Place: "华南理工大学", Hours: 12, Summary: "新能源汽车、先进装备制造产业链图谱解读", StaffIDs: all[2:10]},
		{Title: "驻外招商人员业务培训", Place: "深圳市福田区", Hours: 6, Summary: "驻外机构信息收集与线索报送规范", StaffIDs: all[10:]},
	}
	for i, in := range sessions {
		in.HeldOn = today.AddMonths(-3*i - 1)
		in.OrganiserUnitID = root
		if _, err := nw.CreateTraining(ctx, demoActor, in); err != nil {
			return fmt.Errorf("demo training: %w", err)
		}
	}
	return nil
}

// userActor loads a demo user as an actor (notices are sent and read by people).
func userActor(ctx context.Context, o *org.Service, username string) (*org.Actor, error) {
	var id int64
	if err := o.DB.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id); err != nil {
		return nil, fmt.Errorf("demo user %s: %w", username, err)
	}
	return o.LoadActor(ctx, id)
}

func demoNotices(ctx context.Context, o *org.Service, ns *notice.Service, ids map[string]int64, today civil.Date) error {
	sender, err := userActor(ctx, o, "zsb_staff")
	if err != nil {
		return err
	}
	localities := []int64{ids["441202"], ids["441203"], ids["441204"], ids["441223"], ids["441224"], ids["441225"], ids["441226"], ids["441284"]}
	groups := []int64{ids["WG-NEV"], ids["WG-EQP"], ids["WG-ECO"], ids["WG-EIT"], ids["WG-BJ"], ids["WG-YRD"], ids["WG-HMT"]}
	list := []notice.Input{
		{Title: "关于报送上月招商引资工作情况的通知", Body: "各县（市、区）、各工作组：\n请于每月 5 日前通过系统报送上月招商引资工作情况、遇到的问题及需协调事项。\n\n市招商办", UnitIDs: append(append([]int64{}, localities...), groups...)},
		{Title: "关于做好“肇庆金秋”招商月活动筹备工作的通知", Body: "请各地于 8 月底前梳理拟签约项目清单，明确合同投资额和签约主体，报市招商办汇总。", UnitIDs: localities},
		{Title: "关于开展重点项目“一条龙”跟踪服务督查的通知", Body: "市招商办将于下月对签约未落户、落户未动工项目开展督查，请各地提前自查并更新跟踪记录。", UnitIDs: localities},
		{Title: "关于组织参加珠江西岸先进装备制造业投资贸易洽谈会的通知", Body: "请先进装备制造产业招商工作组牵头，相关县（市、区）派员参展，6 月 10 日前报送参展人员名单。", UnitIDs: []int64{ids["WG-EQP"], ids["441204"], ids["441203"], ids["ZONE-XQ"]}},
	}
	readers := []string{"dz_staff", "gy_staff", "wg_nev", "wg_eqp", "sh_staff"}
	for i, in := range list {
		at := today.AddDays(-30*(len(list)-i) + 5)
		sns := *ns
		sns.Now = func() time.Time { return noon(at) }
		n, err := sns.Send(ctx, sender, in)
		if err != nil {
			return fmt.Errorf("demo notice: %w", err)
		}
		for j, u := range readers {
			if (i+j)%3 == 2 {
				continue // some have not read it
			}
			a, err := userActor(ctx, o, u)
			if err != nil {
				return err
			}
			rns := *ns
			rns.Now = func() time.Time { return noon(at.AddDays(j % 3)).Add(time.Duration(j) * 47 * time.Minute) }
			if _, err := rns.MarkRead(ctx, a, n.ID); err != nil && !errs.Is(err, errs.NotFound) {
				return fmt.Errorf("demo notice read: %w", err)
			}
		}
	}
	return nil
}

func noon(d civil.Date) time.Time {
	t, _ := time.Parse("2006-01-02 15:04", d.String()+" 02:00")
	return t
}

// demoFeedback: the last three months' reports of the localities and
// working groups, most on time, some late, a few missing.
func demoFeedback(ctx context.Context, ns *notice.Service, ids map[string]int64, today civil.Date) error {
	cfg, err := ns.Schedule(ctx)
	if err != nil {
		return err
	}
	units := []string{"441202", "441203", "441204", "441223", "441224", "441225", "441226", "441284", "ZONE-GX", "ZONE-XQ", "ZONE-YG", "ZONE-HJ",
		"PARK-GY", "PARK-SH", "WG-NEV", "WG-EQP", "WG-ECO", "WG-EIT", "WG-BJ", "WG-YRD", "WG-HMT", "AWAY-SZ", "AWAY-BJ", "AWAY-HK"}
	situations := []string{"新增线索 %d 条，在谈项目 %d 个，本月签约 1 个。", "走访目标企业 %d 家，接待客商 %d 批次。", "参加专题推介会 1 场，收集项目信息 %d 条，推进在谈项目 %d 个。"}
	problems := []string{"部分项目用地指标未落实", "环评审批周期较长", "重点项目配套电力增容进度偏慢", ""}
	help := []string{"请市自然资源局协调用地指标", "请市生态环境局提前介入环评指导", "请供电局加快专线建设", ""}
	for m := 3; m >= 1; m-- {
		first := civil.MustParse(fmt.Sprintf("%04d-%02d-01", today.Year(), today.Month())).AddMonths(-m)
		period := notice.Period{Year: first.Year(), Month: first.Month()}
		due := period.Due(cfg)
		for i, code := range units {
			if (i+m)%7 == 0 {
				continue // missing
			}
			on := due.AddDays(-(i % 4))
			if (i+m)%5 == 0 {
				on = due.AddDays(2 + i%3) // late
			}
			if on.After(today) {
				continue
			}
			a := &org.Actor{Username: "demo", Scope: org.ScopeAll, UnitID: ids[code], Perms: map[string]bool{}}
			sns := *ns
			sns.Now = func() time.Time { return noon(on) }
			if _, err := sns.Submit(ctx, a, notice.ReportInput{UnitID: ids[code], Period: period.String(),
				Situation: fmt.Sprintf(situations[i%3], 2+i%5, 1+i%4), Problems: problems[i%4], HelpNeeded: help[i%4]}); err != nil {
				return fmt.Errorf("demo feedback: %w", err)
			}
		}
	}
	return nil
}
