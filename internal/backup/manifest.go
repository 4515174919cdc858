// Package backup makes consistent online backups of attract's database and
// restores them, checked, into an empty one; it also runs the scheduled
// backups with their retention.
//
// A backup is one gzip-compressed tar file: manifest.json first (what was
// backed up, the audit chain's head, every table's row count and checksum,
// all read in the same snapshot as the data), then the data itself — a
// SQLite database made by VACUUM INTO, or a pg_dump archive taken in that
// snapshot. Restore refuses a copy whose integrity, audit chain, head or
// table checksums do not match its manifest.
package backup

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// Format is the version of the backup file's layout.
const Format = 1

// Manifest describes a backup.
type Manifest struct {
	Format        int        `json:"format"`
	Dialect       db.Dialect `json:"dialect"`
	Schema        string     `json:"schema,omitempty"` // PostgreSQL: the schema dumped
	SchemaVersion int64      `json:"schema_version"`   // newest migration applied
	TakenAt       time.Time  `json:"taken_at"`
	AuditHead     Head       `json:"audit_head"`
	AuditOK       bool       `json:"audit_ok"` // the chain verified when the backup was taken
	AuditMessage  string     `json:"audit_message"`
	Tables        []TableSum `json:"tables"`
}

// Head is the audit chain's last row in the backup.
type Head struct {
	ID   int64  `json:"id"`
	Hash string `json:"hash"`
}

// TableSum is a table's row count and an order-independent checksum of its
// rows (the sum of each row's SHA-256 prefix).
type TableSum struct {
	Name string `json:"name"`
	Rows int64  `json:"rows"`
	Sum  string `json:"sum"`
}

// Rows is the number of rows over every table.
func (m Manifest) Rows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

// queryer is what reading a snapshot needs: a transaction or a pool.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// describe reads, in q's snapshot, everything a manifest holds but the
// dialect, schema and time.
func describe(ctx context.Context, q queryer, d db.Dialect) (Manifest, error) {
	m := Manifest{Format: Format, Dialect: d, TakenAt: Now().UTC()}
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version`).Scan(&m.SchemaVersion); err != nil {
		return m, fmt.Errorf("schema version: %w", err)
	}
	err := q.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&m.AuditHead.ID, &m.AuditHead.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("audit head: %w", err)
	}
	names, err := tables(ctx, q, d)
	if err != nil {
		return m, err
	}
	for _, name := range names {
		ts, err := sumTable(ctx, q, name)
		if err != nil {
			return m, err
		}
		m.Tables = append(m.Tables, ts)
	}
	return m, nil
}

// tables lists attract's tables in name order.
func tables(ctx context.Context, q queryer, d db.Dialect) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if d == db.Postgres {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// sumTable counts a table's rows and sums their hashes. The sum does not
// depend on row order, so it needs no key and reads the table in one pass.
func sumTable(ctx context.Context, q queryer, name string) (TableSum, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM "`+name+`"`)
	if err != nil {
		return TableSum{}, fmt.Errorf("read %s: %w", name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return TableSum{}, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	ts := TableSum{Name: name}
	var sum uint64
	buf := make([]byte, 0, 256)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return TableSum{}, fmt.Errorf("read %s: %w", name, err)
		}
		buf = buf[:0]
		for _, v := range vals {
			buf = appendValue(buf, v)
		}
		h := sha256.Sum256(buf)
		sum += binary.BigEndian.Uint64(h[:8])
		ts.Rows++
	}
	if err := rows.Err(); err != nil {
		return TableSum{}, fmt.Errorf("read %s: %w", name, err)
	}
	ts.Sum = strconv.FormatUint(sum, 16)
	return ts, nil
}

// appendValue writes one column value length-prefixed, so that no two rows
// with different values write the same bytes.
func appendValue(buf []byte, v any) []byte {
	var s string
	switch x := v.(type) {
	case nil:
		return append(buf, 0xff)
	case []byte:
		s = hex.EncodeToString(x)
	case time.Time:
		s = x.UTC().Format(time.RFC3339Nano)
	default:
		s = fmt.Sprint(x)
	}
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// compare names the first difference between what a backup promised and
// what the restored database holds.
func compare(want, got Manifest) error {
	if want.SchemaVersion != got.SchemaVersion {
		return fmt.Errorf("schema version %d, the backup says %d", got.SchemaVersion, want.SchemaVersion)
	}
	if want.AuditHead != got.AuditHead {
		return fmt.Errorf("the audit chain ends at row %d (%.12s…), the backup's at row %d (%.12s…)",
			got.AuditHead.ID, got.AuditHead.Hash, want.AuditHead.ID, want.AuditHead.Hash)
	}
	have := map[string]TableSum{}
	for _, t := range got.Tables {
		have[t.Name] = t
	}
	for _, w := range want.Tables {
		g, ok := have[w.Name]
		switch {
		case !ok:
			return fmt.Errorf("table %s is missing", w.Name)
		case g.Rows != w.Rows:
			return fmt.Errorf("table %s has %d rows, the backup %d", w.Name, g.Rows, w.Rows)
		case g.Sum != w.Sum:
			return fmt.Errorf("table %s differs from the backup (checksum %s, expected %s)", w.Name, g.Sum, w.Sum)
		}
	}
	if len(have) != len(want.Tables) {
		return fmt.Errorf("the database has %d tables, the backup %d", len(have), len(want.Tables))
	}
	return nil
}
