package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// The pools the generator draws from: the sectors of the city's chains with
// their products, brand syllables and places that make investor names, and
// the notes officers write. Real ledgers repeat investors and products, so
// the pools are small enough that keyword searches find many rows.

type sector struct {
	industry, word string // GB/T 4754 code; the word investor names carry
	products       []string
	highTech       bool
}

var sectors = []sector{
	{"3612", "新能源汽车", []string{"新能源汽车零部件", "电驱系统", "智能座舱", "整车配套"}, true},
	{"3670", "汽车零部件", []string{"汽车铝部件", "电池盒", "轻量化车身", "汽车线束"}, false},
	{"3841", "新能源", []string{"动力电池", "储能电池", "锂电池材料", "电池模组"}, true},
	{"3849", "氢能", []string{"氢燃料电池", "电解槽", "储氢装备"}, true},
	{"3982", "电子", []string{"精密连接器", "印制电路板", "柔性线路板"}, true},
	{"3981", "电子材料", []string{"片式电子元件", "电子浆料", "电感元件"}, true},
	{"3973", "半导体", []string{"功率半导体", "芯片封装测试"}, true},
	{"3824", "电力电子", []string{"电力电子元器件", "IGBT模块"}, true},
	{"3921", "通信", []string{"光通信模块", "5G基站设备"}, true},
	{"3851", "电器", []string{"智能家电", "家电压缩机"}, false},
	{"3874", "照明", []string{"智能照明", "LED器件"}, false},
	{"3421", "精密机械", []string{"数控机床", "精密加工中心"}, false},
	{"3444", "液压", []string{"液压传动", "液压元件"}, false},
	{"3415", "风电装备", []string{"风电装备", "风机叶片"}, false},
	{"3591", "环保科技", []string{"环保装备", "污水处理设备", "固废处理"}, false},
	{"4220", "再生资源", []string{"动力电池回收", "再生资源利用"}, false},
	{"3252", "铝业", []string{"工业铝型材", "铝板带箔"}, false},
	{"3130", "钢铁", []string{"精品钢材", "不锈钢深加工"}, false},
	{"3360", "金属制品", []string{"五金制品", "金属表面处理"}, false},
	{"3024", "新型建材", []string{"绿色建材", "装配式建筑部品"}, false},
	{"3062", "复合材料", []string{"玻璃纤维制品", "复合材料"}, false},
	{"2651", "新材料", []string{"改性塑料", "生物降解材料"}, true},
	{"2662", "精细化工", []string{"电子化学品", "专用化学品"}, false},
	{"2710", "医药", []string{"原料药", "医药中间体"}, true},
	{"2761", "生物", []string{"生物制药", "疫苗"}, true},
	{"1462", "食品", []string{"调味品生产基地", "食品加工"}, false},
	{"1495", "食品科技", []string{"食品添加剂", "健康食品"}, false},
	{"4417", "能源", []string{"生物质发电", "综合能源站"}, false},
	{"7320", "科技", []string{"研发中心", "中试基地"}, true},
}

var brandA = []string{"华", "鑫", "粤", "盛", "恒", "宏", "金", "中", "新", "瑞", "佳", "创", "联", "汇", "德", "凯", "嘉", "润", "永", "泰",
	"东", "南", "安", "科", "利", "荣", "丰", "兴", "达", "信"}
var brandB = []string{"达", "源", "通", "宇", "晟", "豪", "峰", "辉", "远", "成", "昌", "茂", "立", "航", "川", "锐", "阳", "越", "祥", "驰",
	"港", "邦", "美", "和", "威", "力", "捷", "能", "拓", "尚"}

// places that open an investor's name, with the source region they suggest.
var places = []struct{ name, region string }{
	{"广东", "prd_core"}, {"广州", "prd_core"}, {"佛山", "prd_core"}, {"东莞", "prd_core"}, {"中山", "prd_core"}, {"珠海", "prd_core"},
	{"深圳", "shenzhen"}, {"深圳市", "shenzhen"}, {"北京", "beijing"}, {"上海", "yrd"}, {"江苏", "yrd"}, {"浙江", "yrd"}, {"宁波", "yrd"},
	{"香港", "hmt"}, {"台湾", "hmt"}, {"澳门", "hmt"}, {"日本", "japan_korea"}, {"韩国", "japan_korea"}, {"德国", "europe_america"},
	{"美国", "europe_america"}, {"新加坡", "asean"}, {"泰国", "asean"}, {"肇庆", "local"}, {"湖南", "other"}, {"福建", "other"}, {"四川", "other"},
}

