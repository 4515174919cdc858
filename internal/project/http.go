package project

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/report"
)

// Handlers are the projects' HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

func (h Handlers) List(w http.ResponseWriter, r *http.Request) error {
	f, err := FilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = page.Size, page.Offset()
	items, total, err := h.S.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Project]{Items: items, Total: total})
}

func (h Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		p, err := h.S.Get(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, p)
	})
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in Input) (Project, error) { return h.S.Create(r.Context(), actor(r), in) })
}

func (h Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Input) (Project, error) { return h.S.Update(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Duplicates(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in DuplicateQuery) (httpx.List[Duplicate], error) {
		d, err := h.S.FindDuplicates(r.Context(), h.S.DB.Reader(), actor(r), in, 0)
		return httpx.List[Duplicate]{Items: d, Total: len(d)}, err
	})
}

func (h Handlers) Move(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Transition) (Project, error) { return h.S.Move(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Timeline(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Timeline(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[TimelineItem]{Items: items, Total: len(items)})
	})
}

// Upload takes one multipart file (field "file") and its kind.
func (h Handlers) Upload(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		data, name, err := httpx.FormFile(w, r, MaxAttachment+1<<20)
		if err != nil {
			return err
		}
		att, err := h.S.Attach(r.Context(), actor(r), id, Upload{Kind: r.FormValue("kind"), Filename: name, Data: data})
		if err != nil {
			return err
		}
		return httpx.JSON(w, 201, att)
	})
}

func (h Handlers) Attachments(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Attachments(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[Attachment]{Items: items, Total: len(items)})
	})
}

func (h Handlers) Download(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		f, data, err := h.S.File(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(f.Filename)))
		_, err = w.Write(data)
		return err
	})
}

func (h Handlers) HandOver(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in HandoverInput) (Project, error) { return h.S.HandOver(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Accept(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Decision) (Project, error) { return h.S.Decide(r.Context(), actor(r), id, true, in) })
	})
}

func (h Handlers) Decline(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Decision) (Project, error) { return h.S.Decide(r.Context(), actor(r), id, false, in) })
	})
}

func (h Handlers) TrackingRecords(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.TrackingRecords(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[TrackingRecord]{Items: items, Total: len(items)})
	})
}

func (h Handlers) Track(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in TrackingInput) (TrackingRecord, error) { return h.S.Track(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Requests(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Requests(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[Request]{Items: items, Total: len(items)})
	})
}

func (h Handlers) AddRequest(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in RequestInput) (Request, error) { return h.S.AddRequest(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) ResolveRequest(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Resolve) (Request, error) { return h.S.ResolveRequest(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Warnings(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	items, total, err := h.S.WarningsPage(r.Context(), actor(r), r.URL.Query().Get("rule"), 0, page.Size, page.Offset())
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Warning]{Items: items, Total: total})
}

func (h Handlers) GetSettings(w http.ResponseWriter, r *http.Request) error {
	cfg, err := h.S.Settings(r.Context())
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, cfg)
}

func (h Handlers) PutSettings(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in WarningSettings) (WarningSettings, error) { return h.S.SetSettings(r.Context(), actor(r), in) })
}

// Export streams the filtered list as XLSX (any size).
func (h Handlers) Export(w http.ResponseWriter, r *http.Request) error {
	f, err := FilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	en := httpx.Lang(r) == "en"
	headers := []string{"项目编号", "项目名称", "投资方", "统一社会信用代码", "行业代码", "阶段", "状态", "合同投资额（万元）", "固定资产投资（万元）",
		"外资（万美元）", "落户地", "引进单位", "招商方式", "来源地区", "线索日期", "签约日期", "落户日期", "动工日期", "投产日期"}
	if en {
		headers = []string{"Code", "Name", "Investor", "USCC", "Industry", "Stage", "Status", "Contracted investment (10k CNY)", "Fixed-asset investment (10k CNY)",
			"Foreign capital (10k USD)", "Landing locality", "Introducing units", "Channel", "Source region", "Lead on", "Signed on", "Registered on", "Construction on", "Production on"}
	}
	lab, err := LoadLabels(r.Context(), h.S.DB.Reader(), en)
	if err != nil {
		return err
	}
	name := "项目台账-" + civil.Of(time.Now()).String() + ".xlsx"
	return report.StreamXLSX(w, name, map[bool]string{true: "Projects", false: "项目台账"}[en], headers, func(add func([]any) error) error {
		return h.S.Each(r.Context(), actor(r), f, func(p Project) error {
			var intro []string
			for _, i := range p.Introducers {
				intro = append(intro, fmt.Sprintf("%s %s%%", i.UnitName, i.Share))
			}
			return add([]any{p.Code, p.Name, p.InvestorName, p.InvestorUSCC, p.IndustryCode, lab.Of("stage", p.Stage), lab.Of("status", p.Status),
				p.ContractInvestment.Number(), p.FixedAssetInvestment.Number(), p.ForeignCapital.Number(), p.LocalityUnitName,
				strings.Join(intro, "；"), lab.Of("channel", p.Channel), lab.Of("source_region", p.SourceRegion), p.LeadOn.String(), p.SignedOn.String(), p.RegisteredOn.String(),
				p.ConstructionOn.String(), p.ProductionOn.String()})
		})
	})
}

func (h Handlers) ListParcels(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var park, pid int64
	if _, err := fmt.Sscan(q.Get("park_unit_id"), &park); q.Get("park_unit_id") != "" && err != nil {
		return errs.E(errs.Invalid, "园区编号应为整数", "park_unit_id must be an integer").Field("park_unit_id", "应为整数", "must be an integer")
	}
	if _, err := fmt.Sscan(q.Get("project_id"), &pid); q.Get("project_id") != "" && err != nil {
		return errs.E(errs.Invalid, "项目编号应为整数", "project_id must be an integer").Field("project_id", "应为整数", "must be an integer")
	}
	items, err := h.S.Parcels(r.Context(), actor(r), park, q.Get("status"), pid)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Parcel]{Items: items, Total: len(items)})
}

func (h Handlers) CreateParcel(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in ParcelInput) (Parcel, error) { return h.S.CreateParcel(r.Context(), actor(r), in) })
}

func (h Handlers) ActOnParcel(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in ParcelAction) (Parcel, error) { return h.S.ActOnParcel(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Approvals(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Approvals(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[Approval]{Items: items, Total: len(items)})
	})
}

func (h Handlers) AddApproval(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in ApprovalInput) (Approval, error) { return h.S.AddApproval(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) UpdateApproval(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in ApprovalInput) (Approval, error) { return h.S.UpdateApproval(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Merge(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Merge) (Project, error) { return h.S.Merge(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Verify(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in VerifyInput) (Project, error) { return h.S.Verify(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) VerifyAll(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in BulkVerify) (BulkVerified, error) { return h.S.VerifyAll(r.Context(), actor(r), in) })
}

func (h Handlers) Assignments(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Assignments(r.Context(), actor(r), r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Assignment]{Items: items, Total: len(items)})
}
