package main

import (
	"context"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// TestAuditVerifyCommand runs `attract audit verify` on a database with demo
// data, then edits one audit row directly and expects the command to fail
// naming that row.
func TestAuditVerifyCommand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		t.Setenv("ATTRACT_DEMO_PASSWORD", "Demo-pass-2026")
		if err := run(ctx, "demo", []string{"--db", d.DSN}); err != nil {
			t.Fatal(err)
		}
		if err := run(ctx, "demo", []string{"--db", d.DSN}); err == nil || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("a second demo load must be refused without --force, got %v", err)
		}
		if err := run(ctx, "audit", []string{"verify", "--db", d.DSN}); err != nil {
			t.Fatalf("intact chain: %v", err)
		}
		drop := `DROP TRIGGER audit_log_no_update`
		if d.Dialect == db.Postgres {
			drop = `DROP TRIGGER audit_log_no_change ON audit_log`
		}
		if _, err := d.W.ExecContext(ctx, drop); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE audit_log SET username = 'someone' WHERE id = 10`); err != nil {
			t.Fatal(err)
		}
		err := run(ctx, "audit", []string{"verify", "--db", d.DSN})
		if err == nil || !strings.Contains(err.Error(), "row 10") {
			t.Fatalf("want the chain broken at row 10, got %v", err)
		}
	})
}

func TestUnknownCommandAndImportKind(t *testing.T) {
	if err := run(context.Background(), "frobnicate", nil); err == nil {
		t.Fatal("unknown command accepted")
	}
	if err := run(context.Background(), "import", []string{"nothing", "x.csv"}); err == nil {
		t.Fatal("unknown import kind accepted")
	}
	var _ = app.DefaultDemoPassword
}
