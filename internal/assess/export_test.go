package assess

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/project"
)

// ComputeBoth computes an open month's report twice: from SQL, as closing
// the month does, and from the project mirror, as every figure shown does.
func (s *Service) ComputeBoth(ctx context.Context, p Period) (viaSQL, viaMirror Report, err error) {
	if viaSQL, _, err = s.compute(ctx, sqlSource{s.DB.Reader()}, p); err != nil {
		return
	}
	viaMirror, _, err = s.compute(ctx, s.reader(), p)
	return
}

// CockpitPartsBoth fills the cockpit's funnel, big projects, breakdowns and
// conversion rates from the mirror and from SQL.
func (s *Service) CockpitPartsBoth(ctx context.Context, a *org.Actor, year int) (viaSQL, viaMirror Cockpit, err error) {
	if err = s.cockpitProjectsSQL(ctx, a, &viaSQL, year); err != nil {
		return
	}
	if err = s.cockpitProjects(ctx, a, &viaMirror, year); err != nil {
		return
	}
	today := s.today()
	var l1, n1, l2, n2 *Ratio
	var h1, h2 int
	if l1, n1, h1, err = ratesSQL(ctx, s.DB.Reader(), today); err != nil {
		return
	}
	if l2, n2, h2, err = s.rates(ctx, today); err != nil {
		return
	}
	viaSQL.Forecast = Forecast{LeadRate: l1.Percent(), NegotiateRate: n1.Percent(), HistoryBasis: h1}
	viaMirror.Forecast = Forecast{LeadRate: l2.Percent(), NegotiateRate: n2.Percent(), HistoryBasis: h2}
	return
}

// cockpitProjectsSQL is cockpitProjects as aggregate queries over the
// projects in the actor's scope: the oracle the mirror is held against.
func (s *Service) cockpitProjectsSQL(ctx context.Context, a *org.Actor, c *Cockpit, year int) error {
	q := s.DB.Reader()
	cond, args := project.ScopeSQL(a)
	first, last := Period{year, 1}.First(), Period{year, 12}.Last()
	stages := map[string]int{}
	if err := eachRow(ctx, q, `SELECT p.stage, COUNT(*) FROM projects p WHERE p.status = 'active' AND `+cond+` GROUP BY p.stage`, args,
		func(sc func(...any) error) error {
			var st string
			var n int
			err := sc(&st, &n)
			stages[st] = n
			return err
		}); err != nil {
		return err
	}
	for _, st := range project.Stages {
		c.Funnel = append(c.Funnel, StageCount{st, stages[st], funnelQuery(st)})
	}
	signed := ` FROM projects p LEFT JOIN units lu ON lu.id = p.locality_unit_id
		WHERE p.status = 'active' AND p.signed_on >= ? AND p.signed_on <= ? AND ` + cond
	sargs := append([]any{first, last}, args...)
	if err := eachRow(ctx, q, `SELECT p.id, p.code, p.name, p.contract_investment, p.signed_on, COALESCE(lu.name, ''), p.stage`+signed+
		` ORDER BY p.contract_investment DESC, p.id LIMIT 10`, sargs, func(sc func(...any) error) error {
		var b BigProject
		var amount money.Cents
		var on civil.Date
		err := sc(&b.ID, &b.Code, &b.Name, &amount, &on, &b.Locality, &b.Stage)
		b.Amount, b.SignedOn = amount.String(), on.String()
		c.Big = append(c.Big, b)
		return err
	}); err != nil {
		return err
	}
	for _, part := range []struct {
		col string
		dst *[]Slice
	}{{"p.source_region", &c.Regions}, {"p.channel", &c.Channels}} {
		field := strings.TrimPrefix(part.col, "p.")
		*part.dst = []Slice{}
		err := eachRow(ctx, q, `SELECT `+part.col+`, COUNT(*), CAST(SUM(p.contract_investment) AS BIGINT)`+signed+` GROUP BY `+part.col+
			` ORDER BY 3 DESC, 1`, sargs, func(sc func(...any) error) error {
			var sl Slice
			var cents int64
			err := sc(&sl.Code, &sl.Count, &cents)
			sl.Amount, sl.Query = money.Cents(cents).String(), signedQuery(year, field, sl.Code)
			*part.dst = append(*part.dst, sl)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ratesSQL are the conversion rates by SQL: of the projects registered at
// least half a year ago, how many leads and how many negotiations signed.
func ratesSQL(ctx context.Context, q db.Querier, today civil.Date) (lead, neg *Ratio, n int, err error) {
	var total, signed, negotiated, negSigned int64
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(signed_on), COUNT(negotiating_on),
		COUNT(CASE WHEN negotiating_on IS NOT NULL AND signed_on IS NOT NULL THEN 1 END)
		FROM projects WHERE lead_on <= ? AND merged_into_id IS NULL`, today.AddDays(-183)).Scan(&total, &signed, &negotiated, &negSigned)
	if err != nil {
		return nil, nil, 0, errs.Wrap(err, "conversion rates")
	}
	return ratio(signed, total), ratio(negSigned, negotiated), int(total), nil
}
