package dictionary

import "strconv"

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// Type names a dictionary.
type Type struct {
	Type   string `json:"type"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

// Types are the dictionaries attract ships; later capabilities add theirs.
var Types = []Type{
	{"channel", "招商方式/渠道", "Channel"},
	{"source_region", "来源地区", "Source region"},
	{"enterprise_tag", "企业标签", "Enterprise tag"},
	{"project_tag", "项目标签", "Project tag"},
	{"campaign_kind", "招商活动类型", "Campaign kind"},
	{"tracking_kind", "跟踪方式", "Tracking kind"},
	{"approval_kind", "审批事项", "Approval step"},
	{"land_use", "土地用途", "Land use"},
}

var typeNames = func() map[string]Type {
	m := map[string]Type{}
	for _, t := range Types {
		m[t.Type] = t
	}
	return m
}()

// defaults per type: code, Chinese label, English label. Channel codes are
// the glossary's; source regions are the ones the seed names (R6).
var defaults = map[string][][3]string{
	"channel": {
		{"team", "小分队招商", "Small team"},
		{"hometown", "乡贤反哺招商", "Hometown elite"},
		{"intermediary", "中介招商", "Intermediary"},
		{"business_referral", "以商引商", "Business referral"},
		{"online", "网络招商", "Online"},
		{"chamber", "商协会招商", "Chamber of commerce"},
		{"institute", "科研机构合作", "Research institute"},
		{"office_away", "驻外机构招商", "Office away"},
		{"fair", "展会洽谈会", "Fair / trade talks"},
		{"other", "其他", "Other"},
	},
	"source_region": {
		{"beijing", "北京", "Beijing"},
		{"shenzhen", "深圳", "Shenzhen"},
		{"prd_core", "珠三角核心区", "Pearl River Delta core"},
		{"yrd", "长三角", "Yangtze River Delta"},
		{"hmt", "港澳台", "Hong Kong, Macao and Taiwan"},
		{"japan_korea", "日韩", "Japan and Korea"},
		{"europe_america", "欧美", "Europe and America"},
		{"asean", "东盟", "ASEAN"},
		{"local", "本地", "Local"},
		{"other", "其他", "Other"},
	},
	"enterprise_tag": {
		{"fortune_global_500", "世界500强", "Fortune Global 500"},
		{"china_top_500", "中国企业500强", "China top 500"},
		{"private_top_500", "民营企业500强", "Private top 500"},
		{"central_soe", "央企", "Central SOE"},
		{"soe", "国有企业", "State-owned enterprise"},
		{"listed", "上市企业", "Listed company"},
		{"industry_top_30", "行业前30强", "Industry top 30"},
		{"specialised_innovative", "专精特新", "Specialised and innovative"},
		{"high_tech", "高新技术企业", "High-tech enterprise"},
		{"unicorn", "独角兽企业", "Unicorn"},
	},
	"project_tag": {
		{"high_tech", "高新技术", "High-tech"},
		{"incubator", "孵化器", "Incubator"},
		{"talent", "高端人才", "Talent"},
		{"key_project", "重点项目", "Key project"},
	},
	"campaign_kind": {
		{"fair", "经贸洽谈会", "Fair / trade talks"},
		{"themed_trip", "专题招商活动", "Themed trip"},
		{"signing_ceremony", "集中签约活动", "Signing ceremony"},
		{"online", "网上招商活动", "Online event"},
	},
	"approval_kind": {
		{"project_approval", "立项/备案", "Project approval / filing"},
		{"land_planning", "建设用地规划许可", "Land-use planning permit"},
		{"works_planning", "建设工程规划许可", "Works planning permit"},
		{"construction_permit", "施工许可", "Construction permit"},
		{"eia", "环境影响评价", "Environmental impact assessment"},
		{"energy_review", "节能审查（能评）", "Energy-saving review"},
		{"fire_safety", "消防设计审查", "Fire-safety design review"},
		{"other", "其他", "Other"},
	},
	// Land uses; "residential" (商品住宅) exists so that a ledger can say so,
	// and is refused when supplied with a promotion agreement (R12).
	"land_use": {
		{"industrial", "工业用地", "Industrial"},
		{"warehouse", "物流仓储用地", "Logistics and warehousing"},
		{"research", "科研用地", "Research"},
		{"commercial", "商业服务业用地", "Commercial"},
		{"residential", "商品住宅用地", "Commercial housing"},
	},
	"tracking_kind": {
		{"visit", "走访", "Visit"},
		{"call", "电话", "Call"},
		{"meeting", "会谈", "Meeting"},
	},
}
