package assess

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Period is a calendar month.
type Period struct{ Year, Month int }

func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, p.Month) }

// First and Last are the month's first and last days.
func (p Period) First() civil.Date {
	return civil.MustParse(fmt.Sprintf("%04d-%02d-01", p.Year, p.Month))
}
func (p Period) Last() civil.Date { return p.Next().First().AddDays(-1) }

// Next is the following month.
func (p Period) Next() Period {
	if p.Month == 12 {
		return Period{p.Year + 1, 1}
	}
	return Period{p.Year, p.Month + 1}
}

// Prev is the month before.
func (p Period) Prev() Period {
	if p.Month == 1 {
		return Period{p.Year - 1, 12}
	}
	return Period{p.Year, p.Month - 1}
}

// Before reports whether p comes before o.
func (p Period) Before(o Period) bool {
	return p.Year < o.Year || (p.Year == o.Year && p.Month < o.Month)
}

// ParsePeriod reads "2025-03".
func ParsePeriod(s string) (Period, error) {
	var p Period
	// Digits where digits go, read by position: Sscanf took "2000-1A" for
	// 2000-01 (found by FuzzParsePeriod).
	digits := len(s) == 7 && s[4] == '-'
	for i := 0; digits && i < 7; i++ {
		digits = i == 4 || s[i] >= '0' && s[i] <= '9'
	}
	if digits {
		p.Year, _ = strconv.Atoi(s[:4])
		p.Month, _ = strconv.Atoi(s[5:])
	}
	if !digits || p.Month < 1 || p.Month > 12 || p.Year < 2000 || p.Year > 2100 {
		return p, errs.E(errs.Invalid, "期间格式应为 YYYY-MM", "periods are written YYYY-MM").Field("period", "格式应为 YYYY-MM", "must be YYYY-MM")
	}
	return p, nil
}

// closedRun is the contiguous run of closed months [first, last]; months
// close one after another, so one run describes them all.
type closedRun struct {
	ids         map[Period]int64
	first, last Period
}

func (c closedRun) empty() bool { return len(c.ids) == 0 }

func loadClosed(ctx context.Context, q db.Querier) (closedRun, error) {
	c := closedRun{ids: map[Period]int64{}}
	rows, err := q.QueryContext(ctx, `SELECT id, year, month FROM period_closes WHERE reopened_at IS NULL ORDER BY year, month`)
	if err != nil {
		return c, errs.Wrap(err, "closed periods")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p Period
		if err := rows.Scan(&id, &p.Year, &p.Month); err != nil {
			return c, errs.Wrap(err, "closed periods")
		}
		if c.empty() {
			c.first = p
		}
		c.ids[p], c.last = id, p
	}
	return c, errs.Wrap(rows.Err(), "closed periods")
}

// frozenCredits loads the rows a close froze.
func frozenCredits(ctx context.Context, q db.Querier, closeID int64) ([]Credit, error) {
	rows, err := q.QueryContext(ctx, `SELECT project_id, code, name, signed_on, investment, unit_id, role, count_bp, amount_e4, foreign_e4, bands, stage, note
		FROM period_rows WHERE close_id = ? ORDER BY project_id, unit_id, role`, closeID)
	if err != nil {
		return nil, errs.Wrap(err, "frozen rows")
	}
	defer rows.Close()
	var out []Credit
	for rows.Next() {
		var c Credit
		var bands string
		if err := rows.Scan(&c.ProjectID, &c.Code, &c.Name, &c.SignedOn, &c.Investment, &c.UnitID, &c.Role, &c.CountBP, &c.AmountE4, &c.ForeignE4,
			&bands, &c.Stage, &c.Note); err != nil {
			return nil, errs.Wrap(err, "scan frozen row")
		}
		if bands != "" {
			c.Bands = strings.Split(bands, ",")
		}
		out = append(out, c)
	}
	return out, errs.Wrap(rows.Err(), "frozen rows")
}

// monthCredits are the rows behind one month: frozen when it is closed;
// otherwise the projects signed in it, and — in the month right after the
// closed run — the corrections to closed months made since they closed.
func monthCredits(ctx context.Context, q source, r Rules, closed closedRun, p Period) ([]Credit, error) {
	if id, ok := closed.ids[p]; ok {
		return frozenCredits(ctx, q, id)
	}
	ps, err := q.signedBetween(ctx, p.First(), p.Last())
	if err != nil {
		return nil, err
	}
	var out []Credit
	for _, sp := range ps {
		out = append(out, credits(sp, r)...)
	}
	if !closed.empty() && p == closed.last.Next() {
		fix, err := corrections(ctx, q, r, closed)
		if err != nil {
			return nil, err
		}
		out = append(out, fix...)
	}
	return out, nil
}

