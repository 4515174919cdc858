// Package audit is the append-only, hash-chained log of every write and
// every sign-in. Entries are appended inside the caller's transaction, so a
// change and its record land together or not at all.
package audit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// Who is the acting user and where the request came from.
type Who struct {
	UserID     int64
	Username   string
	UnitID     int64
	ClientAddr string
}

// Entry is one audited event. Before and After are any JSON-encodable
// snapshots of the object (nil when there is none).
type Entry struct {
	Who
	Action     string // capability.verb, e.g. "unit.create", "auth.login"
	ObjectType string
	ObjectID   string
	Before     any
	After      any
}

// Row is an entry as stored.
type Row struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	UserID     *int64    `json:"user_id"`
	Username   string    `json:"username"`
	UnitID     *int64    `json:"unit_id"`
	UnitName   string    `json:"unit_name"`
	ClientAddr string    `json:"client_addr"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Before     string    `json:"before"`
	After      string    `json:"after"`
	PrevHash   string    `json:"-"`
	Hash       string    `json:"hash"`
	Keyed      bool      `json:"-"` // hashed with the key (HMAC)
}

// genesis is the prev_hash of the first row.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Now is the clock for entry times; tests may replace it.
var Now = func() time.Time { return time.Now() }

// Append writes e in tx, chained to the last row. On PostgreSQL a
// transaction-scoped advisory lock serialises appenders (several servers may
// write); on SQLite the single writer connection already does.
func Append(ctx context.Context, tx *db.Tx, e Entry) error {
	before, err := encode(e.Before)
	if err != nil {
		return err
	}
	after, err := encode(e.After)
	if err != nil {
		return err
	}
	if tx.Dialect() == db.Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7346001)`); err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	prev := genesis
	err = tx.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("audit last hash: %w", err)
	}
	r := Row{
		At: Now().UTC().Truncate(time.Microsecond), Username: e.Username, ClientAddr: e.ClientAddr,
		Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Before: before, After: after, PrevHash: prev,
	}
	if e.UserID != 0 {
		r.UserID = &e.UserID
	}
	if e.UnitID != 0 {
		r.UnitID = &e.UnitID
	}
	k, _ := current()
	r.Keyed = len(k) > 0
	r.Hash = r.computeHash(k)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, user_id, username, unit_id, client_addr, action, object_type, object_id, before_json, after_json, prev_hash, hash, keyed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.At, r.UserID, r.Username, r.UnitID, r.ClientAddr, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After, r.PrevHash, r.Hash, r.Keyed)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

func isNoRows(err error) bool { return err != nil && strings.Contains(err.Error(), "no rows") }

func encode(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit encode: %w", err)
	}
	return string(b), nil
}

// computeHash covers every stored field but the id (assigned by the
// database) and the hash itself, each length-prefixed so no two rows can
// produce the same input by shifting text between fields. A keyed row is
// an HMAC under k (the key outside the database).
func (r Row) computeHash(k []byte) string {
	h := hasher(r.Keyed, k)
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	field(r.PrevHash)
	field(r.At.UTC().Format(time.RFC3339Nano))
	field(optInt(r.UserID))
	field(r.Username)
	field(optInt(r.UnitID))
	field(r.ClientAddr)
	field(r.Action)
	field(r.ObjectType)
	field(r.ObjectID)
	field(r.Before)
	field(r.After)
	return hex.EncodeToString(h.Sum(nil))
}

func optInt(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
