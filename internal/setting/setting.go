// Package setting stores the settings administrators change (warning
// thresholds, counting rules …): one JSON value per key, versioned, audited
// by the capability that owns the key.
package setting

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Load reads key into dst and returns its version; a key never saved leaves
// dst as given (the defaults) with version 0.
func Load(ctx context.Context, q db.Querier, key string, dst any) (int, error) {
	var raw string
	var version int
	err := q.QueryRowContext(ctx, `SELECT value, version FROM settings WHERE key = ?`, key).Scan(&raw, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, errs.Wrap(err, "setting "+key)
	}
	return version, errs.Wrap(json.Unmarshal([]byte(raw), dst), "setting "+key)
}

// Save writes value when the stored version is still the one the caller
// read (0 for a key never saved); otherwise the caller gets a 409.
func Save(ctx context.Context, tx *db.Tx, key string, value any, readVersion, storedVersion int, current any, now time.Time) error {
	if readVersion != storedVersion {
		return errs.Stale(current)
	}
	raw, err := json.Marshal(value)
	if err != nil {
		return errs.Wrap(err, "setting "+key)
	}
	if storedVersion == 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?)`, key, string(raw), now)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE settings SET value = ?, version = version + 1, updated_at = ? WHERE key = ?`, string(raw), now, key)
	}
	return errs.Wrap(err, "save setting "+key)
}
