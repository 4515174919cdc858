package evaluation

import (
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"net/http"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/report"
)

var verdictZh = map[string]string{"pass": "通过", "conditional": "有条件通过", "fail": "不通过", "": "未形成结论"}
var resultZh = map[string]string{"pass": "符合", "fail": "不符合", "missing": "数据不全", "flag": "需核实", "pending": "待确认"}
var statusZhName = map[string]string{"draft": "草稿", "submitted": "已提交", "reviewed": "已审核", "approved": "已审定", "returned": "已退回"}
var actionZh = map[string]string{"submit": "提交", "revise": "修改", "review": "审核", "approve": "审定", "return": "退回"}

// Document lays a screening out as the report the office files: the
// project, the indicators with their formulas, each rule and its verdict,
// the checklist and the reviewers.
func (e Evaluation) Document() *report.Doc {
	d := &report.Doc{}
	d.Title("招商引资项目论证评估报告")
	d.Para("项目名称：" + e.ProjectName + "（" + e.ProjectCode + "）")
	d.Para("评估日期：" + e.EvaluatedOn.String() + "    状态：" + statusZhName[e.Status] + "    结论：" + verdictZh[e.Verdict])
	if e.Results.Set != nil {
		note := ""
		if e.Results.Set.IsDefault {
			note = "（系统默认参考值，须经市政府确认）"
		}
		d.Para("适用规则：" + e.Results.Set.Name + "，自 " + e.Results.Set.EffectiveFrom.String() + " 起施行" + note)
	}
	d.Heading("一、评估指标")
	var rows [][]string
	for _, i := range e.Results.Indicators {
		v := i.Value
		if i.Missing {
			v = "数据不全"
		}
		rows = append(rows, []string{i.NameZh, v, i.Unit, i.FormulaZh})
	}
	d.Table([]string{"指标", "数值", "单位", "计算公式"}, rows)
	d.Heading("二、投资效益底线")
	rows = nil
	for _, r := range e.Results.Rules {
		op := "不低于"
		if r.Op == "max" {
			op = "不高于"
		}
		rows = append(rows, []string{r.NameZh, op + " " + r.Value.String() + r.Unit, r.Actual, resultZh[r.Result], r.ReasonZh})
	}
	d.Table([]string{"指标", "底线要求", "项目数值", "结果", "说明"}, rows)
	d.Heading("三、合规审查")
	rows = nil
	for _, c := range e.Results.Checklist {
		src := "系统核查"
		if c.Source == "reviewer" {
			src = "审核人确认"
		}
		rows = append(rows, []string{c.NameZh, src, resultZh[c.Status], c.DetailZh})
	}
	d.Table([]string{"事项", "方式", "结果", "说明"}, rows)
	d.Heading("四、结论")
	d.Para("论证结论：" + verdictZh[e.Verdict] + "。")
	for _, r := range e.Results.ReasonsZh {
		d.Para(r)
	}
	if e.Conditions != "" {
		d.Para("附加条件：" + e.Conditions)
	}
	d.Heading("五、审核记录")
	rows = nil
	for _, r := range e.Reviews {
		rows = append(rows, []string{r.At.In(civil.Shanghai).Format(time.DateTime), actionZh[r.Action], r.ByName, r.Comment})
	}
	d.Table([]string{"时间", "环节", "人员", "意见"}, rows)
	return d
}

// DOCX sends the screening report.
func (h Handlers) DOCX(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		e, err := h.S.Get(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return report.ServeDOCX(w, "论证评估报告-"+e.ProjectCode+".docx", e.Document())
	})
}