// yearCredits are the rows behind every month of p's year up to p: the
// closed months' frozen rows, and the open months' from one query over
// their whole range (not one per month).
func yearCredits(ctx context.Context, q source, r Rules, closed closedRun, p Period) (map[Period][]Credit, error) {
	return monthsCredits(ctx, q, r, closed, p, 1)
}

// monthsCredits is yearCredits for the months from..p.Month of p's year.
func monthsCredits(ctx context.Context, q source, r Rules, closed closedRun, p Period, from int) (map[Period][]Credit, error) {
	out := map[Period][]Credit{}
	firstOpen := Period{}
	for m := from; m <= p.Month; m++ {
		pm := Period{p.Year, m}
		if id, ok := closed.ids[pm]; ok {
			rows, err := frozenCredits(ctx, q, id)
			if err != nil {
				return nil, err
			}
			out[pm] = rows
			continue
		}
		out[pm] = []Credit{}
		if firstOpen.Year == 0 {
			firstOpen = pm
		}
	}
	if firstOpen.Year == 0 {
		return out, nil
	}
	ps, err := q.signedBetween(ctx, firstOpen.First(), p.Last())
	if err != nil {
		return nil, err
	}
	// One array for the whole range, cut into months (the projects come by
	// signing day, so a month's credits are contiguous); each month's slice
	// is capped, so that appending to it copies rather than overwrites.
	all := make([]Credit, 0, len(ps)*3)
	bands := map[uint64][]string{}
	for i := 0; i < len(ps); {
		pm := Period{ps[i].signedOn.Year(), ps[i].signedOn.Month()}
		start := len(all)
		for ; i < len(ps) && ps[i].signedOn.Year() == pm.Year && ps[i].signedOn.Month() == pm.Month; i++ {
			all = appendCredits(all, ps[i], r, bands)
		}
		if _, open := out[pm]; open && closed.ids[pm] == 0 {
			out[pm] = all[start:len(all):len(all)]
		}
	}
	if next := closed.last.Next(); !closed.empty() && next.Year == p.Year && next.Month >= from && next.Month <= p.Month {
		fix, err := corrections(ctx, q, r, closed)
		if err != nil {
			return nil, err
		}
		out[next] = append(out[next], fix...)
	}
	return out, nil
}

// corrections compare what the closed months froze with what the same
// projects are worth now; each difference becomes a row of the next open
// month, with a note saying so.
func corrections(ctx context.Context, q source, r Rules, closed closedRun) ([]Credit, error) {
	frozen := map[string]Credit{}
	for _, id := range closed.ids {
		rows, err := frozenCredits(ctx, q, id)
		if err != nil {
			return nil, err
		}
		for _, c := range rows {
			f := frozen[c.key()]
			if f.Code == "" {
				f = c
				f.CountBP, f.AmountE4, f.ForeignE4 = 0, 0, 0
			}
			f.CountBP, f.AmountE4, f.ForeignE4 = f.CountBP+c.CountBP, f.AmountE4+c.AmountE4, f.ForeignE4+c.ForeignE4
			frozen[c.key()] = f
		}
	}
	ps, err := q.signedBetween(ctx, closed.first.First(), closed.last.Last())
	if err != nil {
		return nil, err
	}
	live := map[string]Credit{}
	for _, sp := range ps {
		for _, c := range credits(sp, r) {
			live[c.key()] = c
		}
	}
	// Projects that left the closed months (terminated, or re-dated out) count as zero now.
	var out []Credit
	for k, f := range frozen {
		if _, ok := live[k]; !ok {
			d := f
			d.CountBP, d.AmountE4, d.ForeignE4 = -f.CountBP, -f.AmountE4, -f.ForeignE4
			d.Note = "更正：关账后终止或调出，冲减 " + f.SignedOn.String()[:7] + " 已计数"
			out = append(out, d)
		}
	}
	for k, c := range live {
		f := frozen[k]
		if c.CountBP == f.CountBP && c.AmountE4 == f.AmountE4 && c.ForeignE4 == f.ForeignE4 {
			continue
		}
		d := c
		d.CountBP, d.AmountE4, d.ForeignE4 = c.CountBP-f.CountBP, c.AmountE4-f.AmountE4, c.ForeignE4-f.ForeignE4
		if f.Code == "" {
			d.Note = "更正：关账后补录，签约于 " + c.SignedOn.String()[:7]
		} else {
			d.Note = "更正：关账后数据变动，签约于 " + c.SignedOn.String()[:7]
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out, nil
}

// CloseInfo describes one close.
type CloseInfo struct {
	ID         int64      `json:"id"`
	Period     string     `json:"period"`
	ClosedAt   time.Time  `json:"closed_at"`
	ClosedBy   string     `json:"closed_by"`
	ReopenedAt *time.Time `json:"reopened_at"`
	Reason     string     `json:"reason"`
}
