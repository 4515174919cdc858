package main

import (
	"context"
	"os/exec"
	"path/filepath"
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
		backupAndRestore(t, d)
		dbtest.DropAuditGuard(t, d)
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

// backupAndRestore takes the demo database through the commands an operator
// runs: backup, restore into an empty database, check and audit verify on
// the copy, and sign-in users counted in both.
func backupAndRestore(t *testing.T, d *db.DB) {
	if d.Dialect == db.Postgres {
		if _, err := exec.LookPath("pg_dump"); err != nil {
			t.Log("pg_dump not found: the PostgreSQL backup command is not tried")
			return
		}
	}
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "demo.backup")
	if err := run(ctx, "backup", []string{file, "--db", d.DSN}); err != nil {
		t.Fatal(err)
	}
	target := dbtest.EmptyLike(t, d)
	if d.Dialect == db.SQLite {
		// The key is the deployment's, kept apart from the backup: the
		// restored copy is checked with the source's key.
		src, _, _ := strings.Cut(strings.TrimPrefix(d.DSN, "sqlite:"), "?")
		t.Setenv("ATTRACT_AUDIT_KEY_FILE", filepath.Join(filepath.Dir(src), "audit.key"))
	}
	if err := run(ctx, "restore", []string{file, "--db", target}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, "restore", []string{file, "--db", target}); err == nil {
		t.Fatal("a second restore into the same database was accepted")
	}
	for _, cmd := range []string{"check", "audit"} {
		args := []string{"--db", target}
		if cmd == "audit" {
			args = append([]string{"verify"}, args...)
		}
		if err := run(ctx, cmd, args); err != nil {
			t.Fatalf("%s on the restored copy: %v", cmd, err)
		}
	}
	r, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var users, projects int
	if err := r.Reader().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM projects)`).Scan(&users, &projects); err != nil {
		t.Fatal(err)
	}
	var wantUsers, wantProjects int
	if err := d.Reader().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM projects)`).Scan(&wantUsers, &wantProjects); err != nil {
		t.Fatal(err)
	}
	if users != wantUsers || projects != wantProjects || users < 10 {
		t.Fatalf("restored %d users and %d projects, the source has %d and %d", users, projects, wantUsers, wantProjects)
	}
}
