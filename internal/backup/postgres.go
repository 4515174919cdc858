package backup

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// PgDump and PgRestore are the programs driven (PostgreSQL's client tools,
// at least as new as the server).
var (
	PgDump    = "pg_dump"
	PgRestore = "pg_restore"
)

// backupPostgres holds one repeatable-read transaction open, exports its
// snapshot, describes the database in it and has pg_dump dump exactly that
// snapshot: the manifest and the data are the same moment.
func backupPostgres(ctx context.Context, d *db.DB, file string) (Manifest, error) {
	conn, env, schema, err := libpq(d.DSN)
	if err != nil {
		return Manifest{}, err
	}
	tx, err := d.R.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return Manifest{}, fmt.Errorf("postgres: begin snapshot: %w", err)
	}
	defer tx.Rollback()
	var snap string
	if err := tx.QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&snap); err != nil {
		return Manifest{}, fmt.Errorf("postgres: export snapshot: %w", err)
	}
	m, err := describeDB(ctx, snapshot{tx}, db.Postgres)
	if err != nil {
		return m, err
	}
	m.Schema = schema
	tmp := file + ".dump-partial"
	os.Remove(tmp)
	defer os.Remove(tmp)
	if err := runTool(ctx, env, PgDump, "--snapshot="+snap, "--format=custom", "--compress=0", "--no-owner",
		"--schema="+schema, "--file="+tmp, "--dbname="+conn); err != nil {
		return m, err
	}
	return m, writeArchive(file, m, tmp)
}

// restorePostgres restores into a schema that holds no table yet, in one
// transaction, then checks the result against the manifest.
func restorePostgres(ctx context.Context, target, file string) (Manifest, error) {
	conn, env, schema, err := libpq(target)
	if err != nil {
		return Manifest{}, err
	}
	d, err := db.Open(ctx, target)
	if err != nil {
		return Manifest{}, err
	}
	defer d.Close()
	var tables int
	var exists bool
	if err := d.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
		(SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1)`, schema).Scan(&exists, &tables); err != nil {
		return Manifest{}, fmt.Errorf("postgres: %w", err)
	}
	if tables > 0 {
		return Manifest{}, fmt.Errorf("schema %s of the target database holds %d tables: restore writes only into an empty database", schema, tables)
	}
	tmp, err := os.CreateTemp("", "attract-restore-*.pgdump")
	if err != nil {
		return Manifest{}, err
	}
	tmp.Close()
	os.Remove(tmp.Name())
	defer os.Remove(tmp.Name())
	want, err := readArchive(file, tmp.Name())
	if err != nil {
		return want, err
	}
	if err := accept(want, file, db.Postgres); err != nil {
		return want, err
	}
	if want.Schema != schema {
		return want, fmt.Errorf("the backup holds schema %s, the target's search_path is %s: restore into a database whose schema %s is empty", want.Schema, schema, want.Schema)
	}
	list, err := restoreList(ctx, env, tmp.Name(), schema, exists)
	if err != nil {
		return want, err
	}
	defer os.Remove(list)
	if err := runTool(ctx, env, PgRestore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
		"--use-list="+list, "--dbname="+conn, tmp.Name()); err != nil {
		return want, err
	}
	if err := verify(ctx, target, want); err != nil {
		if uerr := undo(ctx, d, schema, exists); uerr != nil {
			return want, fmt.Errorf("%w; and removing the restored tables failed: %v (drop them before trying again)", err, uerr)
		}
		return want, fmt.Errorf("%w; the restored tables were removed again", err)
	}
	return want, nil
}

// undo empties the schema a refused restore wrote into: dropped when the
// restore created it, otherwise stripped of what the dump added.
func undo(ctx context.Context, d *db.DB, schema string, existed bool) error {
	if !existed {
		_, err := d.W.ExecContext(ctx, `DROP SCHEMA "`+strings.ReplaceAll(schema, `"`, `""`)+`" CASCADE`)
		return err
	}
	_, err := d.W.ExecContext(ctx, `DO $$ DECLARE r record; BEGIN
		FOR r IN SELECT format('DROP TABLE IF EXISTS %I.%I CASCADE', schemaname, tablename) AS q FROM pg_tables WHERE schemaname = `+quote(schema)+` LOOP EXECUTE r.q; END LOOP;
		FOR r IN SELECT format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', sequence_schema, sequence_name) AS q FROM information_schema.sequences WHERE sequence_schema = `+quote(schema)+` LOOP EXECUTE r.q; END LOOP;
		FOR r IN SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', p.oid::regprocedure) AS q FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = `+quote(schema)+` LOOP EXECUTE r.q; END LOOP;
	END $$`)
	return err
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// restoreList is the dump's table of contents, less the creation of the
// schema when the target already has it (PostgreSQL makes "public" itself).
func restoreList(ctx context.Context, env []string, dump, schema string, exists bool) (string, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, PgRestore, "--list", dump)
	cmd.Env, cmd.Stdout = env, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s --list: %w", PgRestore, err)
	}
	var keep bytes.Buffer
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if exists && (strings.Contains(line, " SCHEMA - "+schema+" ") || strings.Contains(line, " COMMENT - SCHEMA "+schema+" ")) {
			continue
		}
		keep.WriteString(line + "\n")
	}
	f, err := os.CreateTemp("", "attract-restore-*.list")
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = f.Write(keep.Bytes())
	return f.Name(), err
}

func runTool(ctx context.Context, env []string, name string, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Stderr = env, &stderr
	if err := cmd.Run(); err != nil {
		if _, lookErr := exec.LookPath(name); lookErr != nil {
			return fmt.Errorf("%s not found: install PostgreSQL's client tools (Debian: apt-get install postgresql-client), as new as the server", name)
		}
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// libpq turns attract's PostgreSQL URL into what the client tools accept:
// the password moves to PGPASSWORD (never on a command line), parameters
// only pgx knows (search_path, jit) are dropped, and search_path's first
// schema is the one backed up or restored into.
func libpq(dsn string) (conn string, env []string, schema string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, "", fmt.Errorf("postgres URL: %w", err)
	}
	env = os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	schema = "public"
	if sp := q.Get("search_path"); sp != "" {
		schema = strings.TrimSpace(strings.Split(sp, ",")[0])
	}
	keep := url.Values{}
	for k, v := range q {
		switch k {
		case "sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "connect_timeout", "application_name", "target_session_attrs", "host", "port", "user", "dbname":
			keep[k] = v
		}
	}
	u.RawQuery = keep.Encode()
	return u.String(), env, schema, nil
}

// snapshot lets the audit verification read the backup's transaction.
type snapshot struct{ tx *sql.Tx }

func (s snapshot) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.tx.QueryContext(ctx, q, args...)
}
func (s snapshot) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return s.tx.QueryRowContext(ctx, q, args...)
}
func (s snapshot) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return nil, fmt.Errorf("a backup's snapshot is read-only")
}
func (s snapshot) Dialect() db.Dialect { return db.Postgres }