var companySuffix = []string{"有限公司", "股份有限公司", "科技有限公司", "集团有限公司", "实业有限公司"}

// investor is one enterprise of the generated pool.
type investor struct {
	name, brand, uscc, region string
	sector                    int
	foreign                   bool
}

// investors makes n distinct investors; about 60% carry a credit code.
func investors(r *rand.Rand, n int) []investor {
	out := make([]investor, 0, n)
	seen := map[string]bool{}
	for len(out) < n {
		s := r.IntN(len(sectors))
		pl := places[r.IntN(len(places))]
		brand := brandA[r.IntN(len(brandA))] + brandB[r.IntN(len(brandB))]
		name := pl.name + brand + sectors[s].word + companySuffix[r.IntN(len(companySuffix))]
		if seen[name] {
			name = pl.name + brand + sectors[s].word + fmt.Sprintf("（%s）", []string{"肇庆", "广东", "中国", "华南"}[r.IntN(4)]) + "有限公司"
			if seen[name] {
				continue
			}
		}
		seen[name] = true
		inv := investor{name: name, brand: brand, sector: s, region: pl.region,
			foreign: strings.Contains("hmt japan_korea europe_america asean", pl.region) && r.IntN(100) < 70}
		if r.IntN(100) < 60 {
			inv.uscc = creditCode(r)
		}
		out = append(out, inv)
	}
	return out
}

// creditCode makes a well-formed unified social credit code (an enterprise
// "91", a Guangdong division code, an organisation code, the check character).
func creditCode(r *rand.Rand) string {
	const alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var b strings.Builder
	b.WriteString("91")
	b.WriteString([]string{"440300", "440100", "440600", "441200", "441900", "310000", "110000", "320500"}[r.IntN(8)])
	for i := 0; i < 9; i++ {
		b.WriteByte(alpha[r.IntN(len(alpha))])
	}
	s := b.String()
	out := s + string(uscc.CheckChar(s))
	if !uscc.Valid(out) {
		panic("bench: generated an invalid credit code " + out)
	}
	return out
}

var phases = []string{"", "", "", "", "（一期）", "（二期）", "（三期）", "扩产", "技改"}

func projectName(r *rand.Rand, inv investor) string {
	sec := sectors[inv.sector]
	return inv.brand + sec.products[r.IntN(len(sec.products))] + phases[r.IntN(len(phases))] + "项目"
}

var referrers = []string{"陈志明", "李伟", "张建华", "王丽娟", "刘国强", "黄海波", "梁志强", "吴敏", "何振华", "罗家豪", "冯少辉", "邓美玲"}

var trackingNotes = []string{
	"走访企业，了解项目用地和用电需求",
	"电话跟进协议条款修改意见",
	"召开项目推进协调会，明确时间节点",
	"陪同企业考察园区地块",
	"协调环评、能评办理进度",
	"与企业高层会谈，确认投资计划和资金安排",
	"跟进施工许可办理，现场查看基础施工进度",
	"协调供水、供电、燃气接入",
	"了解设备采购和人员招聘情况",
	"听取企业对营商环境的意见建议",
}

var nextSteps = []string{"按约定时间回访", "报送协调事项清单", "提交项目推进会议纪要", "跟进审批进度", ""}

var requestTitles = []string{"协调 10kV 供电线路接入", "加快土地出让手续办理", "协调员工子女入学", "申请技术改造专项资金",
	"协调园区道路及排水配套", "协调人才公寓", "协助办理环评批复", "协调银行贷款贴息"}

var holdReasons = []string{"等待企业董事会决策", "企业融资未到位，暂缓推进", "用地指标待落实"}
var terminateReasons = []string{"企业投资计划调整，项目终止", "企业选址外地", "项目不符合产业政策"}
