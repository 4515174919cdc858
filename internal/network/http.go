package network

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Handlers are the promotion network's HTTP face.
type Handlers struct{ S *Service }

func actor(r *http.Request) *org.Actor { return org.ActorFrom(r.Context()) }

func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, errs.E(errs.Invalid, "编号无效", "invalid id").Field(name, "应为正整数", "must be a positive integer")
	}
	return n, nil
}

func (h Handlers) Advisors(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Advisors(r.Context(), actor(r), strings.TrimSpace(r.URL.Query().Get("q")))
	return httpx.SendAll(w, items, err)
}

func (h Handlers) CreateAdvisor(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in AdvisorInput) (Advisor, error) { return h.S.CreateAdvisor(r.Context(), actor(r), in) })
}

func (h Handlers) UpdateAdvisor(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in AdvisorInput) (Advisor, error) { return h.S.UpdateAdvisor(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Partners(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Partners(r.Context(), actor(r), strings.TrimSpace(r.URL.Query().Get("q")))
	return httpx.SendAll(w, items, err)
}

func (h Handlers) CreatePartner(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in PartnerInput) (Partner, error) { return h.S.CreatePartner(r.Context(), actor(r), in) })
}

func (h Handlers) UpdatePartner(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in PartnerInput) (Partner, error) { return h.S.UpdatePartner(r.Context(), actor(r), id, in) })
	})
}

// Rewards: ?from=&to= on the day the basis stage was reached.
func (h Handlers) Rewards(w http.ResponseWriter, r *http.Request) error {
	from, err := httpx.QueryDate(r, "from")
	if err != nil {
		return err
	}
	to, err := httpx.QueryDate(r, "to")
	if err != nil {
		return err
	}
	rep, err := h.S.RewardReport(r.Context(), actor(r), from, to)
	return httpx.Send(w, rep, err)
}

func (h Handlers) GetRewardRule(w http.ResponseWriter, r *http.Request) error {
	rule, err := h.S.RewardRule(r.Context())
	return httpx.Send(w, rule, err)
}

func (h Handlers) PutRewardRule(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 200, func(in RewardRule) (RewardRule, error) { return h.S.SetRewardRule(r.Context(), actor(r), in) })
}

// Items: ?q, ?region, ?enterprise_id, ?from, ?to, paged.
func (h Handlers) Items(w http.ResponseWriter, r *http.Request) error {
	page, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f := ItemFilter{Q: strings.TrimSpace(r.URL.Query().Get("q")), Region: r.URL.Query().Get("region"), Limit: page.Size, Offset: page.Offset()}
	if f.EnterpriseID, err = queryID(r, "enterprise_id"); err != nil {
		return err
	}
	if f.From, err = httpx.QueryDate(r, "from"); err != nil {
		return err
	}
	if f.To, err = httpx.QueryDate(r, "to"); err != nil {
		return err
	}
	items, total, err := h.S.Items(r.Context(), f)
	return httpx.SendList(w, items, total, err)
}

func (h Handlers) CreateItem(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in ItemInput) (Item, error) { return h.S.CreateItem(r.Context(), actor(r), in) })
}

func (h Handlers) UpdateItem(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in ItemInput) (Item, error) { return h.S.UpdateItem(r.Context(), actor(r), id, in) })
	})
}

// ImportItems takes a CSV (multipart field "file", at most 5 MB).
func (h Handlers) ImportItems(w http.ResponseWriter, r *http.Request) error {
	data, _, err := httpx.FormFile(w, r, 5<<20)
	if err != nil {
		return err
	}
	res, err := h.S.ImportCSV(r.Context(), actor(r), data)
	return httpx.Send(w, res, err)
}

// StaffList: ?unit_id, ?kind.
func (h Handlers) StaffList(w http.ResponseWriter, r *http.Request) error {
	unit, err := queryID(r, "unit_id")
	if err != nil {
		return err
	}
	items, err := h.S.StaffList(r.Context(), actor(r), unit, r.URL.Query().Get("kind"))
	return httpx.SendAll(w, items, err)
}

func (h Handlers) CreateStaff(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in StaffInput) (Staff, error) { return h.S.CreateStaff(r.Context(), actor(r), in) })
}

func (h Handlers) UpdateStaff(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in StaffInput) (Staff, error) { return h.S.UpdateStaff(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) Trainings(w http.ResponseWriter, r *http.Request) error {
	items, err := h.S.Trainings(r.Context())
	return httpx.SendAll(w, items, err)
}

func (h Handlers) CreateTraining(w http.ResponseWriter, r *http.Request) error {
	return httpx.Body(w, r, 201, func(in TrainingInput) (Training, error) { return h.S.CreateTraining(r.Context(), actor(r), in) })
}

func (h Handlers) UpdateTraining(w http.ResponseWriter, r *http.Request) error {
	return httpx.WithID(r, func(id int64) error {
		return httpx.Body(w, r, 200, func(in TrainingInput) (Training, error) { return h.S.UpdateTraining(r.Context(), actor(r), id, in) })
	})
}

func (h Handlers) contact(table string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		c, err := h.S.Contact(r.Context(), actor(r), table, id)
		if err != nil {
			return err
		}
		return httpx.JSON(w, 200, c)
	}
}

// AdvisorContact, PartnerContact and StaffContact answer a contact line in
// full (pii:read; audited).
func (h Handlers) AdvisorContact(w http.ResponseWriter, r *http.Request) error {
	return h.contact("advisors")(w, r)
}

func (h Handlers) PartnerContact(w http.ResponseWriter, r *http.Request) error {
	return h.contact("partners")(w, r)
}

func (h Handlers) StaffContact(w http.ResponseWriter, r *http.Request) error {
	return h.contact("staff_members")(w, r)
}
