package bench

import (
	"context"
	"fmt"
	"github.com/zhaoqing/attract/internal/project"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// inserter gathers rows and writes them as multi-row INSERTs (well under
// both engines' limits on bound parameters).
type inserter struct {
	tx      *db.Tx
	table   string
	cols    []string
	perStmt int
	buf     []any
	rows    int
	stmt    map[int]string
}

func newInserter(tx *db.Tx, table string, cols ...string) *inserter {
	return &inserter{tx: tx, table: table, cols: cols, perStmt: max(1, 9000/len(cols)), stmt: map[int]string{}}
}

func (in *inserter) add(ctx context.Context, vals ...any) error {
	if len(vals) != len(in.cols) {
		return fmt.Errorf("bench: %s: %d values for %d columns", in.table, len(vals), len(in.cols))
	}
	in.buf = append(in.buf, vals...)
	in.rows++
	if in.rows == in.perStmt {
		return in.flush(ctx)
	}
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	q, ok := in.stmt[in.rows]
	if !ok {
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(in.cols)), ", ") + ")"
		q = "INSERT INTO " + in.table + " (" + strings.Join(in.cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(one+", ", in.rows), ", ")
		in.stmt[in.rows] = q
	}
	if _, err := in.tx.ExecContext(ctx, q, in.buf...); err != nil {
		return fmt.Errorf("bench: insert into %s: %w", in.table, err)
	}
	in.buf, in.rows = in.buf[:0], 0
	return nil
}

// column is a column of a generated row, named next to its value.
type column struct {
	name string
	val  any
}

func names(cs []column) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.name
	}
	return out
}

func values(cs []column) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.val
	}
	return out
}

// projectRow is a generated project as its row of projects.
func projectRow(p *genProject, createdAt time.Time) []column {
	d := p.dates
	return []column{{"id", p.id}, {"code", p.code}, {"name", p.name}, {"name_norm", project.NormName(p.name)},
		{"investor_name", p.investor}, {"investor_norm", project.NormInvestor(p.investor)}, {"investor_uscc", p.uscc},
		{"industry_code", p.industry}, {"chain_role", p.chain}, {"contract_investment", p.contract}, {"fixed_asset_investment", p.fixed},
		{"foreign_capital", p.foreign}, {"funds_in_place", p.funds}, {"is_foreign", p.isForeign}, {"source_region", p.region},
		{"channel", p.channel}, {"referrer", p.referrer}, {"tags", p.tags}, {"land_area_mu", p.land}, {"expected_output", p.output},
		{"expected_tax", p.tax}, {"expected_jobs", p.jobs}, {"stage", p.stage}, {"status", p.status}, {"status_reason", p.reason},
		{"lead_on", d[0]}, {"negotiating_on", d[1]}, {"signed_on", d[2]}, {"registered_on", d[3]}, {"construction_on", d[4]}, {"production_on", d[5]},
		{"owner_unit_id", p.owner}, {"locality_unit_id", db.NullID(p.locality)}, {"leader_user_id", db.NullID(p.leader)},
		{"intro_officer_user_id", db.NullID(p.introOfficer)}, {"locality_officer_user_id", db.NullID(p.locOfficer)}, {"is_key", p.isKey},
		{"handover_status", p.hoStatus}, {"handover_to_unit_id", db.NullID(p.hoTo)}, {"handover_sent_on", p.hoSent},
		{"handover_deadline", p.hoDeadline}, {"handover_decided_on", p.hoDecided}, {"last_tracking_on", p.lastTracking},
		{"created_by", db.NullID(p.createdBy)}, {"version", 1}, {"created_at", createdAt}, {"updated_at", p.updatedAt}}
}

