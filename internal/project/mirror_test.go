package project_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/bench"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/project"
)

// TestMirrorAgreesWithSQL: for random filters, sorts and pages under every
// kind of scope, the mirror's list (ids in order, and the total) and its
// warnings are exactly what plain SQL over the table gives; after writes
// through the service and by hand, and on a second server's mirror.
func TestMirrorAgreesWithSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		today := civil.Of(time.Now())
		a, w, err := bench.Populate(ctx, d, 1500, 3000, today, 11)
		if err != nil {
			t.Fatal(err)
		}
		actors := mirrorActors(t, d, w)
		r := rand.New(rand.NewPCG(3, 5))
		agree(t, a.Project, a.Project, d, actors, r, "generated", 150)

		// Changes through the service: a tracking record, a new project.
		var ids []int64
		mustRows(t, d, `SELECT id FROM projects ORDER BY id`, func(id int64) { ids = append(ids, id) })
		zsb := actors[0]
		for _, id := range ids[:40] {
			if _, err := a.Project.Track(ctx, zsb, id, project.TrackingInput{Kind: "call", On: today, Summary: "电话回访"}); err != nil {
				t.Fatal(err)
			}
		}
		dz := w.Units["441202"]
		dzStaff := &org.Actor{Scope: org.ScopeAll, UnitID: w.Units["441202"], UserID: w.Users["dz_staff"], Perms: map[string]bool{}}
		if _, err := a.Project.Create(ctx, dzStaff, project.Input{Name: "镜像测试XM新项目", InvestorName: "镜像测试投资有限公司", Channel: "team",
			ContractInvestment: 5000_00, LocalityUnitID: &dz, ConfirmDistinct: true}); err != nil {
			t.Fatal(err)
		}
		// Changes by hand, made visible with TouchAll: stages, localities,
		// introducers (which decide scope).
		for _, id := range ids[100:400] {
			exec(t, d, `UPDATE projects SET stage = 'registered', registered_on = ?, status = 'active', locality_unit_id = ? WHERE id = ? AND signed_on IS NOT NULL`,
				today.AddMonths(-7), w.Units["441203"], id)
			exec(t, d, `DELETE FROM project_introducers WHERE project_id = ?`, id)
			exec(t, d, `INSERT INTO project_introducers (project_id, unit_id, share_bp) VALUES (?, ?, 10000)`, id, w.Units["WG-NEV"])
		}
		if err := project.TouchAll(ctx, d); err != nil {
			t.Fatal(err)
		}
		agree(t, a.Project, a.Project, d, actors, r, "after writes", 150)

		// A few rows changed by hand and stamped one by one: the mirror moves
		// each in its postings and sort orders rather than rebuilding them.
		for k, id := range ids[500:530] {
			exec(t, d, `UPDATE projects SET name = ?, contract_investment = ?, stage = ?, status = ?, is_key = ?, tags = ?, locality_unit_id = ?,
				lead_on = ?, signed_on = NULL, updated_at = ? WHERE id = ?`,
				fmt.Sprintf("移动%02d号XM项目", 29-k), int64(k%7)*1000_00, project.Stages[k%3], []string{"active", "on_hold"}[k%2], k%2 == 0,
				[]string{"", "重点", "外资,重点"}[k%3], []int64{w.Units["441202"], w.Units["441204"]}[k%2], today.AddDays(-k), time.Now().Add(time.Duration(k)*time.Hour), id)
			exec(t, d, `DELETE FROM project_introducers WHERE project_id = ?`, id)
			exec(t, d, `INSERT INTO project_introducers (project_id, unit_id, share_bp) VALUES (?, ?, 10000)`, id, []int64{w.Units["PARK-GY"], w.Units["WG-NEV"]}[k%2])
			if err := d.InTx(ctx, func(tx *db.Tx) error { return project.Reindex(ctx, tx, id, id) }); err != nil {
				t.Fatal(err)
			}
		}
		// Requests written through the service stamp their project: a new one
		// (not yet due) and overdue ones resolved leave or change warnings.
		if _, err := a.Project.AddRequest(ctx, zsb, ids[600], project.RequestInput{Title: "镜像测试诉求", Deadline: today}); err != nil {
			t.Fatal(err)
		}
		var overdue []int64
		mustRows(t, d, `SELECT id FROM project_requests WHERE status = 'open' AND deadline < CURRENT_DATE ORDER BY id LIMIT 5`, func(id int64) { overdue = append(overdue, id) })
		if len(overdue) == 0 {
			t.Fatal("no overdue request to resolve: the comparison proves nothing")
		}
		for _, id := range overdue {
			if _, err := a.Project.ResolveRequest(ctx, zsb, id, project.Resolve{Resolution: "已办结", Version: 1}); err != nil {
				t.Fatal(err)
			}
		}
		agree(t, a.Project, a.Project, d, actors, r, "after single-row writes", 150)

		// A second server on the same database builds its own mirror and
		// agrees with the first.
		agree(t, project.New(d), a.Project, d, actors, r, "second server", 40)
	})
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.W.ExecContext(context.Background(), d.Rebind(q), args...); err != nil {
		t.Fatal(err)
	}
}

