package demo

import (
	"context"
	"fmt"

	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// campaignSpec is a demo campaign; month-day dates recur each year from
// 2022 unless once is set.
type campaignSpec struct {
	name, kind, start, end, place, region, organiser string
	units                                            []string
	participants, targets, summary                   string
	budget, spend                                    int64 // 万元; spend < 0: not reported
}

var yearlyCampaigns = []campaignSpec{
	{"{y}年深圳专题招商推介会", "themed_trip", "03-26", "03-27", "深圳市福田区", "shenzhen", "AWAY-SZ", []string{"WG-NEV", "WG-EIT", "441284", "ZONE-GX"},
		"市领导、市招商办、新能源汽车组、电子信息组、四会市、肇庆高新区招商人员共 32 人", "比亚迪、欣旺达、立讯精密、格林美等 18 家企业",
		"推介肇庆新能源汽车与电子信息产业配套，现场洽谈 18 家企业", 60, 52},
	{"{y}珠江西岸先进装备制造业投资贸易洽谈会", "fair", "06-16", "06-18", "佛山市顺德区潭洲国际会展中心", "prd_core", "WG-EQP", []string{"441204", "441203", "ZONE-XQ", "DEPT-MIIT"},
		"先进装备制造组、高要区、鼎湖区、肇庆新区、市工信局 45 人", "三一重工、美的、中国中车、上海电气等 26 家企业",
		"设肇庆展区，举办装备制造专场对接会", 180, 168},
	{"{y}年“肇庆金秋”招商月", "fair", "09-15", "10-15", "肇庆国际会展中心", "local", "", []string{"441202", "441203", "441204", "441223", "441224", "441225", "441226", "441284"},
		"市四套班子领导，各县（市、区）、各工作组主要负责人", "宁德时代、金发科技、福耀玻璃、兴发铝业等 40 余家企业",
		"招商月期间集中举办推介会、项目签约和园区考察", 300, -1},
}

var onceCampaigns = []campaignSpec{
	{"丹麦、荷兰、以色列主题产业招商活动", "themed_trip", "2024-05-12", "2024-05-22", "哥本哈根、鹿特丹、特拉维夫", "europe_america", "WG-HMT", []string{"DEPT-COM", "ZONE-GX"},
		"市领导带队，市商务局、港澳台海外组、肇庆高新区 9 人", "丹佛斯、维斯塔斯、飞利浦、以色列创新署推荐企业 12 家",
		"考察节能环保与精密装备企业，拜会当地商协会", 120, 96},
	{"北京专题招商推介会", "themed_trip", "2023-07-10", "2023-07-11", "北京市朝阳区", "beijing", "AWAY-BJ", []string{"WG-BJ", "WG-ECO"},
		"驻京联络处、京津冀组、节能环保组 14 人", "中国中车、中国建材、亿华通等 11 家企业", "对接央企与北京高新技术企业", 45, 38},
	{"重点项目集中签约活动（第一季度）", "signing_ceremony", "2025-03-28", "2025-03-28", "肇庆市行政服务中心", "local", "", []string{"441202", "441204", "441284", "ZONE-GX", "ZONE-XQ"},
		"市领导，各签约项目所在地主要负责人", "", "集中签约重点项目，合同投资额按项目统计", 20, 18},
	{"粤港澳大湾区网上招商云推介", "online", "2025-05-20", "2025-05-20", "线上", "hmt", "WG-HMT", []string{"AWAY-HK"},
		"港澳台海外组、驻港联络处 6 人", "鸿腾精密等港澳企业 30 余家在线参与", "线上直播推介，累计观看 1.2 万人次", 8, 6},
}

// LoadCampaigns adds the demo campaigns and links demo projects that came by
// fair, team or office away to the campaign held shortly before their lead.
func LoadCampaigns(ctx context.Context, o *org.Service, cs *campaign.Service, ps *project.Service) error {
	if exists(ctx, o, `SELECT COUNT(*) FROM campaigns WHERE id > ?`, 0) {
		return nil // a repeated load
	}
	ids := map[string]int64{}
	all, err := o.Units(ctx, true)
	if err != nil {
		return err
	}
	for _, u := range all {
		ids[u.Code] = u.ID
		if u.ParentID == nil {
			ids[""] = u.ID
		}
	}
	today := civil.Of(ps.Now())
	var made []campaign.Campaign
	add := func(s campaignSpec, start, end string) error {
		in := campaign.Input{Name: s.name, Kind: s.kind, StartsOn: civil.MustParse(start), EndsOn: civil.MustParse(end), Place: s.place,
			SourceRegion: s.region, OrganiserUnitID: ids[s.organiser], Participants: s.participants, TargetEnterprises: s.targets,
			Summary: s.summary, Budget: money.Cents(s.budget * 100)}
		if in.StartsOn.After(today) {
			return nil
		}
		if s.spend >= 0 {
			sp := money.Cents(s.spend * 100)
			in.Spend = &sp
		}
		for _, u := range s.units {
			in.UnitIDs = append(in.UnitIDs, ids[u])
		}
		c, err := cs.Create(ctx, demoActor, in)
		if err != nil {
			return fmt.Errorf("demo campaign %s: %w", s.name, err)
		}
		made = append(made, c)
		return nil
	}
	for y := 2022; y <= today.Year(); y++ {
		for _, s := range yearlyCampaigns {
			s.name = replaceYear(s.name, y)
			if err := add(s, fmt.Sprintf("%d-%s", y, s.start), fmt.Sprintf("%d-%s", y, s.end)); err != nil {
				return err
			}
		}
	}
	for _, s := range onceCampaigns {
		if err := add(s, s.start, s.end); err != nil {
			return err
		}
	}
	return linkDemoProjects(ctx, o, ps, made)
}

func replaceYear(s string, y int) string {
	out := ""
	for i := 0; i < len(s); i++ {
		if i+3 <= len(s) && s[i:i+3] == "{y}" {
			out += fmt.Sprint(y)
			i += 2
			continue
		}
		out += s[i : i+1]
	}
	return out
}

// linkDemoProjects links a project to the latest campaign that started at
// most 120 days before its lead (fairs, teams, offices away and online
// leads), and signed projects to the signing ceremony they were signed at.
func linkDemoProjects(ctx context.Context, o *org.Service, ps *project.Service, cs []campaign.Campaign) error {
	rows, err := o.DB.Reader().QueryContext(ctx, `SELECT p.id, p.lead_on, p.signed_on, p.channel, p.version FROM projects p
		WHERE `+project.NotMergedSQL+` ORDER BY p.id`)
	if err != nil {
		return err
	}
	type row struct {
		id           int64
		lead, signed civil.Date
		channel      string
		version      int
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.lead, &r.signed, &r.channel, &r.version); err != nil {
			rows.Close()
			return err
		}
		list = append(list, r)
	}
	rows.Close()
	for _, r := range list {
		var best *campaign.Campaign
		for i := range cs {
			c := &cs[i]
			if c.Kind == "signing_ceremony" {
				if !r.signed.IsZero() && r.signed.DaysSince(c.StartsOn) <= 0 && c.StartsOn.DaysSince(r.signed) <= 45 {
					best = c
					break
				}
				continue
			}
			if meets := map[string]bool{"fair": true, "team": true, "office_away": true, "online": true}[r.channel]; meets && !c.StartsOn.After(r.lead) && r.lead.DaysSince(c.StartsOn) <= 120 && (best == nil || c.StartsOn.After(best.StartsOn)) {
				best = c
			}
		}
		if best == nil {
			continue
		}
		if _, err := ps.LinkCampaign(ctx, demoActor, r.id, &best.ID, r.version); err != nil {
			return fmt.Errorf("demo campaign link: %w", err)
		}
	}
	return nil
}
