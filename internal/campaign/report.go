package campaign

import (
	"context"
	"database/sql"
	"sort"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// Groupings of the comparison report.
var Groupings = []string{"channel", "campaign", "source_region", "office"}

// ReportRow is one channel, campaign, source region or office away.
type ReportRow struct {
	Key  string `json:"key"`  // dictionary code, or the campaign's / office's id ("" for none)
	Name string `json:"name"` // the campaign's or office's name; dictionary groups are labelled by the client
	Funnel
	SigningRate money.Cents  `json:"signing_rate"` // percent of leads that signed, two decimals
	LandingRate money.Cents  `json:"landing_rate"` // percent of leads that landed
	Spend       *money.Cents `json:"spend"`        // campaigns only, where known
	CostPerYi   *money.Cents `json:"cost_per_yi"`  // spend in 万元 per 亿元 signed, where spend is known
}

// Report compares groups by what their leads became.
type Report struct {
	By    string      `json:"by"`
	From  civil.Date  `json:"from"`
	To    civil.Date  `json:"to"`
	Rows  []ReportRow `json:"rows"`
	Total ReportRow   `json:"total"`
}

// ReportQuery is what the report is asked for: leads whose lead date lies
// in [From, To] (either may be open).
type ReportQuery struct {
	By       string
	From, To civil.Date
}

// groupSQL: the key expression and extra join of each grouping.
var groupSQL = map[string]struct{ key, join string }{
	"channel":       {"p.channel", ""},
	"source_region": {"p.source_region", ""},
	"campaign":      {"COALESCE(CAST(p.campaign_id AS TEXT), '')", ""},
	"office": {"CAST(ou.id AS TEXT)", ` JOIN project_introducers opi ON opi.project_id = p.id
		JOIN units ou ON ou.id = opi.unit_id AND ou.kind = 'office_away'`},
}

// Report counts the projects in the caller's scope by grouping.
func (s *Service) Report(ctx context.Context, a *org.Actor, rq ReportQuery) (Report, error) {
	g, ok := groupSQL[rq.By]
	if !ok {
		return Report{}, errs.E(errs.Invalid, "不支持的分组", "unsupported grouping").Field("by", "应为 channel、campaign、source_region 或 office", "channel, campaign, source_region or office")
	}
	q := s.DB.Reader()
	cond, args := project.ScopeSQL(a)
	var w db.Where
	w.Add(project.NotMergedSQL)
	w.Add(cond, args...)
	if !rq.From.IsZero() {
		w.Add("p.lead_on >= ?", rq.From)
	}
	if !rq.To.IsZero() {
		w.Add("p.lead_on <= ?", rq.To)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+g.key+`, `+stageSums+` FROM projects p`+g.join+w.SQL()+` GROUP BY `+g.key, w.Args()...)
	if err != nil {
		return Report{}, errs.Wrap(err, "channel report")
	}
	defer rows.Close()
	out := Report{By: rq.By, From: rq.From, To: rq.To, Rows: []ReportRow{}}
	for rows.Next() {
		var r ReportRow
		if err := rows.Scan(scanFunnel([]any{&r.Key}, &r.Funnel)...); err != nil {
			return Report{}, errs.Wrap(err, "scan channel report")
		}
		out.Rows = append(out.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return Report{}, errs.Wrap(err, "channel report")
	}
	if err := s.name(ctx, q, &out, rq); err != nil {
		return Report{}, err
	}
	out.Total = total(out.Rows)
	if rq.By == "office" { // a project brought by two offices counts once in the total
		tw := w
		tw.Add(`p.id IN (SELECT opi.project_id FROM project_introducers opi JOIN units ou ON ou.id = opi.unit_id AND ou.kind = 'office_away')`)
		var f Funnel
		if err := q.QueryRowContext(ctx, `SELECT `+stageSums+` FROM projects p`+tw.SQL(), tw.Args()...).Scan(scanFunnel(nil, &f)...); err != nil {
			return Report{}, errs.Wrap(err, "office total")
		}
		out.Total = ReportRow{Funnel: f}
	}
	for i := range out.Rows {
		rates(&out.Rows[i])
	}
	rates(&out.Total)
	sort.SliceStable(out.Rows, func(i, j int) bool {
		if out.Rows[i].Leads.Count != out.Rows[j].Leads.Count {
			return out.Rows[i].Leads.Count > out.Rows[j].Leads.Count
		}
		return out.Rows[i].Key < out.Rows[j].Key
	})
	return out, nil
}

// name gives campaign and office rows their names (and campaigns their
// spend); campaigns of the period without a lead yet get a row of zeros.
func (s *Service) name(ctx context.Context, q db.Querier, out *Report, rq ReportQuery) error {
	switch rq.By {
	case "office":
		rows, err := q.QueryContext(ctx, `SELECT CAST(id AS TEXT), name FROM units WHERE kind = 'office_away'`)
		if err != nil {
			return errs.Wrap(err, "office names")
		}
		return nameRows(rows, out)
	case "campaign":
		var w db.Where
		if !rq.From.IsZero() {
			w.Add("ends_on >= ?", rq.From)
		}
		if !rq.To.IsZero() {
			w.Add("starts_on <= ?", rq.To)
		}
		seen := map[string]int{}
		for i, r := range out.Rows {
			seen[r.Key] = i
		}
		rows, err := q.QueryContext(ctx, `SELECT CAST(id AS TEXT), name, spend, CASE WHEN `+dateCond(w)+` THEN 1 ELSE 0 END FROM campaigns`, w.Args()...)
		if err != nil {
			return errs.Wrap(err, "campaign names")
		}
		defer rows.Close()
		for rows.Next() {
			var key, name string
			var spend *money.Cents
			var inPeriod bool
			if err := rows.Scan(&key, &name, &spend, &inPeriod); err != nil {
				return errs.Wrap(err, "scan campaign name")
			}
			i, ok := seen[key]
			if !ok {
				if !inPeriod {
					continue
				}
				out.Rows = append(out.Rows, ReportRow{Key: key})
				i = len(out.Rows) - 1
			}
			out.Rows[i].Name, out.Rows[i].Spend = name, spend
		}
		return errs.Wrap(rows.Err(), "campaign names")
	}
	return nil
}

func dateCond(w db.Where) string {
	if s := w.SQL(); s != "" {
		return s[len(" WHERE "):]
	}
	return "1=1"
}

func nameRows(rows *sql.Rows, out *Report) error {
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var k, n string
		if err := rows.Scan(&k, &n); err != nil {
			return errs.Wrap(err, "scan name")
		}
		names[k] = n
	}
	for i := range out.Rows {
		out.Rows[i].Name = names[out.Rows[i].Key]
	}
	return errs.Wrap(rows.Err(), "names")
}

func total(rows []ReportRow) ReportRow {
	var t ReportRow
	var spend, spentSigned money.Cents
	known := false
	for _, r := range rows {
		for _, p := range [][2]*Stage{{&t.Leads, &r.Leads}, {&t.Negotiating, &r.Negotiating}, {&t.Signed, &r.Signed}, {&t.Landed, &r.Landed}} {
			p[0].Count += p[1].Count
			p[0].Amount += p[1].Amount
		}
		if r.Spend != nil {
			known = true
			spend += *r.Spend
			spentSigned += r.Signed.Amount
		}
	}
	if known {
		t.Spend = &spend
		t.CostPerYi = costPerYi(spend, spentSigned)
	}
	return t
}

// rates fills the conversion rates and, where spend is known, the cost per
// 亿元 signed.
func rates(r *ReportRow) {
	if r.Leads.Count > 0 {
		r.SigningRate = money.Cents(int64(r.Signed.Count) * 100_00 / int64(r.Leads.Count))
		r.LandingRate = money.Cents(int64(r.Landed.Count) * 100_00 / int64(r.Leads.Count))
	}
	if r.Spend != nil && r.CostPerYi == nil {
		r.CostPerYi = costPerYi(*r.Spend, r.Signed.Amount)
	}
}

// costPerYi is spend (万元) per 亿元 (10,000 万元) signed, rounded down to
// the hundredth; nil when nothing signed.
func costPerYi(spend, signed money.Cents) *money.Cents {
	if signed <= 0 {
		return nil
	}
	// spend and signed are both hundredths: their ratio × 10,000 is 万元 per
	// 亿元; one more × 100 keeps two decimals.
	c := money.Cents(int64(spend) * 1_000_000 / int64(signed))
	return &c
}
