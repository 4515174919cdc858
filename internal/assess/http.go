package assess

import (
	"math"
	"net/http"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/report"
)

// Handlers are the statistics' HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

func periodOf(r *http.Request) (Period, error) { return ParsePeriod(r.PathValue("period")) }

// intParam reads the statistics' integer parameters, each within its range
// (a year outside the calendar once reached the date code and panicked).
func intParam(r *http.Request, name string, def int) (int, error) {
	switch name {
	case "year":
		return httpx.QueryYear(r, name, def)
	case "quarter":
		return httpx.QueryInt(r, name, def, 1, 4)
	}
	return httpx.QueryInt(r, name, def, 0, math.MaxInt32)
}

func (h Handlers) Monthly(w http.ResponseWriter, r *http.Request) error {
	p, err := periodOf(r)
	if err != nil {
		return err
	}
	rep, err := h.S.Monthly(r.Context(), actor(r), p)
	return httpx.Send(w, rep, err)
}

func (h Handlers) MonthlyXLSX(w http.ResponseWriter, r *http.Request) error {
	p, err := periodOf(r)
	if err != nil {
		return err
	}
	rep, err := h.S.Monthly(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return report.ServeXLSX(w, "招商引资月统计-"+p.String()+".xlsx", rep.Tables()...)
}

func (h Handlers) Rows(w http.ResponseWriter, r *http.Request) error {
	p, err := periodOf(r)
	if err != nil {
		return err
	}
	unit, err := intParam(r, "unit_id", 0)
	if err != nil {
		return err
	}
	var area *int64
	if r.URL.Query().Has("area_id") {
		n, err := intParam(r, "area_id", 0)
		if err != nil {
			return err
		}
		area = new(int64)
		*area = int64(n)
	}
	rows, err := h.S.Rows(r.Context(), actor(r), p, int64(unit), r.URL.Query().Get("ytd") == "1", area)
	return httpx.SendAll(w, rows, err)
}

func (h Handlers) Close(w http.ResponseWriter, r *http.Request) error {
	p, err := periodOf(r)
	if err != nil {
		return err
	}
	rep, err := h.S.Close(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, rep)
}

// ReopenInput gives the reason for reopening.
type ReopenInput struct {
	Reason string `json:"reason"`
}

func (h Handlers) Reopen(w http.ResponseWriter, r *http.Request) error {
	p, err := periodOf(r)
	if err != nil {
		return err
	}
	var in ReopenInput
	if err := httpx.Decode(w, r, &in); err != nil {
		return err
	}
	if err := h.S.Reopen(r.Context(), actor(r), p, in.Reason); err != nil {
		return err
	}
	return httpx.NoContent(w)
}

func (h Handlers) Closes(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Closes(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) Ranking(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	quarter, err := intParam(r, "quarter", 1)
	if err != nil {
		return err
	}
	out, err := h.S.Rank(r.Context(), actor(r), year, quarter)
	return httpx.Send(w, out, err)
}

func (h Handlers) GetTargets(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	set, err := h.S.Targets(r.Context(), year)
	return httpx.Send(w, set, err)
}

func (h Handlers) PutTargets(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in TargetSet) (TargetSet, error) { return h.S.SetTargets(r.Context(), actor(r), in) })
}

func (h Handlers) GetRules(w http.ResponseWriter, r *http.Request) error {
	year, err := intParam(r, "year", h.S.today().Year())
	if err != nil {
		return err
	}
	if err := validYear(year); err != nil {
		return err
	}
	rules, err := h.S.Rules(r.Context(), year)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, RulesAnswer{Rules: rules, Notes: rules.Describe(httpx.Lang(r) == "en"), Metrics: Metrics(rules)})
}

// RulesAnswer is a year's counting rules, the same in words, and the metrics
// targets may be set for under them.
type RulesAnswer struct {
	Rules   Rules    `json:"rules"`
	Notes   []string `json:"notes"`
	Metrics []string `json:"metrics"`
}

func (h Handlers) PutRules(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in Rules) (Rules, error) { return h.S.SetRules(r.Context(), actor(r), in) })
}

func (h Handlers) progress(r *http.Request) (Report, error) {
	day, err := httpx.QueryDate(r, "as_of")
	if err != nil {
		return Report{}, err
	}
	if day.IsZero() {
		day = h.S.today()
	}
	return h.S.Progress(r.Context(), actor(r), day)
}

// Progress answers GET /api/v1/stats/progress?as_of=YYYY-MM-DD.
func (h Handlers) Progress(w http.ResponseWriter, r *http.Request) error {
	rep, err := h.progress(r)
	return httpx.Send(w, rep, err)
}

// ProgressXLSX answers GET /api/v1/stats/progress/xlsx?as_of=YYYY-MM-DD.
func (h Handlers) ProgressXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, err := h.progress(r)
	if err != nil {
		return err
	}
	return report.ServeXLSX(w, "招商引资进度-截至"+rep.AsOf+".xlsx", rep.Tables()...)
}
