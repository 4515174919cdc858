package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/keyfile"
)

// The chain is keyed: each row's hash is an HMAC-SHA256 under a key kept
// outside the database (a file the database's users cannot read), so that
// someone who can write the table (a DBA, a stolen database password) can
// edit a row but cannot compute the hashes that would hide it. The head of
// the chain is anchored outside the database too: a checkpoint file, itself
// under the key, names the last row seen; deleting rows at the tail (or all
// of them) leaves the checkpoint pointing at a row that is gone.

var (
	keyMu      sync.RWMutex
	key        []byte
	checkpoint string
)

// Configure sets the key (read from keyFile, created with a random key when
// create is set and the file is missing) and the checkpoint file. An empty
// keyFile leaves the chain unkeyed (plain SHA-256, as before keys existed).
func Configure(keyFile, checkpointFile string, create bool) error {
	var k []byte
	if keyFile != "" {
		var err error
		if k, err = keyfile.Load(keyFile, "audit key", create); err != nil {
			return err
		}
	}
	UseKey(k, checkpointFile)
	return nil
}

// UseKey sets the key and the checkpoint file directly (tests).
func UseKey(k []byte, checkpointFile string) {
	keyMu.Lock()
	defer keyMu.Unlock()
	key, checkpoint = k, checkpointFile
}

func current() ([]byte, string) {
	keyMu.RLock()
	defer keyMu.RUnlock()
	return key, checkpoint
}

// hasher is the row hash: HMAC under the key for keyed rows, else SHA-256.
func hasher(keyed bool, k []byte) hash.Hash {
	if keyed {
		return hmac.New(sha256.New, k)
	}
	return sha256.New()
}

// Head is the checkpoint: the chain's last row when it was written.
type Head struct {
	LastID       int64     `json:"last_id"`
	LastHash     string    `json:"last_hash"`
	FirstKeyedID int64     `json:"first_keyed_id"` // 0: no keyed row yet
	At           time.Time `json:"at"`
	MAC          string    `json:"mac"`
}

func (h Head) mac(k []byte) string {
	m := hmac.New(sha256.New, k)
	fmt.Fprintf(m, "%d|%s|%d|%s", h.LastID, h.LastHash, h.FirstKeyedID, h.At.UTC().Format(time.RFC3339Nano))
	return hex.EncodeToString(m.Sum(nil))
}

// WriteCheckpoint anchors the chain's current head in the checkpoint file
// (atomically: a temporary file renamed). Without a key or a file, nothing.
func WriteCheckpoint(ctx context.Context, q db.Querier) error {
	k, path := current()
	if len(k) == 0 || path == "" {
		return nil
	}
	var h Head
	err := q.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&h.LastID, &h.LastHash)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("audit head: %w", err)
	}
	var first *int64
	if err := q.QueryRowContext(ctx, `SELECT MIN(id) FROM audit_log WHERE keyed = ?`, true).Scan(&first); err != nil {
		return fmt.Errorf("audit first keyed: %w", err)
	}
	if first != nil {
		h.FirstKeyedID = *first
	}
	if old, ok, _ := readCheckpoint(path, k); ok && old.LastID > h.LastID {
		return nil // never move the anchor back (rows gone: verify says so)
	}
	h.At = time.Now().UTC()
	h.MAC = h.mac(k)
	b, _ := json.Marshal(h)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	return os.Rename(tmp, path)
}

// readCheckpoint reads and authenticates the checkpoint; ok is false when
// there is none, an error when it is there but forged or unreadable.
func readCheckpoint(path string, k []byte) (Head, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Head{}, false, nil
	}
	if err != nil {
		return Head{}, false, err
	}
	var h Head
	if err := json.Unmarshal(b, &h); err != nil || !hmac.Equal([]byte(h.MAC), []byte(h.mac(k))) {
		return Head{}, false, errors.New("the checkpoint file is not authentic")
	}
	return h, true, nil
}

// StartCheckpoints writes a checkpoint every interval until the returned
// stop is called (the server runs it; tests write them explicitly).
func StartCheckpoints(d *db.DB, every time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = WriteCheckpoint(context.Background(), d.Reader())
			}
		}
	}()
	return func() { close(done) }
}
