package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// keyed starts a test with the key set and a checkpoint file of its own.
func keyed(t *testing.T) string {
	cp := filepath.Join(t.TempDir(), "audit.checkpoint")
	UseKey(testKey, cp)
	t.Cleanup(func() { UseKey(nil, "") })
	return cp
}

func write(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return Append(ctx, tx, Entry{Who: Who{UserID: 7, Username: "sysadmin", ClientAddr: "10.0.0.8"}, Action: "unit.rename",
				ObjectType: "unit", ObjectID: "3", After: map[string]string{"name": "新名称"}})
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// asAttacker drops the append-only triggers, as the table's owner could.
func asAttacker(t *testing.T, d *db.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if d.Dialect == db.Postgres {
		stmts = []string{`DROP TRIGGER audit_log_no_change ON audit_log`}
	}
	for _, s := range stmts {
		if _, err := d.W.ExecContext(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
}

func rows(t *testing.T, d *db.DB) []Row {
	t.Helper()
	rs, err := d.Reader().QueryContext(context.Background(), `SELECT id, at, user_id, username, unit_id, client_addr, action,
		object_type, object_id, before_json, after_json, prev_hash, hash, keyed FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []Row
	for rs.Next() {
		var r Row
		if err := rs.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.UnitID, &r.ClientAddr, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Before, &r.After, &r.PrevHash, &r.Hash, &r.Keyed); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func mustFail(t *testing.T, d *db.DB, what, want string) {
	t.Helper()
	res, err := Verify(context.Background(), d.Reader())
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || !strings.Contains(res.Message, want) {
		t.Errorf("%s: verify says %+v, want a break mentioning %q", what, res, want)
	}
}

func anchored(t *testing.T, d *db.DB, n int) {
	t.Helper()
	write(t, d, n)
	if res, err := Verify(context.Background(), d.Reader()); err != nil || !res.OK || !res.Keyed {
		t.Fatalf("intact keyed chain: %+v %v", res, err)
	}
	if err := WriteCheckpoint(context.Background(), d.Reader()); err != nil {
		t.Fatal(err)
	}
}

// An attacker with the database but not the key edits a row and rebuilds
// the chain after it with plain SHA-256 (the only hash they can compute):
// detected, both when the rows stay marked keyed and when they are unmarked.
func TestTamperEditAndRechain(t *testing.T) {
	for _, mark := range []bool{true, false} {
		// Named subtests: a repeated name gets "#01", which db.Open would read as a URL fragment.
		t.Run(map[bool]string{true: "marked", false: "unmarked"}[mark], func(t *testing.T) { tamperRechain(t, mark) })
	}
}

func tamperRechain(t *testing.T, mark bool) {
	{
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			keyed(t)
			anchored(t, d, 6)
			asAttacker(t, d)
			rs := rows(t, d)
			prev := rs[2].PrevHash
			for i := 2; i < len(rs); i++ {
				r := rs[i]
				if i == 2 {
					r.After = `{"name":"篡改"}`
				}
				r.PrevHash, r.Keyed = prev, false
				r.Hash = r.computeHash(nil) // SHA-256: no key
				r.Keyed = mark
				prev = r.Hash
				if _, err := d.W.ExecContext(context.Background(), d.Rebind(`UPDATE audit_log SET after_json = ?, prev_hash = ?, hash = ?, keyed = ? WHERE id = ?`),
					r.After, r.PrevHash, r.Hash, r.Keyed, r.ID); err != nil {
					t.Fatal(err)
				}
			}
			mustFail(t, d, "edit + re-chain", "row 3")
		})
	}
}

// A row appended outside the application: unkeyed, or keyed with a hash
// that is not the HMAC.
func TestTamperForgedAppend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		keyed(t)
		anchored(t, d, 3)
		rs := rows(t, d)
		forged := Row{At: rs[2].At, Username: "ghost", Action: "user.create", ObjectType: "user", ObjectID: "99", PrevHash: rs[2].Hash}
		forged.Hash = forged.computeHash(nil)
		if _, err := d.W.ExecContext(context.Background(), d.Rebind(`INSERT INTO audit_log
			(at, username, client_addr, action, object_type, object_id, before_json, after_json, prev_hash, hash, keyed)
			VALUES (?, ?, '', ?, ?, ?, '', '', ?, ?, ?)`), forged.At, forged.Username, forged.Action, forged.ObjectType, forged.ObjectID,
			forged.PrevHash, forged.Hash, false); err != nil {
			t.Fatal(err)
		}
		mustFail(t, d, "forged unkeyed append", "not sealed")
		if _, err := d.W.ExecContext(context.Background(), `UPDATE audit_log SET keyed = `+map[bool]string{true: "true", false: "1"}[d.Dialect == db.Postgres]+` WHERE username = 'ghost'`); err == nil {
			mustFail(t, d, "forged keyed append", "altered")
		}
	})
}

// The last rows deleted, or every row: the checkpoint outside the database
// still names the last row it saw.
func TestTamperTailAndTruncate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		keyed(t)
		anchored(t, d, 8)
		asAttacker(t, d)
		if _, err := d.W.ExecContext(context.Background(), `DELETE FROM audit_log WHERE id > 5`); err != nil {
			t.Fatal(err)
		}
		mustFail(t, d, "tail delete", "deleted at the tail")
		truncate := `DELETE FROM audit_log`
		if d.Dialect == db.Postgres {
			truncate = `TRUNCATE audit_log`
		}
		if _, err := d.W.ExecContext(context.Background(), truncate); err != nil {
			t.Fatal(err)
		}
		mustFail(t, d, "truncate", "deleted at the tail")
	})
}

// A checkpoint file edited to match a shortened log is not authentic.
func TestTamperCheckpointFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cp := keyed(t)
		anchored(t, d, 4)
		b, _ := os.ReadFile(cp)
		if err := os.WriteFile(cp, []byte(strings.Replace(string(b), `"last_id":4`, `"last_id":2`, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		mustFail(t, d, "forged checkpoint", "not authentic")
	})
}
