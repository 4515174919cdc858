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

func twoHigh(code string) bool {
	for _, pre := range twoHighPrefixes {
		if strings.HasPrefix(code, pre) {
			return true
		}
	}
	return false
}

// constructionGate: a 两高 project starts construction only with an
// approved energy-saving review (an approval step of kind energy_review).
func constructionGate(ctx context.Context, q db.Querier, p project.Project) error {
	if !twoHigh(p.IndustryCode) {
		return nil
	}
	ok, err := project.HasApproved(ctx, q, p.ID, "energy_review")
	if err != nil || ok {
		return err
	}
	return errs.E(errs.Unprocessable, "两高项目动工前须完成节能审查（能评）：请先登记「节能审查（能评）」审批事项并取得批复",
		"a high-energy, high-emission project starts construction only after its energy-saving review is approved (approval step energy_review)")
}

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
	if twoHigh(p.IndustryCode) {
		two.Status = "flag"
		two.DetailZh = "行业 " + p.IndustryCode + " " + p.IndustryName + " 属两高行业，须取得节能审查和环评意见（动工前须有已批复的节能审查审批事项）"
		two.DetailEn = "industry " + p.IndustryCode + " is high-energy/high-emission: energy and environmental reviews required (an approved energy review before construction)"
	}
	items = append(items, two)
	neg, hits, err := negativeListCheck(ctx, q, p)
	if err != nil {
		return nil, err
	}
	items = append(items, neg)
	for _, it := range reviewerItems {
		if it.Code == "negative_list_confirmed" && !foreignFunded(p) {
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
		// A restricted item is confirmed only with its condition recorded.
		if it.Code == "negative_list_confirmed" && it.Status == "pass" && len(hits.restricted) > 0 && strings.TrimSpace(conf[it.Code].Comment) == "" {
			it.Status = "pending"
			it.DetailZh, it.DetailEn = "限制类条目：请在审核意见中记录限制条件（股比上限、审批文件）", "restricted item: record the condition (share cap, approval) in the comment"
		}
		items = append(items, it)
	}
	return items, nil
}

// negativeHits are the negative-list items a project's industry falls
// under, by kind; coarse when the project's code is not a 4-digit class
// and only might fall under them.
type negativeHits struct {
	prohibited, restricted []string
	coarse                 bool
}

// foreignFunded: the negative list applies to projects with foreign capital.
func foreignFunded(p project.Project) bool { return p.IsForeign || p.ForeignCapital > 0 }

// matchNegative matches an industry code on the items' GB/T 4754 classes:
// a 4-digit class exactly; a coarser code (or none) against every class
// below it, as a possible hit the reviewer must resolve.
func matchNegative(ctx context.Context, q db.Querier, code string) (negativeHits, error) {
	var h negativeHits
	h.coarse = len(code) != 4
	rows, err := q.QueryContext(ctx, `SELECT no, measure, kind, classes FROM negative_list WHERE enabled = ? ORDER BY edition DESC, no`, true)
	if err != nil {
		return h, errs.Wrap(err, "negative list")
	}
	defer rows.Close()
	for rows.Next() {
		var no int
		var measure, kind, classes string
		if err := rows.Scan(&no, &measure, &kind, &classes); err != nil {
			return h, errs.Wrap(err, "negative list")
		}
		hit := false
		for _, c := range strings.Fields(classes) {
			if c == code || (h.coarse && strings.HasPrefix(c, code)) {
				hit = true
			}
		}
		if !hit {
			continue
		}
		label := "第" + itoa(int64(no)) + "项（" + kind + "）" + measure
		if kind == "禁止" {
			h.prohibited = append(h.prohibited, label)
		} else {
			h.restricted = append(h.restricted, label)
		}
	}
	return h, errs.Wrap(rows.Err(), "negative list")
}

// negativeListCheck judges a foreign-funded project against the negative
// list: a prohibited item fails it (and blocks signing, gate); a
// restricted one needs the reviewer's recorded condition; a code too
// coarse to tell is flagged for the 4-digit class.
func negativeListCheck(ctx context.Context, q db.Querier, p project.Project) (CheckItem, negativeHits, error) {
	item := CheckItem{Code: "negative_list", NameZh: "外商投资准入特别管理措施（负面清单）", NameEn: "Foreign-investment negative list", Source: "system", Status: "pass"}
	if !foreignFunded(p) {
		item.DetailZh, item.DetailEn = "非外资项目，不适用", "not foreign-funded: not applicable"
		return item, negativeHits{}, nil
	}
	h, err := matchNegative(ctx, q, p.IndustryCode)
	if err != nil {
		return item, h, err
	}
	switch {
	case h.coarse && len(h.prohibited)+len(h.restricted) > 0:
		item.Status = "flag"
		item.DetailZh = "行业代码 " + p.IndustryCode + " 未到小类（4 位），可能涉及：" + strings.Join(append(h.prohibited, h.restricted...), "；") + "。请填写行业小类"
		item.DetailEn = "industry code " + p.IndustryCode + " is not a 4-digit class and may fall under negative-list items; give the class"
	case len(h.prohibited) > 0:
		item.Status = "fail"
		item.DetailZh = "行业小类 " + p.IndustryCode + " 属负面清单禁止类，外资不得投资：" + strings.Join(h.prohibited, "；")
		item.DetailEn = "class " + p.IndustryCode + " is prohibited to foreign investment by the negative list"
	case len(h.restricted) > 0:
		item.Status = "flag"
		item.DetailZh = "行业小类 " + p.IndustryCode + " 属负面清单限制类，须由审核人记录限制条件（股比上限、审批文件等）：" + strings.Join(h.restricted, "；")
		item.DetailEn = "class " + p.IndustryCode + " is restricted by the negative list: the reviewer records the condition (share cap, approval)"
	}
	return item, h, nil
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
