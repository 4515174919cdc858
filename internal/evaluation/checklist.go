package evaluation

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/project"
)

// CheckItem is one item of the compliance checklist: checked by the system,
// or confirmed by the reviewer.
type CheckItem struct {
	Code     string `json:"code"`
	NameZh   string `json:"name_zh"`
	NameEn   string `json:"name_en"`
	Source   string `json:"source"` // system, reviewer
	Status   string `json:"status"` // pass, fail, flag (needs the reviewer's attention), pending
	DetailZh string `json:"detail_zh"`
	DetailEn string `json:"detail_en"`
}

// Confirmation is a reviewer's answer to a checklist item: "ok" (complies),
// "not_ok" (does not) and a comment.
type Confirmation struct {
	Answer  string `json:"answer"`
	Comment string `json:"comment"`
}

// twoHighPrefixes are the industries treated as high energy use and high
// emission (两高): petroleum and coal products, basic chemicals, cement,
// flat glass and ceramics, iron and steel, non-ferrous smelting, coal power.
var twoHighPrefixes = []string{"25", "261", "3011", "3041", "307", "31", "321", "322", "4411"}

// reviewerItems must be answered by the reviewer.
var reviewerItems = []CheckItem{
	{Code: "fair_competition", NameZh: "公平竞争审查：协议中无缺乏法律依据的税收返还、财政奖补条款", NameEn: "Fair-competition review: no tax rebate or subsidy clause without a legal basis", Source: "reviewer"},
	{Code: "negative_list_confirmed", NameZh: "外商投资准入负面清单核查（外资项目）", NameEn: "Foreign-investment negative list checked (foreign-funded projects)", Source: "reviewer"},
}

// checklist builds the items for a project and inputs, applying the
// reviewer's confirmations.
func checklist(ctx context.Context, q db.Querier, p project.Project, in Inputs, conf map[string]Confirmation) ([]CheckItem, error) {
	var items []CheckItem
	res := CheckItem{Code: "no_residential_land", NameZh: "招商协议未配套安排商品住宅用地", NameEn: "No commercial housing land in the agreement", Source: "system", Status: "pass"}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM parcels WHERE project_id = ? AND land_use = 'residential'`, p.ID).Scan(&n); err != nil {
		return nil, errs.Wrap(err, "parcels")
	}
	if in.ResidentialLand || n > 0 {
		res.Status, res.DetailZh, res.DetailEn = "fail", "严禁在招商协议中配套安排商品住宅用地", "promotion agreements may not allocate commercial housing land"
	}
	items = append(items, res)
	fac := CheckItem{Code: "no_non_industrial_facilities", NameZh: "工业用地内无成套住宅、宾馆、培训中心等非生产性设施", NameEn: "No residences, hotels or training centres on the industrial land", Source: "system", Status: "pass"}
	if in.NonIndustrialFacilities {
		fac.Status, fac.DetailZh, fac.DetailEn = "fail", "工业项目用地严禁建设成套住宅、专家楼、宾馆、招待所和培训中心", "forbidden on industrial land"
	}
	items = append(items, fac)
	two := CheckItem{Code: "two_high", NameZh: "不属于高耗能、高排放（两高）行业", NameEn: "Not a high-energy, high-emission industry", Source: "system", Status: "pass"}
	for _, pre := range twoHighPrefixes {
		if strings.HasPrefix(p.IndustryCode, pre) {
			two.Status = "flag"
			two.DetailZh = "行业 " + p.IndustryCode + " " + p.IndustryName + " 属两高行业，须取得节能审查和环评意见"
			two.DetailEn = "industry " + p.IndustryCode + " is high-energy/high-emission: energy and environmental reviews required"
		}
	}
	items = append(items, two)
	neg, err := negativeListCheck(ctx, q, p)
	if err != nil {
		return nil, err
	}
	items = append(items, neg)
	for _, it := range reviewerItems {
		if it.Code == "negative_list_confirmed" && !p.IsForeign {
			continue
		}
		it.Status = "pending"
		if c, ok := conf[it.Code]; ok {
			it.DetailZh, it.DetailEn = c.Comment, c.Comment
			switch c.Answer {
			case "ok":
				it.Status = "pass"
			case "not_ok":
				it.Status = "fail"
			}
		}
		items = append(items, it)
	}
	return items, nil
}

// negativeListCheck flags a foreign-funded project whose industry section
// has items on the negative list, naming them for the reviewer.
func negativeListCheck(ctx context.Context, q db.Querier, p project.Project) (CheckItem, error) {
	item := CheckItem{Code: "negative_list", NameZh: "外商投资准入特别管理措施（负面清单）", NameEn: "Foreign-investment negative list", Source: "system", Status: "pass"}
	if !p.IsForeign {
		item.DetailZh, item.DetailEn = "非外资项目，不适用", "not foreign-funded: not applicable"
		return item, nil
	}
	section := sectionOf(p.IndustryCode)
	rows, err := q.QueryContext(ctx, `SELECT no, measure, kind FROM negative_list WHERE enabled = ? AND section = ? ORDER BY no`, true, section)
	if err != nil {
		return item, errs.Wrap(err, "negative list")
	}
	defer rows.Close()
	var hits []string
	for rows.Next() {
		var no int
		var measure, kind string
		if err := rows.Scan(&no, &measure, &kind); err != nil {
			return item, errs.Wrap(err, "negative list")
		}
		hits = append(hits, "第"+itoa(int64(no))+"项（"+kind+"）"+measure)
	}
	if len(hits) > 0 {
		item.Status = "flag"
		item.DetailZh = "所属门类 " + section + " 在负面清单中有相关条目，请核对：" + strings.Join(hits, "；")
		item.DetailEn = "the industry's section " + section + " has negative-list items; check them"
	}
	return item, errs.Wrap(rows.Err(), "negative list")
}

// sectionOf is the GB/T 4754 section letter (A–T) of a code.
func sectionOf(code string) string {
	for code != "" {
		c, ok := industry.Lookup(code)
		if !ok {
			return ""
		}
		if c.Parent == "" {
			return c.Code
		}
		code = c.Parent
	}
	return ""
}
