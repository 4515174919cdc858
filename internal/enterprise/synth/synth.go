// Package synth makes deterministic synthetic enterprise data for the
// benchmark, the demo and the search tests: names built the way Chinese
// company names are (place + brand + trade + form), so that common strings
// such as 有限, 公司 and 科技 match hundreds of thousands of rows, as in a real
// commercial data set; valid credit codes; industries of the city's chains.
package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/uscc"
)

// Trade is an industry with the words its enterprises' names carry.
type Trade struct {
	Industry string
	Words    []string
}

// Trades are the city's chain industries and some others.
var Trades = []Trade{
	{"3612", []string{"新能源汽车", "汽车", "电动车"}}, {"3670", []string{"汽车零部件", "汽车配件", "车身"}},
	{"3841", []string{"锂电", "电池", "新能源"}}, {"3849", []string{"储能", "氢能", "电源"}},
	{"3982", []string{"电子", "电路", "连接器"}}, {"3973", []string{"半导体", "芯片", "微电子"}},
	{"3921", []string{"通信", "光电", "信息"}}, {"3421", []string{"机床", "精密机械", "数控"}},
	{"3444", []string{"液压", "传动", "机械"}}, {"3415", []string{"风电", "动力装备", "重工"}},
	{"3591", []string{"环保", "环境", "水处理"}}, {"4220", []string{"再生资源", "循环科技", "回收"}},
	{"3252", []string{"铝业", "铝材", "有色金属"}}, {"3130", []string{"钢铁", "特钢", "金属"}},
	{"3360", []string{"五金", "金属制品", "表面处理"}}, {"3024", []string{"建材", "新型建材", "装配式"}},
	{"3062", []string{"玻纤", "复合材料", "新材料"}}, {"2651", []string{"塑料", "高分子", "新材料"}},
	{"2662", []string{"化工", "化学", "精细化工"}}, {"2710", []string{"医药", "制药", "药业"}},
	{"1462", []string{"食品", "调味品", "饮料"}}, {"4417", []string{"能源", "电力", "热能"}},
	{"7320", []string{"科技", "技术", "研究院"}}, {"6513", []string{"软件", "信息技术", "数据"}},
	{"5171", []string{"贸易", "商贸", "进出口"}}, {"4710", []string{"建设", "建筑", "工程"}},
	{"3985", []string{"电子材料", "正极材料", "隔膜"}}, {"3811", []string{"充电桩", "发电设备", "电气"}},
}

// Places are headquarters with their division codes.
var Places = []struct{ Name, Code string }{
	{"北京", "110000"}, {"上海", "310000"}, {"天津", "120000"}, {"重庆", "500000"}, {"深圳", "440300"}, {"深圳市", "440300"},
	{"广州", "440100"}, {"广州市", "440100"}, {"佛山", "440600"}, {"东莞", "441900"}, {"中山", "442000"}, {"珠海", "440400"},
	{"惠州", "441300"}, {"江门", "440700"}, {"肇庆", "441200"}, {"肇庆市", "441202"}, {"四会", "441284"}, {"高要", "441204"},
	{"苏州", "320500"}, {"无锡", "320200"}, {"南京", "320100"}, {"杭州", "330100"}, {"宁波", "330200"}, {"合肥", "340100"},
	{"宁德", "350900"}, {"厦门", "350200"}, {"福州", "350100"}, {"武汉", "420100"}, {"长沙", "430100"}, {"成都", "510100"},
	{"西安", "610100"}, {"青岛", "370200"}, {"济南", "370100"}, {"郑州", "410100"}, {"广东", "440000"}, {"江苏", "320000"},
	{"浙江", "330000"}, {"香港", "810000"}, {"澳门", "820000"}, {"台湾", "710000"},
}

var brand = []rune("华鑫粤盛恒宏金中新瑞佳创联汇德凯嘉润永泰东南安科利荣丰兴达信源通宇晟豪峰辉远成昌茂立航川锐阳越祥驰港邦美和威力捷能拓尚" +
	"比亚迪宁时代格海尔想腾讯小米景光明星辰晨天隆富康长城平欣宙云龙凤鹏翔飞智慧电动众诚益博雅旭日月高志伟强胜业国际明珠")

