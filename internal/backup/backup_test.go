package backup

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// write is one acknowledged write: a dictionary item and its audit entry,
// committed together.
func write(ctx context.Context, d *db.DB, code string) (int64, error) {
	var id int64
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO dict_items (type, code, label_zh, label_en, sort, enabled, created_at, updated_at)
			VALUES ('backup_test', ?, ?, ?, 1, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`,
			code, "标签"+code, "label "+code, true).Scan(&id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "writer"}, Action: "backup_test.write",
			ObjectType: "dict_item", ObjectID: fmt.Sprint(id), After: map[string]string{"code": code}})
	})
	return id, err
}

// load runs writers until stop is closed; acked holds every committed id.
type load struct {
	mu    sync.Mutex
	acked []int64
	errs  []error
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startLoad(ctx context.Context, d *db.DB, writers int) *load {
	l := &load{stop: make(chan struct{})}
	for w := 0; w < writers; w++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				l.record(write(ctx, d, fmt.Sprintf("w%d-%d", w, i)))
			}
		}()
	}
	return l
}

func (l *load) record(id int64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errs = append(l.errs, err)
	} else {
		l.acked = append(l.acked, id)
	}
}

func (l *load) failed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs) > 0
}

func (l *load) snapshot() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int64(nil), l.acked...)
}

// waitFor blocks until n more writes are acknowledged than were at start.
func (l *load) waitFor(n int) {
	base := len(l.snapshot())
	for len(l.snapshot()) < base+n {
		if l.failed() {
			return
		}
	}
}

func (l *load) end(t *testing.T) {
	close(l.stop)
	l.wg.Wait()
	if len(l.errs) > 0 {
		t.Fatalf("a write failed under the backup: %v", l.errs[0])
	}
}

// TestBackupUnderLoadRestores backs up while four writers commit, restores
// into an empty database and checks the copy row by row against the source:
// every write acknowledged before the backup began is in it, the tables no
// one wrote are identical, the written ones hold a prefix of the source
// (each item with its audit entry), and the audit chain verifies.
func TestBackupUnderLoadRestores(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		needPgDump(t, d)
		ctx := context.Background()
		seed(t, d)
		file := filepath.Join(t.TempDir(), "attract.backup")
		l := startLoad(ctx, d, 4)
		l.waitFor(40)
		before := l.snapshot()
		m, err := Backup(ctx, d, file)
		during := len(l.snapshot()) - len(before)
		l.waitFor(20)
		l.end(t)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d writes acknowledged before the backup, %d while it ran, %d in all", len(before), during, len(l.snapshot()))
		if !m.AuditOK || m.AuditHead.ID == 0 {
			t.Fatalf("manifest: audit ok %v head %d", m.AuditOK, m.AuditHead.ID)
		}
		target := dbtest.EmptyLike(t, d)
		got, err := Restore(ctx, target, file)
		if err != nil {
			t.Fatal(err)
		}
		if got.AuditHead != m.AuditHead {
			t.Fatalf("restore read head %v, backup wrote %v", got.AuditHead, m.AuditHead)
		}
		r, err := db.Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		compareCopy(t, d, r, m, before)
	})
}

// seed gives every kind of column something to carry: units, users and
// an attachment's bytes come with the dictionary's own rows.
func seed(t *testing.T, d *db.DB) {
	ctx := context.Background()
	for i := range 30 {
		if _, err := write(ctx, d, fmt.Sprintf("seed-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, kind, path, effective_from, created_at, updated_at)
			VALUES ('441200', '肇庆市招商委员会办公室', 'commission_office', '/1/', '2020-01-01', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func compareCopy(t *testing.T, src, dst *db.DB, m Manifest, before []int64) {
	ctx := context.Background()
	res, err := audit.Verify(ctx, dst.Reader())
	if err != nil || !res.OK {
		t.Fatalf("restored chain: %+v %v", res, err)
	}
	// Every acknowledged write before the backup is in the copy, as written.
	for _, id := range before {
		var code, label string
		if err := dst.Reader().QueryRowContext(ctx, `SELECT code, label_en FROM dict_items WHERE id = ?`, id).Scan(&code, &label); err != nil {
			t.Fatalf("acknowledged write %d missing from the copy: %v", id, err)
		}
		if label != "label "+code {
			t.Fatalf("item %d: label %q for code %q", id, label, code)
		}
	}
	// Each item in the copy has its audit entry, and nothing more: one commit.
	var items, entries int
	q := dst.Reader()
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dict_items WHERE type = 'backup_test'`).Scan(&items); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'backup_test.write'`).Scan(&entries); err != nil {
		t.Fatal(err)
	}
	if items != entries || items < len(before) {
		t.Fatalf("copy holds %d items and %d audit entries; %d were acknowledged before the backup", items, entries, len(before))
	}
	// The copy's audit rows are the source's first rows, hash for hash.
	var mismatched int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&entries); err != nil {
		t.Fatal(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var h, sh string
		if err := rows.Scan(&id, &h); err != nil {
			t.Fatal(err)
		}
		if err := src.Reader().QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = ?`, id).Scan(&sh); err != nil || sh != h {
			mismatched++
		}
	}
	rows.Close()
	if mismatched > 0 || int64(entries) != m.AuditHead.ID {
		t.Fatalf("%d audit rows differ from the source; copy has %d rows, head %d", mismatched, entries, m.AuditHead.ID)
	}
	// Row counts by a plain COUNT(*), against the manifest; the tables no
	// writer touched against the source, row for row.
	for _, ts := range m.Tables {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+ts.Name+`"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != ts.Rows {
			t.Fatalf("table %s: %d rows in the copy, %d in the manifest", ts.Name, n, ts.Rows)
		}
		if ts.Name == "dict_items" || ts.Name == "audit_log" {
			continue
		}
		a, err := sumTable(ctx, src.R, ts.Name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sumTable(ctx, dst.R, ts.Name)
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatalf("table %s: source %+v, copy %+v", ts.Name, a, b)
		}
	}
	if len(m.Tables) < 40 {
		t.Fatalf("manifest lists %d tables", len(m.Tables))
	}
}

func needPgDump(t *testing.T, d *db.DB) {
	if d.Dialect != db.Postgres {
		return
	}
	for _, tool := range []string{PgDump, PgRestore} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found (PostgreSQL client tools): the PostgreSQL backup drives it", tool)
		}
	}
}

// TestRestoreRefuses walks around restore: a database that holds data, a
// backup of a database whose audit chain was edited, a copy whose tables
// no longer match its manifest, a truncated file, and a backup over an
// existing file are all refused, and nothing is left at the target.
func TestRestoreRefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		needPgDump(t, d)
		ctx := context.Background()
		seed(t, d)
		dir := t.TempDir()
		good := filepath.Join(dir, "good.backup")
		if _, err := Backup(ctx, d, good); err != nil {
			t.Fatal(err)
		}
		if _, err := Backup(ctx, d, good); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("backup over an existing file: %v", err)
		}
		if _, err := Restore(ctx, d.DSN, good); err == nil || !strings.Contains(err.Error(), "empty") && !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("restore over the live database: %v", err)
		}
		truncated := filepath.Join(dir, "truncated.backup")
		raw, _ := os.ReadFile(good)
		_ = os.WriteFile(truncated, raw[:len(raw)/2], 0o600)
		target := dbtest.EmptyLike(t, d)
		if _, err := Restore(ctx, target, truncated); err == nil {
			t.Fatal("a truncated backup was restored")
		}
		assertEmpty(t, target)

		// A manifest that promises other rows than the data holds.
		forged := filepath.Join(dir, "forged.backup")
		forge(t, good, forged)
		target = dbtest.EmptyLike(t, d)
		if _, err := Restore(ctx, target, forged); err == nil || !strings.Contains(err.Error(), "does not match") {
			t.Fatalf("forged manifest: %v", err)
		}
		assertEmpty(t, target)

		// The chain edited behind the triggers' back: the backup says so and
		// restore refuses it before writing anything.
		dbtest.DropAuditGuard(t, d)
		if _, err := d.W.ExecContext(ctx, `UPDATE audit_log SET username = 'someone' WHERE id = 3`); err != nil {
			t.Fatal(err)
		}
		tampered := filepath.Join(dir, "tampered.backup")
		m, err := Backup(ctx, d, tampered)
		if err != nil || m.AuditOK || !strings.Contains(m.AuditMessage, "row 3") {
			t.Fatalf("backup of an edited chain: ok %v %q %v", m.AuditOK, m.AuditMessage, err)
		}
		target = dbtest.EmptyLike(t, d)
		if _, err := Restore(ctx, target, tampered); err == nil || !strings.Contains(err.Error(), "row 3") {
			t.Fatalf("restore of an edited chain: %v", err)
		}
		assertEmpty(t, target)
	})
}

func assertEmpty(t *testing.T, target string) {
	t.Helper()
	if strings.HasPrefix(target, "sqlite:") {
		if _, err := os.Stat(strings.TrimPrefix(target, "sqlite:")); err == nil {
			t.Fatalf("a refused restore left %s", target)
		}
		return
	}
	a, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var n int
	if err := a.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused restore left %d tables (%v)", n, err)
	}
}

// forge rewrites a backup with a manifest that claims one more unit.
func forge(t *testing.T, from, to string) {
	data := to + ".data"
	m, err := readArchive(from, data)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(data)
	for i := range m.Tables {
		if m.Tables[i].Name == "units" {
			m.Tables[i].Rows++
		}
	}
	if err := writeArchive(to, m, data); err != nil {
		t.Fatal(err)
	}
}
