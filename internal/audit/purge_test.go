package audit

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

func rowCount(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Nothing younger than 184 days can be purged; an older purge keeps the
// chain verifiable from its sealed mark, and removing or editing the mark
// is detected.
func TestPurgeRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		keyed(t)
		ctx := context.Background()
		write(t, d, 6)
		now := time.Now()
		for _, before := range []time.Time{now, now.Add(-183 * 24 * time.Hour)} {
			if _, err := Purge(ctx, d, before, now); err != ErrTooYoung {
				t.Errorf("purge before %s: %v, want refused", before, err)
			}
		}
		if n := rowCount(t, d); n != 6 {
			t.Fatalf("after the refused purges: %d rows", n)
		}
		// 200 days on, the six rows are old enough.
		later := now.Add(200 * 24 * time.Hour)
		n, err := Purge(ctx, d, later.Add(-Retention), later)
		if err != nil || n != 5 { // the newest old row stays: the chain's new start
			t.Fatalf("purge: %d %v", n, err)
		}
		write(t, d, 2)
		if res, err := Verify(ctx, d.Reader()); err != nil || !res.OK || res.Checked != 4 {
			t.Fatalf("after the purge: %+v %v", res, err)
		}
		// The purge left the append-only trigger in place.
		if _, err := d.W.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
			t.Fatal("the log is deletable after a purge")
		}
		asAttacker(t, d)
		if _, err := d.W.ExecContext(ctx, `UPDATE audit_log SET after_json = replace(after_json, '"rows":5', '"rows":4') WHERE action = 'audit.purge'`); err != nil {
			t.Fatal(err)
		}
		if res, _ := Verify(ctx, d.Reader()); res.OK {
			t.Error("an edited purge mark verifies")
		}
		if _, err := d.W.ExecContext(ctx, `DELETE FROM audit_log WHERE action = 'audit.purge'`); err != nil {
			t.Fatal(err)
		}
		if res, _ := Verify(ctx, d.Reader()); res.OK || !strings.Contains(res.Message, "does not link") {
			t.Errorf("the purge mark deleted: %+v", res)
		}
	})
}

// On PostgreSQL the application runs as a role that does not own
// audit_log (docs/security.md): it appends and reads, but cannot delete,
// truncate, lift the trigger or purge.
func TestNonOwnerRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if d.Dialect != db.Postgres {
			t.Skip("roles are PostgreSQL's")
		}
		ctx := context.Background()
		write(t, d, 1)
		var schema string
		if err := d.W.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		role := "attract_app_" + strings.ReplaceAll(schema, "-", "_")
		for _, s := range []string{
			`CREATE ROLE ` + role + ` NOLOGIN`,
			`GRANT USAGE ON SCHEMA ` + schema + ` TO ` + role,
			`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + schema + ` TO ` + role,
			`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ` + role,
			`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ` + schema + ` TO ` + role,
		} {
			if _, err := d.W.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		t.Cleanup(func() {
			_, _ = d.W.ExecContext(context.Background(), `DROP OWNED BY `+role)
			_, _ = d.W.ExecContext(context.Background(), `DROP ROLE `+role)
		})
		as := func(stmt string) error {
			tx, err := d.W.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, `SET LOCAL ROLE `+role); err != nil {
				t.Fatal(err)
			}
			_, err = tx.ExecContext(ctx, stmt)
			return err
		}
		if err := as(`SELECT COUNT(*) FROM audit_log`); err != nil {
			t.Fatalf("the application role cannot read: %v", err)
		}
		if err := as(fmt.Sprintf(`INSERT INTO audit_log (at, action, prev_hash, hash) VALUES (now(), 'x', '%s', 'y')`, genesis)); err != nil {
			t.Fatalf("the application role cannot append: %v", err)
		}
		for _, s := range []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`, `TRUNCATE audit_log`,
			`DELETE FROM audit_log`, `DROP TRIGGER audit_log_no_change ON audit_log`, `UPDATE audit_log SET action = 'x'`} {
			if err := as(s); err == nil {
				t.Errorf("the application role could %s", s)
			}
		}
	})
}