var forms = []string{"有限公司", "有限公司", "有限公司", "股份有限公司", "科技有限公司", "集团有限公司", "实业有限公司", "有限责任公司"}

// Tags are the enterprise-tag codes a row may carry, with their odds in 1000.
var Tags = []struct {
	Code string
	Odds int
}{{"fortune_global_500", 2}, {"china_top_500", 5}, {"private_top_500", 5}, {"central_soe", 3}, {"soe", 30}, {"listed", 20},
	{"industry_top_30", 10}, {"specialised_innovative", 40}, {"high_tech", 120}, {"unicorn", 2}}

// Row is one enterprise as an import file holds it.
type Row struct {
	CreditCode, Name, FormerNames, Industry, Region, Capital, FoundedOn, Revenue, Staff, Listing, Tags, ExpandedOn string
}

// Header is the import template's header, in the order of Row.
var Header = []string{"统一社会信用代码", "企业名称", "曾用名", "行业代码", "总部所在地代码", "注册资本（万元）", "成立日期",
	"营业收入（万元）", "从业人数", "上市代码", "企业标签", "最近扩张日期"}

func (r Row) cells() []string {
	return []string{r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, r.FoundedOn, r.Revenue, r.Staff,
		r.Listing, r.Tags, r.ExpandedOn}
}

// creditCode is the i-th code: the organisation part counts in base 31, so
// codes are distinct for every i.
func creditCode(division string, i int) string {
	const alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var org [9]byte
	n := i
	for k := 8; k >= 0; k-- {
		org[k] = alpha[n%31]
		n /= 31
	}
	s := "91" + division + string(org[:])
	return s + string(uscc.CheckChar(s))
}

// Rows makes n rows from seed; the same seed and n make the same rows.
func Rows(seed uint64, n int) []Row {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([]Row, n)
	for i := range out {
		out[i] = row(r, i)
	}
	return out
}

func row(r *rand.Rand, i int) Row {
	pl := Places[r.IntN(len(Places))]
	tr := Trades[r.IntN(len(Trades))]
	b := string(brand[r.IntN(len(brand))]) + string(brand[r.IntN(len(brand))])
	if r.IntN(4) == 0 {
		b += string(brand[r.IntN(len(brand))])
	}
	name := pl.Name + b + tr.Words[r.IntN(len(tr.Words))] + forms[r.IntN(len(forms))]
	row := Row{CreditCode: creditCode(pl.Code, i), Name: name, Industry: tr.Industry, Region: pl.Code}
	if r.IntN(20) == 0 {
		row.FormerNames = pl.Name + string(brand[r.IntN(len(brand))]) + string(brand[r.IntN(len(brand))]) + tr.Words[0] + "有限公司"
	}
	// Capital spans 10 万元 to 5000 亿元, log-uniform-ish, two decimals.
	capital := int64(1000 * pow10(r.IntN(5)) * (1 + r.IntN(99)))
	row.Capital = fmt.Sprintf("%d.%02d", capital/100, capital%100)
	row.FoundedOn = fmt.Sprintf("%04d-%02d-%02d", 1985+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28))
	if r.IntN(3) > 0 {
		row.Revenue = strconv.FormatInt(capital/100*int64(1+r.IntN(8)), 10)
		row.Staff = strconv.Itoa(10 + r.IntN(20000))
	}
	var tags []string
	for _, t := range Tags {
		if r.IntN(1000) < t.Odds {
			tags = append(tags, t.Code)
		}
	}
	row.Tags = strings.Join(tags, ",")
	if strings.Contains(row.Tags, "listed") {
		row.Listing = fmt.Sprintf("%06d", r.IntN(1000000))
	}
	if r.IntN(10) == 0 {
		row.ExpandedOn = fmt.Sprintf("%04d-%02d-%02d", 2021+r.IntN(5), 1+r.IntN(12), 1+r.IntN(28))
	}
	return row
}

func pow10(n int) int {
	p := 1
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// WriteCSV writes rows as an import file (UTF-8, with header).
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.cells()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