func mustRows(t *testing.T, d *db.DB, q string, fn func(int64)) {
	t.Helper()
	rows, err := d.Reader().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		fn(id)
	}
}

// mirrorActors: the whole city, a working group with the units below it, a
// locality alone, a park, and one user's own projects.
func mirrorActors(t *testing.T, d *db.DB, w bench.World) []*org.Actor {
	path := func(id int64) string {
		var p string
		if err := d.Reader().QueryRowContext(context.Background(), d.Rebind(`SELECT path FROM units WHERE id = ?`), id).Scan(&p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var self int64
	if err := d.Reader().QueryRowContext(context.Background(), `SELECT created_by FROM projects WHERE created_by IS NOT NULL ORDER BY id LIMIT 1`).Scan(&self); err != nil {
		t.Fatal(err)
	}
	out := []*org.Actor{{Username: "city", UserID: w.Users["zsb_staff"], Scope: org.ScopeAll}}
	for _, c := range []struct {
		code  string
		scope org.Scope
	}{{"WG-NEV", org.ScopeUnitAndBelow}, {"441202", org.ScopeUnit}, {"PARK-GY", org.ScopeUnitAndBelow}, {"441204", org.ScopeUnitAndBelow}} {
		id := w.Units[c.code]
		out = append(out, &org.Actor{Username: "unit " + c.code, UnitID: id, UnitPath: path(id), Scope: c.scope})
	}
	return append(out, &org.Actor{Username: "self", UserID: self, Scope: org.ScopeSelf})
}

var listSorts = []string{"", "name", "-name", "signed_on", "-signed_on", "contract_investment", "-contract_investment",
	"updated_at", "-updated_at", "code", "-code", "lead_on", "-lead_on"}

// agree compares got's mirror with the SQL of oracle over n random lists
// per actor, and the warnings of each actor.
func agree(t *testing.T, got, oracle *project.Service, d *db.DB, actors []*org.Actor, r *rand.Rand, when string, n int) {
	t.Helper()
	ctx := context.Background()
	vals := filterValues(t, d)
	for _, a := range actors {
		for i := 0; i < n; i++ {
			f := randomFilter(r, vals)
			list, total, err := got.List(ctx, a, f)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]int64, len(list))
			for i, p := range list {
				ids[i] = p.ID
			}
			wantIDs, wantTotal, err := oracle.ListSQL(ctx, a, f)
			if err != nil {
				t.Fatal(err)
			}
			if total != wantTotal || !slices.Equal(ids, wantIDs) {
				t.Fatalf("%s, %s, filter %+v: mirror total %d ids %v; SQL total %d ids %v", when, a.Username, f, total, ids, wantTotal, wantIDs)
			}
			if i%10 == 0 { // the export: every match, by id, from the same selection
				var exported []int64
				if err := got.Each(ctx, a, f, func(p project.Project) error { exported = append(exported, p.ID); return nil }); err != nil {
					t.Fatal(err)
				}
				all := f
				all.Sort, all.Limit, all.Offset = "code", 1<<30, 0
				want, _, err := oracle.ListSQL(ctx, a, all)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(exported, want) {
					t.Fatalf("%s, %s, filter %+v: export %d ids, SQL %d", when, a.Username, f, len(exported), len(want))
				}
			}
		}
		ws, err := got.Warnings(ctx, a, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, w := range ws {
			keys = append(keys, w.Rule+"/"+strconv.FormatInt(w.ProjectID, 10))
		}
		want, err := oracle.WarningKeysSQL(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(keys)
		slices.Sort(want)
		if !slices.Equal(keys, want) {
			t.Fatalf("%s, %s: %d warnings in the mirror, %d by SQL", when, a.Username, len(keys), len(want))
		}
		if len(want) == 0 && a.Scope == org.ScopeAll {
			t.Fatalf("%s: no warnings city-wide: the comparison proves nothing", when)
		}
	}
}

type values struct {
	names, channels, regions, industries, tags []string
	localities, units                          []int64
}

func filterValues(t *testing.T, d *db.DB) values {
	t.Helper()
	var v values
	rows, err := d.Reader().QueryContext(context.Background(), `SELECT name, investor_name, code, channel, source_region, industry_code, tags, COALESCE(locality_unit_id, 0), owner_unit_id FROM projects`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, investor, code, channel, region, industry, tags string
		var loc, owner int64
		if err := rows.Scan(&name, &investor, &code, &channel, &region, &industry, &tags, &loc, &owner); err != nil {
			t.Fatal(err)
		}
		v.names = append(v.names, name, investor, code, strings.ToLower(code))
		v.channels, v.regions = append(v.channels, channel), append(v.regions, region)
		if len(industry) >= 2 {
			v.industries = append(v.industries, industry[:2], industry)
		}
		if tags != "" {
			v.tags = append(v.tags, strings.Split(tags, ",")...)
		}
		if loc != 0 {
			v.localities = append(v.localities, loc)
		}
		v.units = append(v.units, owner)
	}
	return v
}

func randomFilter(r *rand.Rand, v values) project.Filter {
	f := project.Filter{Sort: listSorts[r.IntN(len(listSorts))], Limit: []int{1, 20, 50}[r.IntN(3)], Offset: []int{0, 0, 20, 137}[r.IntN(4)]}
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for k := r.IntN(4); k > 0; k-- {
		switch r.IntN(12) {
		case 0, 1:
			name := []rune(pick(v.names))
			from := r.IntN(len(name))
			f.Q = string(name[from:min(len(name), from+1+r.IntN(3))])
		case 2:
			f.Stage = project.Stages[r.IntN(len(project.Stages))]
		case 3:
			f.Status = []string{"active", "on_hold", "terminated"}[r.IntN(3)]
		case 4:
			f.Channel = pick(v.channels)
		case 5:
			f.SourceRegion = pick(v.regions)
		case 6:
			f.Industry = pick(v.industries)
		case 7:
			f.Tag = pick(v.tags)
		case 8:
			f.LocalityUnitID = v.localities[r.IntN(len(v.localities))]
		case 9:
			f.UnitID = v.units[r.IntN(len(v.units))]
		case 10:
			f.KeyOnly = true
		case 11:
			y := 2019 + r.IntN(8)
			f.SignedFrom = civil.MustParse(fmt.Sprintf("%d-01-01", y))
			f.SignedTo = civil.MustParse(fmt.Sprintf("%d-%02d-28", y+r.IntN(2), 1+r.IntN(12)))
		}
	}
	return f
}