// write inserts one chunk of projects, then what refers to them.
func (g *gen) write(ctx context.Context, tx *db.Tx, ps []*genProject, ids *idSeq, c *Counts) error {
	pi := newInserter(tx, "projects", names(projectRow(ps[0], time.Time{}))...)
	for _, p := range ps {
		if err := pi.add(ctx, values(projectRow(p, dayTime(p.dates[0], 9, g.r.IntN(480))))...); err != nil {
			return err
		}
	}
	if err := pi.flush(ctx); err != nil {
		return err
	}
	c.Projects += len(ps)
	ii := newInserter(tx, "project_introducers", "project_id", "unit_id", "share_bp")
	for _, p := range ps {
		for _, in := range p.introducers {
			if err := ii.add(ctx, p.id, in.unit, in.bp); err != nil {
				return err
			}
			c.Introducers++
		}
	}
	if err := ii.flush(ctx); err != nil {
		return err
	}
	if err := g.writeTracking(ctx, tx, ps, ids, c); err != nil {
		return err
	}
	if err := g.writeRequests(ctx, tx, ps, ids, c); err != nil {
		return err
	}
	// The derived scope and keyword tables, as the application keeps them.
	return project.Reindex(ctx, tx, ps[0].id, ps[len(ps)-1].id)
}

// writeTracking spreads each project's records between its lead and the day
// it was last worked on (which is the last record's day).
func (g *gen) writeTracking(ctx context.Context, tx *db.Tx, ps []*genProject, ids *idSeq, c *Counts) error {
	r := g.r
	ti := newInserter(tx, "tracking_records", "id", "project_id", "kind", "on_date", "summary", "next_step", "next_on", "by_user_id", "created_at")
	for _, p := range ps {
		span := p.lastActivity.DaysSince(p.dates[0])
		by := p.introOfficer
		if by == 0 {
			by = p.createdBy
		}
		for k := 0; k < p.nTracking; k++ {
			on := p.lastActivity
			if k < p.nTracking-1 {
				on = p.dates[0].AddDays(r.IntN(span + 1))
			}
			ids.tracking++
			next := nextSteps[r.IntN(len(nextSteps))]
			var nextOn civil.Date
			if next != "" {
				nextOn = on.AddDays(14 + r.IntN(30))
			}
			if err := ti.add(ctx, ids.tracking, p.id, []string{"visit", "call", "meeting"}[r.IntN(3)], on,
				trackingNotes[r.IntN(len(trackingNotes))], next, nextOn, db.NullID(by), dayTime(on, 9+r.IntN(9), r.IntN(60))); err != nil {
				return err
			}
			c.Tracking++
		}
	}
	return ti.flush(ctx)
}

// writeRequests logs enterprise requests on about one project in seven;
// most past their deadline are resolved, some are not (and warn).
func (g *gen) writeRequests(ctx context.Context, tx *db.Tx, ps []*genProject, ids *idSeq, c *Counts) error {
	r := g.r
	ri := newInserter(tx, "project_requests", "id", "project_id", "title", "detail", "owner_unit_id", "deadline", "status", "resolution",
		"resolved_on", "created_by", "version", "created_at", "updated_at")
	depts := []int64{g.w.Units["DEPT-NR"], g.w.Units["DEPT-DRC"], g.w.Units["DEPT-MIIT"]}
	for _, p := range ps {
		if r.IntN(100) >= 15 {
			continue
		}
		for k, n := 0, 1+r.IntN(3); k < n; k++ {
			on := p.dates[0].AddDays(r.IntN(p.lastActivity.DaysSince(p.dates[0]) + 1))
			deadline := on.AddDays(15 + r.IntN(105))
			owner := p.locality
			if r.IntN(3) == 0 {
				owner = depts[r.IntN(len(depts))]
			}
			status, resolution, resolved := "open", "", civil.Date{}
			if (deadline.Before(g.today) && r.IntN(100) < 85) || r.IntN(100) < 25 {
				resolved = deadline.AddDays(-r.IntN(15))
				if resolved.After(g.today) {
					resolved = g.today
				}
				if resolved.Before(on) {
					resolved = on
				}
				status, resolution = "resolved", "已协调解决"
			} else {
				c.OpenRequests++
			}
			ids.request++
			created := dayTime(on, 10, r.IntN(60))
			updated := created
			if !resolved.IsZero() {
				updated = dayTime(resolved, 16, r.IntN(60))
			}
			if err := ri.add(ctx, ids.request, p.id, requestTitles[r.IntN(len(requestTitles))], "", db.NullID(owner), deadline, status, resolution,
				resolved, db.NullID(p.createdBy), 1, created, updated); err != nil {
				return err
			}
			c.Requests++
		}
	}
	return ri.flush(ctx)
}
