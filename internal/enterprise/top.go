package enterprise

import (
	"context"
	"io"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/report"
)

// Ranked is an enterprise in an industry's top list (行业前30强).
type Ranked struct {
	Rank int `json:"rank"`
	Enterprise
	Contacted bool `json:"contacted"` // the city has contacted it (any status past not_contacted)
}

// Top ranks the enterprises of an industry by a measure (registered capital,
// revenue or staff; those whose measure is unknown are left out). Equal
// measures share a rank.
func (s *Service) Top(ctx context.Context, ind, measure string, limit int) ([]Ranked, error) {
	if measure == "" {
		measure = "revenue"
	}
	if measure != "capital" && measure != "revenue" && measure != "staff" {
		return nil, errs.E(errs.Invalid, "排名依据应为 capital、revenue 或 staff", "measure is capital, revenue or staff").Field("measure", "不支持", "unsupported")
	}
	if ind == "" {
		return nil, errs.E(errs.Invalid, "请选择行业", "choose an industry").Field("industry", "请选择行业", "required")
	}
	if _, ok := industry.Lookup(ind); !ok {
		return nil, errs.E(errs.Invalid, "行业代码不存在", "unknown industry code").Field("industry", "行业代码不存在", "unknown code")
	}
	x, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	hits := x.find(Query{Industry: ind, Sort: measure, Limit: limit, Known: measure})
	items, err := byIDs(ctx, s.DB.Reader(), hits.IDs)
	if err != nil {
		return nil, err
	}
	out := make([]Ranked, len(items))
	for i, e := range items {
		out[i] = Ranked{Rank: i + 1, Enterprise: e, Contacted: e.Status != "not_contacted"}
		if i > 0 && value(e, measure) == value(items[i-1], measure) {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out, nil
}

func value(e Enterprise, measure string) int64 {
	switch measure {
	case "revenue":
		if e.Revenue != nil {
			return int64(*e.Revenue)
		}
	case "staff":
		if e.Staff != nil {
			return *e.Staff
		}
	default:
		return int64(e.RegisteredCapital)
	}
	return -1
}

// Template is the import template: the header and two example rows.
func Template() report.Table {
	t := report.Table{Sheet: "企业"}
	for _, c := range columns {
		h := c.Zh
		if c.Required {
			h += "*"
		}
		t.Headers = append(t.Headers, h)
	}
	t.Rows = [][]any{
		{"91440300192317458F", "比亚迪股份有限公司", "深圳市比亚迪实业有限公司", "3612", "440300", "291114.29", "1995-02-10", "77710000", "703504", "002594", "世界500强、上市企业", "2024-06-01"},
		{"91350900587527783P", "宁德时代新能源科技股份有限公司", "", "3841", "350900", "439880.69", "2011-12-16", "36201300", "131099", "300750", "上市企业、行业前30强", ""},
	}
	return t
}

func writeTemplate(w io.Writer) error { return report.WriteXLSX(w, Template()) }
