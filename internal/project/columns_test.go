package project_test

import (
	"context"
	"reflect"
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

// notStored are the Input's fields that are instructions, not facts.
var notStored = map[string]bool{"confirm_distinct": true, "distinct_reason": true, "version": true, "introducers": true}

// TestEveryInputFieldRoundTrips: an input with every field set is
// registered, then written as a ledger row (multi-row INSERT on SQLite,
// COPY on PostgreSQL), and each project read back shows every field as
// sent. A field added to Input fails here until it is given a value below
// and a column in columns.go.
func TestEveryInputFieldRoundTrips(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		today := civil.Of(time.Now())
		a, w, err := bench.Populate(ctx, d, 0, 0, today, 1)
		if err != nil {
			t.Fatal(err)
		}
		root, dz := w.Units[""], w.Units["441202"]
		leader, officer, dzStaff := w.Users["leader"], w.Users["zsb_leader"], w.Users["dz_staff"]
		var campaign, advisor, partner int64
		now := time.Now().UTC()
		for _, c := range []struct {
			dst *int64
			sql string
			arg []any
		}{
			{&campaign, `INSERT INTO campaigns (name, kind, starts_on, ends_on, organiser_unit_id, created_at, updated_at) VALUES ('深圳推介会', 'promotion', '2025-01-01', '2025-01-02', ?, ?, ?) RETURNING id`, []any{root, now, now}},
			{&advisor, `INSERT INTO advisors (name, kind, appointed_on, term_ends_on, created_at, updated_at) VALUES ('陈顾问', 'expert', '2025-01-01', '2027-12-31', ?, ?) RETURNING id`, []any{now, now}},
			{&partner, `INSERT INTO partners (name, kind, created_at, updated_at) VALUES ('某商会', 'association', ?, ?) RETURNING id`, []any{now, now}},
		} {
			if err := d.W.QueryRowContext(ctx, d.Rebind(c.sql), c.arg...).Scan(c.dst); err != nil {
				t.Fatal(err)
			}
		}
		lead := today.AddDays(-30)
		in := project.Input{Name: "往返测试新能源电池项目", InvestorName: "往返测试投资有限公司", InvestorUSCC: "91440300192317458F",
			IndustryCode: "3841", ChainRole: "fill", ContractInvestment: 12345_67, FixedAssetInvestment: 2345_78, ForeignCapital: 345_89,
			FundsInPlace: 456_12, IsForeign: true, SourceRegion: "shenzhen", Channel: "hometown", Referrer: "李介绍",
			Tags: []string{"high_tech", "talent"}, LandAreaMu: 88_50, ExpectedOutput: 56789_01, ExpectedTax: 678_23, ExpectedJobs: 321,
			LocalityUnitID: &dz, Introducers: []project.IntroducerInput{{UnitID: root, Share: 60_00}, {UnitID: dz, Share: 40_00}},
			LeaderUserID: &leader, IntroOfficerID: &officer, LocalityOfficerID: &dzStaff, IsKey: true,
			CampaignID: &campaign, ReferrerAdvisorID: &advisor, ReferrerPartnerID: &partner,
			LeadOn: lead, ExpectedSignOn: lead.AddDays(90), ConfirmDistinct: true, DistinctReason: "测试", Version: 1}
		iv := reflect.ValueOf(in)
		for i := 0; i < iv.NumField(); i++ {
			if iv.Field(i).IsZero() {
				t.Fatalf("the round trip leaves Input.%s unset: give it a value", iv.Type().Field(i).Name)
			}
		}
		actor := &org.Actor{Scope: org.ScopeAll, UnitID: root, UserID: officer, Perms: map[string]bool{}}
		created, err := a.Project.Create(ctx, actor, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Project.Get(ctx, actor, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameFacts(t, "created", in, got)

		imported := in
		imported.Name, imported.InvestorName = "往返导入光伏组件项目", "往返导入光伏科技有限公司"
		n, err := a.Project.WriteLedgerInputs(ctx, actor, []project.Input{imported}, "negotiating")
		if err != nil || n != 1 {
			t.Fatalf("ledger write: %d, %v", n, err)
		}
		var id int64
		if err := d.W.QueryRowContext(ctx, d.Rebind(`SELECT id FROM projects WHERE name = ?`), imported.Name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		got, err = a.Project.Get(ctx, actor, id)
		if err != nil {
			t.Fatal(err)
		}
		sameFacts(t, "imported", imported, got)
		if got.Stage != "negotiating" || got.NegotiatingOn != lead.AddDays(1) || got.OwnerUnitID != root || got.CreatedByName == "" {
			t.Errorf("imported: stage %s on %s, owner %d, by %q", got.Stage, got.NegotiatingOn, got.OwnerUnitID, got.CreatedByName)
		}
	})
}

// sameFacts compares every stored Input field with the Project field of
// the same JSON name.
func sameFacts(t *testing.T, what string, in project.Input, p project.Project) {
	t.Helper()
	pv := reflect.ValueOf(p)
	byName := map[string]reflect.Value{}
	for i := 0; i < pv.NumField(); i++ {
		byName[strings.Split(pv.Type().Field(i).Tag.Get("json"), ",")[0]] = pv.Field(i)
	}
	iv := reflect.ValueOf(in)
	for i := 0; i < iv.NumField(); i++ {
		name := strings.Split(iv.Type().Field(i).Tag.Get("json"), ",")[0]
		if notStored[name] {
			continue
		}
		out, ok := byName[name]
		if !ok {
			t.Errorf("%s: Project has no field %q", what, name)
			continue
		}
		if want, got := iv.Field(i).Interface(), out.Interface(); !reflect.DeepEqual(want, got) {
			t.Errorf("%s: %s = %v, sent %v", what, name, show(got), show(want))
		}
	}
	var shares []project.IntroducerInput
	for _, x := range p.Introducers {
		shares = append(shares, project.IntroducerInput{UnitID: x.UnitID, Share: x.Share})
	}
	if !reflect.DeepEqual(shares, in.Introducers) {
		t.Errorf("%s: introducers %v, sent %v", what, shares, in.Introducers)
	}
}

func show(v any) any {
	if p, ok := v.(*int64); ok && p != nil {
		return *p
	}
	return v
}
