package backup

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// snapshotSQLite copies the live database with VACUUM INTO: one read
// transaction, so the copy is the database as of one commit, made while
// writers go on (WAL lets them) and finishing whatever they do — unlike the
// backup API, which restarts whenever another connection writes. It runs on
// a connection of its own: the server's readers are query_only, and its one
// writer connection must stay free for writes.
func snapshotSQLite(ctx context.Context, dsn, copyPath string) error {
	path := strings.TrimPrefix(dsn, "sqlite:")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	c, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	if _, err := c.ExecContext(ctx, `VACUUM INTO '`+strings.ReplaceAll(copyPath, "'", "''")+`'`); err != nil {
		return fmt.Errorf("sqlite: VACUUM INTO: %w", err)
	}
	f, err := os.OpenFile(copyPath, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// backupSQLite makes the copy, then checks and describes the copy itself,
// so that the manifest is the copy's, whatever was written since.
func backupSQLite(ctx context.Context, dsn, file string) (Manifest, error) {
	tmp := file + ".db-partial"
	os.Remove(tmp)
	defer os.Remove(tmp)
	if err := snapshotSQLite(ctx, dsn, tmp); err != nil {
		return Manifest{}, err
	}
	m, err := inspect(ctx, "sqlite:"+tmp)
	if err != nil {
		return m, fmt.Errorf("the copy: %w", err)
	}
	return m, writeArchive(file, m, tmp)
}

// restoreSQLite writes the copy beside the target, checks it there and
// only then gives it the target's name.
func restoreSQLite(ctx context.Context, target, file string) (Manifest, error) {
	path := strings.TrimPrefix(target, "sqlite:")
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(p); err == nil && (st.Size() > 0 || p != path) {
			return Manifest{}, fmt.Errorf("%s already exists: restore writes only a new database (move the old one away first)", p)
		}
	}
	tmp := path + ".restoring"
	os.Remove(tmp)
	defer os.Remove(tmp)
	if err := os.MkdirAll(dirOf(path), 0o750); err != nil {
		return Manifest{}, err
	}
	want, err := readArchive(file, tmp)
	if err != nil {
		return want, err
	}
	if err := accept(want, file, db.SQLite); err != nil {
		return want, err
	}
	if err := verify(ctx, "sqlite:"+tmp, want); err != nil {
		return want, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return want, err
	}
	return want, syncDir(dirOf(path))
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		return path[:i]
	}
	return "."
}

// inspect opens a database, checks it in full and describes it; a broken
// audit chain is recorded, not refused (a copy of a tampered database is
// still the evidence).
func inspect(ctx context.Context, dsn string) (Manifest, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return Manifest{}, err
	}
	defer d.Close()
	if err := d.Check(ctx, db.Full); err != nil {
		return Manifest{}, err
	}
	return describeDB(ctx, d.Reader(), d.Dialect)
}

// describeDB is describe plus the audit chain's verification.
func describeDB(ctx context.Context, q db.Querier, d db.Dialect) (Manifest, error) {
	m, err := describe(ctx, q, d)
	if err != nil {
		return m, err
	}
	res, err := verifyChain(ctx, q)
	if err != nil {
		return m, err
	}
	m.AuditOK, m.AuditMessage = res.OK, res.Message
	return m, nil
}

// verify checks a restored database against the manifest: integrity, the
// audit chain, its head, every table's rows.
func verify(ctx context.Context, dsn string, want Manifest) error {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Check(ctx, db.Full); err != nil {
		return fmt.Errorf("restored database: %w", err)
	}
	if _, known, err := d.SchemaVersion(ctx); err != nil {
		return err
	} else if want.SchemaVersion > known {
		return fmt.Errorf("the backup's schema is version %d, this attract knows up to %d: restore it with the attract that made it, or a newer one", want.SchemaVersion, known)
	}
	got, err := describeDB(ctx, d.Reader(), d.Dialect)
	if err != nil {
		return err
	}
	if !got.AuditOK {
		return fmt.Errorf("restored database: audit chain broken: %s", got.AuditMessage)
	}
	if err := compare(want, got); err != nil {
		return fmt.Errorf("restored database does not match the backup: %w", err)
	}
	return nil
}
