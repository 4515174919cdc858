package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/backup"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

// openDB parses the common flags and opens the database without migrating
// or setting anything up: for the commands that read a live database. The
// audit key is loaded (never created) so that what they verify or append is
// sealed like the server's own rows.
func openDB(ctx context.Context, name string, args []string) (*db.DB, []string, app.Config, error) {
	cfg, pos, err := parse(name, args, nil)
	if err != nil {
		return nil, nil, cfg, err
	}
	if err := audit.Configure(cfg.AuditKeyFile, cfg.AuditCheckpoint, false); err != nil {
		return nil, nil, cfg, err
	}
	if err := pii.Configure(cfg.PIIKeyFile, false); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, cfg, err
	}
	d, err := db.Open(ctx, cfg.DB)
	return d, pos, cfg, err
}

// backupCmd: attract backup FILE — a consistent copy while servers run.
func backupCmd(ctx context.Context, args []string) error {
	d, pos, _, err := openDB(ctx, "backup", args)
	if err != nil {
		return err
	}
	defer d.Close()
	if len(pos) != 1 {
		return errors.New("usage: attract backup FILE [--db DSN]")
	}
	m, err := backup.Backup(ctx, d, pos[0])
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Printf("backup written to %s: %d tables, %d rows, schema version %d, audit chain up to row %d (%.16s…)\n",
		pos[0], len(m.Tables), m.Rows(), m.SchemaVersion, m.AuditHead.ID, m.AuditHead.Hash)
	if !m.AuditOK {
		return fmt.Errorf("the audit chain of the database is broken (%s): the backup keeps it as evidence, restore will refuse it", m.AuditMessage)
	}
	return nil
}

// restoreCmd: attract restore FILE — into an empty database, checked.
func restoreCmd(ctx context.Context, args []string) error {
	cfg, pos, err := parse("restore", args, nil)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: attract restore FILE [--db DSN of an empty database]")
	}
	// The copy is checked with the deployment's audit key, but against the
	// head in its own manifest rather than the live checkpoint file, which
	// names rows written after the backup was taken.
	if err := audit.Configure(cfg.AuditKeyFile, "", false); err != nil {
		return fmt.Errorf("%w (the audit key is kept apart from backups: put the deployment's key there or set ATTRACT_AUDIT_KEY_FILE)", err)
	}
	m, err := backup.Restore(ctx, cfg.DB, pos[0])
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Printf("restored %s into %s: integrity ok, audit chain intact up to row %d (%.16s…), %d tables and %d rows as in the backup of %s\n",
		pos[0], db.Redact(cfg.DB), m.AuditHead.ID, m.AuditHead.Hash, len(m.Tables), m.Rows(), m.TakenAt.Format("2006-01-02 15:04:05 UTC"))
	return nil
}

// checkCmd: attract check — the full integrity check, on demand.
func checkCmd(ctx context.Context, args []string) error {
	d, _, cfg, err := openDB(ctx, "check", args)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Check(ctx, db.Full); err != nil {
		return err
	}
	applied, known, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%s: integrity ok; schema version %d (this attract: %d)\n", db.Redact(cfg.DB), applied, known)
	return nil
}

// auditPurgeCmd: attract audit purge YYYY-MM-DD — the rows written before
// the date, refused unless it is at least 184 days ago; run as the owner
// of audit_log.
func auditPurgeCmd(ctx context.Context, args []string) error {
	d, pos, _, err := openDB(ctx, "audit purge", args)
	if err != nil {
		return err
	}
	defer d.Close()
	if len(pos) != 1 {
		return errors.New("usage: attract audit purge YYYY-MM-DD [--db DSN of the table's owner]")
	}
	before, err := time.ParseInLocation("2006-01-02", pos[0], time.UTC)
	if err != nil {
		return fmt.Errorf("audit purge: the date is YYYY-MM-DD, got %q", pos[0])
	}
	n, err := audit.Purge(ctx, d, before, time.Now())
	if err != nil {
		return fmt.Errorf("audit purge: %w", err)
	}
	fmt.Printf("removed %d audit rows written before %s (the newest of them stays as the chain's start)\n", n, pos[0])
	return audit.WriteCheckpoint(ctx, d.Reader())
}
