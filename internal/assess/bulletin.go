package assess

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/report"
)

// e4PerYi is one 亿元 in the unit of amount_e4: 10,000 万元 × 100
// (hundredths) × Full (basis points of a project).
const e4PerYi = 10_000 * 100 * Full

// yi writes hundredths-of-万元 × basis points as 亿元 with two decimals.
func yi(e4 int64) string {
	return ratStr(new(big.Rat).SetFrac(big.NewInt(e4), big.NewInt(e4PerYi)))
}

// Bulletin writes the quarterly bulletin (一季一通报) from the figures: the
// narrative the office edits, the rankings, and the lists as they stand.
func (s *Service) Bulletin(ctx context.Context, a *org.Actor, year, quarter int) (*report.Doc, error) {
	if a.Scope != org.ScopeAll {
		return nil, errs.E(errs.Forbidden, "通报面向全市，仅限全部数据权限", "bulletins are city-wide: scope all only")
	}
	rk, err := s.Rank(ctx, a, year, quarter)
	if err != nil {
		return nil, err
	}
	p := Period{year, quarter * 3}
	rep, err := s.report(ctx, s.reader(), p)
	if err != nil {
		return nil, err
	}
	d := &report.Doc{}
	d.Title(fmt.Sprintf("关于%d年第%s季度全市招商引资工作情况的通报", year, []string{"", "一", "二", "三", "四"}[quarter]))
	d.Para(narrative(rep, p))
	for _, g := range rk.Groups {
		d.Heading(map[string]string{"working_group": "一、各招商引资工作组完成情况", "locality": "二、各县（市、区）及功能区完成情况"}[g.Group])
		var rows [][]string
		for _, it := range g.Items {
			rank, move := noTargetZh, ""
			if it.Rank > 0 {
				rank = fmt.Sprint(it.Rank)
			}
			switch {
			case it.Movement > 0:
				move = fmt.Sprintf("上升%d位", it.Movement)
			case it.Movement < 0:
				move = fmt.Sprintf("下降%d位", -it.Movement)
			}
			rows = append(rows, []string{rank, it.UnitName, Count(it.YTD.CountBP), yi(it.YTD.AmountE4), yi(it.Target * Full), it.Completion.Percent(), move})
		}
		d.Table([]string{"排名", "单位", "签约项目（个）", "合同投资额（亿元）", "年度目标（亿元）", "完成率（%）", "较上季度"}, rows)
	}
	ev, err := s.evaluateAt(ctx, s.reader(), p)
	if err != nil {
		return nil, err
	}
	d.Heading("三、表扬与情况说明（按年度考评办法，截至本季度末）")
	for _, g := range ev.Groups {
		var good, bad []string
		for _, sc := range g.Scores {
			if sc.Commended {
				good = append(good, sc.UnitName)
			}
			if sc.Explain {
				bad = append(bad, sc.UnitName)
			}
		}
		name := map[string]string{"working_group": "工作组", "locality": "各地"}[g.Group]
		d.Para(name + "：已完成年度目标任务且考评得分排名前两名的有" + list(good) + "；未完成年度目标任务且考评得分排名后两名的有" + list(bad) + "。")
	}
	d.Heading("四、统计口径")
	for _, n := range rep.RuleNotes {
		d.Para(n)
	}
	d.Para(ev.BasisZh)
	return d, nil
}

func list(names []string) string {
	if len(names) == 0 {
		return "（无）"
	}
	return strings.Join(names, "、")
}

// narrative is the bulletin's opening paragraph, written from the figures.
func narrative(rep Report, p Period) string {
	c := rep.City
	s := fmt.Sprintf("截至%d年%d月底，全市新引进产业项目%s个，合同投资总额%s亿元", p.Year, p.Month, Count(c.YTD.CountBP), yi(c.YTD.AmountE4))
	if c.Target > 0 {
		s += fmt.Sprintf("，完成年度目标（%s亿元）的%s%%", yi(c.Target*Full), c.Completion.Percent())
	}
	var bands []string
	for _, b := range rep.Rules.Bands {
		bands = append(bands, fmt.Sprintf("%s项目%s个", b.LabelZh, Count(c.YTD.BandsBP[b.Code])))
	}
	s += "；其中" + strings.Join(bands, "，") + "。"
	s += fmt.Sprintf("签约项目中已落户%s个、已动工%s个、已投产%s个。", Count(c.Registered), Count(c.Construction), Count(c.Production))
	if !rep.Closed {
		s += "（本月尚未关账，数据为当前统计。）"
	}
	return s
}

// BulletinDOCX answers GET /api/v1/stats/bulletin/docx?year=&quarter=.
func (h Handlers) BulletinDOCX(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	quarter, err := intParam(r, "quarter", 1)
	if err != nil {
		return err
	}
	d, err := h.S.Bulletin(r.Context(), actor(r), year, quarter)
	if err != nil {
		return err
	}
	return report.ServeDOCX(w, fmt.Sprintf("招商引资工作通报-%d年第%d季度.docx", year, quarter), d)
}

