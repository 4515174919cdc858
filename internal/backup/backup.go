package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// Now is the clock of backup times; tests may replace it.
var Now = time.Now

// Backup writes a consistent copy of the open database d to file, which
// must not exist yet, while d goes on serving. A copy whose audit chain does
// not verify is still written (it is the evidence) and its manifest says so;
// restore refuses it.
func Backup(ctx context.Context, d *db.DB, file string) (Manifest, error) {
	if _, err := os.Stat(file); err == nil {
		return Manifest{}, fmt.Errorf("%s already exists; a backup never overwrites a file", file)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return Manifest{}, err
	}
	var m Manifest
	var err error
	if d.Dialect == db.Postgres {
		m, err = backupPostgres(ctx, d, file)
	} else {
		m, err = backupSQLite(ctx, d.DSN, file)
	}
	if err != nil {
		return m, err
	}
	record(ctx, d, file, m)
	return m, nil
}

// record writes the backup into the audit chain (who took all the data,
// and up to which row of the chain). The backup stands if the live database
// can no longer be written; the caller's log says so.
func record(ctx context.Context, d *db.DB, file string, m Manifest) {
	err := d.InTx(ctx, func(tx *db.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{
			Who:    audit.Who{Username: "system", ClientAddr: "cli"},
			Action: "system.backup", ObjectType: "backup", ObjectID: filepath.Base(file),
			After: map[string]any{"file": file, "audit_head_id": m.AuditHead.ID, "audit_head_hash": m.AuditHead.Hash,
				"tables": len(m.Tables), "rows": m.Rows(), "audit_ok": m.AuditOK},
		})
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "attract: backup written, but not recorded in the audit log: %v\n", err)
	}
}

// Restore writes the backup in file into the empty database target (a DSN)
// and checks it — integrity, the audit chain and its head, every table's row
// count and checksum — before it returns without error.
func Restore(ctx context.Context, target, file string) (Manifest, error) {
	if _, err := os.Stat(file); err != nil {
		return Manifest{}, err
	}
	var m Manifest
	var err error
	switch dialectOf(target) {
	case db.Postgres:
		m, err = restorePostgres(ctx, target, file)
	case db.SQLite:
		m, err = restoreSQLite(ctx, target, file)
	default:
		return m, fmt.Errorf("unknown database %q: use sqlite:PATH or postgres://…", db.Redact(target))
	}
	return m, err
}

// accept refuses, before anything is written, a backup of the other
// dialect or one whose audit chain was broken when it was taken.
func accept(m Manifest, file string, d db.Dialect) error {
	if m.Dialect != d {
		return fmt.Errorf("%s is a %s backup; restore it into a %s database", file, m.Dialect, m.Dialect)
	}
	if !m.AuditOK {
		return fmt.Errorf("the backup's audit chain was already broken when it was taken (%s): it is kept as evidence, not restored", m.AuditMessage)
	}
	return nil
}

func dialectOf(dsn string) db.Dialect {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return db.SQLite
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return db.Postgres
	}
	return ""
}

// verifyChain is `attract audit verify` over q.
func verifyChain(ctx context.Context, q db.Querier) (audit.VerifyResult, error) {
	return audit.Verify(ctx, q)
}
