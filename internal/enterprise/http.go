package enterprise

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/region"
	"github.com/zhaoqing/attract/internal/report"
)

// Handlers are the library's HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

// QueryOf reads a search from query parameters, naming any bad one.
func (h Handlers) QueryOf(r *http.Request) (Query, error) {
	v := r.URL.Query()
	q := Query{Q: strings.TrimSpace(v.Get("q")), Industry: strings.TrimSpace(v.Get("industry")), Region: strings.TrimSpace(v.Get("region")),
		Status: v.Get("status"), Sort: v.Get("sort"), Tags: tagsOf(v)}
	var e errs.Validation
	if len([]rune(q.Q)) > 50 {
		e.Add("q", "关键字最多 50 个字", "at most 50 characters")
	}
	if _, ok := region.Lookup(q.Region); q.Region != "" && !ok {
		e.Add("region", "行政区划代码不存在（应为 6 位代码，如 441200）", "unknown administrative division code (six digits, e.g. 441200)")
	}
	if q.Status != "" && !validStatus(q.Status) {
		e.Add("status", "状态无效", "unknown status")
	}
	if q.Sort == "" {
		q.Sort = "capital"
	}
	if !Sorts[q.Sort] {
		e.Add("sort", "不支持的排序", "unsupported sort")
	}
	for name, dst := range map[string]**int64{"capital_min": &q.CapitalMin, "capital_max": &q.CapitalMax} {
		if s := v.Get(name); s != "" {
			c, err := money.Parse(s)
			if err != nil {
				e.Add(name, "应为数字（万元，最多两位小数）", "must be a number (10k CNY, two decimals at most)")
				continue
			}
			n := int64(c)
			*dst = &n
		}
	}
	switch t := v.Get("is_target"); t {
	case "1", "true":
		b := true
		q.Target = &b
	case "0", "false":
		b := false
		q.Target = &b
	case "":
	default:
		e.Add("is_target", "应为 1 或 0", "must be 1 or 0")
	}
	if s := v.Get("owner_unit_id"); s == "none" {
		q.NoOwner = true
	} else if s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			e.Add("owner_unit_id", "应为单位编号或 none", "must be a unit id or none")
		} else {
			owners, err := h.S.subtree(r.Context(), id)
			if err != nil {
				return q, err
			}
			q.Owners = owners
		}
	}
	page, err := httpx.PageOf(r)
	if err != nil {
		return q, err
	}
	q.Limit, q.Offset = page.Size, page.Offset()
	if q.Offset > 10000 {
		e.Add("page", "最多翻到第 10000 条；请缩小筛选范围", "at most 10,000 rows deep; narrow the filter")
	}
	return q, e.Err()
}

func tagsOf(v url.Values) []string {
	var out []string
	for _, t := range v["tag"] {
		for _, s := range strings.Split(t, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (h Handlers) Search(w http.ResponseWriter, r *http.Request) error {
	q, err := h.QueryOf(r)
	if err != nil {
		return err
	}
	items, total, err := h.S.Search(r.Context(), q)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Enterprise]{Items: items, Total: total})
}

func (h Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		e, err := h.S.Get(r.Context(), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, e)
	})
}

func (h Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in Input) (Enterprise, error) { return h.S.Create(r.Context(), actor(r), in) })
}

func (h Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in Input) (Enterprise, error) { return h.S.Update(r.Context(), actor(r), id, in) })
	})
}

// VersionOnly is the body of archive and restore.
type VersionOnly struct {
	Version int `json:"version"`
}

func (h Handlers) Archive(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in VersionOnly) (Enterprise, error) {
			return h.S.Archive(r.Context(), actor(r), id, true, in.Version)
		})
	})
}

func (h Handlers) Restore(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in VersionOnly) (Enterprise, error) {
			return h.S.Archive(r.Context(), actor(r), id, false, in.Version)
		})
	})
}

func (h Handlers) Intentions(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Intentions(r.Context(), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[Intention]{Items: items, Total: len(items)})
	})
}

func (h Handlers) AddIntention(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in IntentionInput) (Intention, error) { return h.S.AddIntention(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Visits(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.Visits(r.Context(), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[Visit]{Items: items, Total: len(items)})
	})
}

func (h Handlers) AddVisit(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in VisitInput) (Visit, error) { return h.S.AddVisit(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Projects(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		items, err := h.S.ProjectsOf(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, httpx.List[ProjectRef]{Items: items, Total: len(items)})
	})
}

func (h Handlers) StartLead(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 201, func(in LeadInput) (project.Project, error) { return h.S.StartLead(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Top(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	limit := 30
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			return errs.E(errs.Invalid, "名次数应为 1–200", "limit must be 1–200").Field("limit", "应为 1–200", "must be 1–200")
		}
		limit = n
	}
	items, err := h.S.Top(r.Context(), strings.TrimSpace(v.Get("industry")), v.Get("measure"), limit)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Ranked]{Items: items, Total: len(items)})
}

func (h Handlers) Template(w http.ResponseWriter, r *http.Request) error {
	return report.ServeXLSX(w, "企业导入模板.xlsx", Template())
}

// Import previews (?dry_run=1, answered at once) or starts a background
// import job (202 with the job to poll).
func (h Handlers) Import(w http.ResponseWriter, r *http.Request) error {
	// The upload goes to a temporary file: a 200 MB CSV is read from there
	// row by row, never held whole in memory.
	f, name, release, err := httpx.FormFileTemp(w, r, MaxUpload)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("dry_run") == "1" {
		defer release()
		res, err := h.S.Import(r.Context(), actor(r), f, name, true, nil)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, res)
	}
	job, err := h.S.Start(r.Context(), actor(r), f, name, release) // the job releases the file
	if err != nil {
		return err
	}
	return httpx.JSON(w, 202, job)
}

func (h Handlers) Job(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		j, err := h.S.Job(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, j)
	})
}

// JobErrors is the row-error report of a finished import as XLSX: every
// error the job kept (its error file), not only those its result shows.
func (h Handlers) JobErrors(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		_, file, err := h.S.JobErrorFile(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		t := report.Table{Sheet: "错误报告", Headers: []string{"行号", "列", "问题"}}
		if len(file) > 0 {
			src, err := tabular.Open(bytes.NewReader(file), "errors.csv", tabular.EnterpriseLimits)
			if err != nil {
				return err
			}
			defer src.Close()
			rows, err := tabular.ReadAll(src)
			if err != nil {
				return err
			}
			for _, row := range rows[min(1, len(rows)):] { // past the header
				if len(row) >= 3 {
					n, _ := strconv.Atoi(row[0])
					t.Rows = append(t.Rows, []any{n, row[1], row[2]})
				}
			}
		}
		return report.ServeXLSX(w, "企业导入错误报告.xlsx", t)
	})
}