// AnnualJSON answers GET /api/v1/stats/annual?year=.
func (h Handlers) AnnualJSON(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year()-1)
	if err != nil {
		return err
	}
	quarter, err := intParam(r, "quarter", 4)
	if err != nil {
		return err
	}
	out, err := h.S.EvaluateQuarter(r.Context(), actor(r), year, quarter)
	return httpx.Send(w, out, err)
}

func (h Handlers) GetScheme(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	if err := validYear(year); err != nil {
		return err
	}
	sc, err := h.S.Scheme(r.Context(), year)
	return httpx.Send(w, sc, err)
}

func (h Handlers) PutScheme(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in Scheme) (Scheme, error) { return h.S.SetScheme(r.Context(), actor(r), in) })
}

// AnnualDoc writes the annual evaluation (年考评) as a document the office
// edits: the narrative from the December figures, each group's scores item
// by item, and the three lists in the seed's words.
func (s *Service) AnnualDoc(ctx context.Context, a *org.Actor, year int) (*report.Doc, error) {
	ev, err := s.Evaluate(ctx, a, year)
	if err != nil {
		return nil, err
	}
	rep, err := s.report(ctx, s.reader(), Period{year, 12})
	if err != nil {
		return nil, err
	}
	return annualDoc(ev, rep), nil
}

// annualDoc lays an evaluation and its December report out as the document.
func annualDoc(ev Annual, rep Report) *report.Doc {
	year, p := ev.Year, Period{ev.Year, 12}
	d := &report.Doc{}
	d.Title(fmt.Sprintf("%d年度全市招商引资工作考评结果", year))
	d.Para(narrative(rep, p))
	groupName := map[string]string{"working_group": "各招商引资工作组", "locality": "各县（市、区）及功能区"}
	for i, g := range ev.Groups {
		d.Heading(fmt.Sprintf("%s、%s考评得分", []string{"一", "二"}[i], groupName[g.Group]))
		headers := []string{"排名", "单位"}
		for _, it := range ev.Scheme.Items {
			headers = append(headers, it.NameZh)
		}
		headers = append(headers, "总分", "完成年度目标")
		var rows [][]string
		for _, sc := range g.Scores {
			row := []string{fmt.Sprint(sc.Rank), sc.UnitName}
			for _, it := range ev.Scheme.Items {
				row = append(row, sc.Items[it.Code])
			}
			done := "否"
			if sc.Completed {
				done = "是"
			}
			rows = append(rows, append(row, sc.Total, done))
		}
		for _, u := range g.Untargeted {
			row := []string{noTargetZh, u.UnitName}
			for range ev.Scheme.Items {
				row = append(row, "")
			}
			rows = append(rows, append(row, "", ""))
		}
		d.Table(headers, rows)
	}
	d.Heading("三、表扬、情况说明与重奖名单")
	d.Para("通报表扬（完成年度目标任务且排名前两名）：" + list(ev.Commended) + "。")
	d.Para("作情况说明（未完成年度目标任务且排名后两名）：" + list(ev.Explain) + "。")
	d.Para("重奖（引进单个投资超200亿元项目）：" + list(ev.MajorReward) + "。")
	d.Heading("四、考评办法与统计口径")
	for _, it := range ev.Scheme.Items {
		switch it.Method {
		case "completion":
			d.Para(fmt.Sprintf("%s：满分%s分，按完成率计分，完成率最高按%s%%计。", it.NameZh, it.Weight, percent(it.Cap)))
		case "efficacy":
			d.Para(fmt.Sprintf("%s：功效系数法（x − 最小值）/（最大值 − 最小值）× 40 + 60，按%s%%权重计入。", it.NameZh, it.Weight))
		case "deduction":
			d.Para(fmt.Sprintf("%s：每个扣%s分。", it.NameZh, it.Points))
		}
	}
	for _, n := range rep.RuleNotes {
		d.Para(n)
	}
	d.Para(ev.BasisZh)
	return d
}

// percent writes a ratio in hundredths (1_20) as a percentage (120).
func percent(c interface{ String() string }) string {
	r, ok := new(big.Rat).SetString(c.String())
	if !ok {
		return c.String()
	}
	return ratStr(r.Mul(r, big.NewRat(100, 1)))
}

// AnnualDOCX answers GET /api/v1/stats/annual/docx?year=.
func (h Handlers) AnnualDOCX(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year()-1)
	if err != nil {
		return err
	}
	data, err := h.S.AnnualDocument(r.Context(), actor(r), year)
	if err != nil {
		return err
	}
	return report.ServeBytes(w, fmt.Sprintf("招商引资年度考评-%d年.docx", year), report.DOCXType, data)
}
