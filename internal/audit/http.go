package audit

import (
	"net/http"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/report"
)

// Handlers are the audit log's HTTP face (reading only: nothing writes the
// log but Append).
type Handlers struct{ DB *db.DB }

// maxExport bounds one export; a narrower filter gets the rest.
const maxExport = 100000

func filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	f := Filter{Username: q.Get("username"), Action: q.Get("action"), ObjectType: q.Get("object_type"),
		ObjectID: q.Get("object_id"), Result: q.Get("result")}
	var err error
	if f.From, err = httpx.QueryDate(r, "from"); err != nil {
		return f, err
	}
	if f.To, err = httpx.QueryDate(r, "to"); err != nil {
		return f, err
	}
	p, err := httpx.PageOf(r)
	f.Limit, f.Offset = p.Size, p.Offset()
	return f, err
}

func (h Handlers) Search(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	items, total, err := Search(r.Context(), h.DB.Reader(), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Row]{Items: items, Total: total})
}

func (h Handlers) Signins(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	items, total, err := Signins(r.Context(), h.DB.Reader(), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Signin]{Items: items, Total: total})
}

func (h Handlers) Verify(w http.ResponseWriter, r *http.Request) error {
	res, err := Verify(r.Context(), h.DB.Reader())
	if err != nil {
		return err
	}
	if res.OK {
		// A verified head is a good anchor for the next check.
		if err := WriteCheckpoint(r.Context(), h.DB.Reader()); err != nil {
			return errs.Wrap(err, "checkpoint")
		}
	}
	return httpx.JSON(w, 200, res)
}

// Export sends what the filter shows (up to maxExport rows) as XLSX.
func (h Handlers) Export(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = maxExport, 0
	items, _, err := Search(r.Context(), h.DB.Reader(), f)
	if err != nil {
		return err
	}
	en := httpx.Lang(r) == "en"
	t := report.Table{Sheet: pick(en, "操作日志", "Audit log"), Headers: headers(en)}
	for _, it := range items {
		t.Rows = append(t.Rows, []any{it.ID, it.At.In(civil.Shanghai).Format(time.DateTime), it.Username, it.UnitName,
			it.ClientAddr, it.Action, it.ObjectType, it.ObjectID, it.Before, it.After, it.Hash})
	}
	return report.ServeXLSX(w, pick(en, "操作日志", "audit-log")+"-"+civil.Of(time.Now()).String()+".xlsx", t)
}

func headers(en bool) []string {
	if en {
		return []string{"ID", "Time (UTC+8)", "User", "Unit", "Client address", "Action", "Object type", "Object ID", "Before", "After", "Hash"}
	}
	return []string{"序号", "时间", "用户", "单位", "客户端地址", "操作", "对象类型", "对象编号", "变更前", "变更后", "哈希"}
}

func pick(en bool, zh, e string) string {
	if en {
		return e
	}
	return zh
}
