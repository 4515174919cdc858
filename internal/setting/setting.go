// Package setting stores the settings administrators change (warning
// thresholds, counting rules …): one JSON value per key, versioned, audited
// by the capability that owns the key.
package setting

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
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

// Update is the whole of changing a setting: in one transaction, read the
// stored value (load returns it and its version), refuse a stale version,
// save, read back and audit before and after. version is the one the
// caller read.
func Update[T any](ctx context.Context, d *db.DB, who audit.Who, key string, load func(ctx context.Context, q db.Querier) (T, int, error),
	in T, version int, now time.Time) (T, error) {
	var out T
	err := d.InTx(ctx, func(tx *db.Tx) error {
		before, stored, err := load(ctx, tx)
		if err != nil {
			return err
		}
		if err := Save(ctx, tx, key, in, version, stored, before, now); err != nil {
			return err
		}
		if out, _, err = load(ctx, tx); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: who, Action: "setting.update", ObjectType: "setting", ObjectID: key, Before: before, After: out})
	})
	return out, err
}

// YearKey is the key of a setting's version for one year ("assess.scheme@2025").
func YearKey(base string, year int) string { return fmt.Sprintf("%s@%04d", base, year) }

// LoadYear reads the version of a setting that governs year: the year's own
// (saved under YearKey), else the nearest earlier year's, else the one
// kept before settings were versioned by year (base), else dst as given.
// It returns the version of the year's own key (0 when it has none, so a
// first save inserts it) and the year whose value was read (0: base or
// defaults).
func LoadYear(ctx context.Context, q db.Querier, base string, year int, dst any) (own, from int, err error) {
	var key, raw string
	var version int
	err = q.QueryRowContext(ctx, `SELECT key, value, version FROM settings WHERE key >= ? AND key <= ? ORDER BY key DESC LIMIT 1`,
		YearKey(base, 1000), YearKey(base, year)).Scan(&key, &raw, &version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = Load(ctx, q, base, dst)
		return 0, 0, err
	case err != nil:
		return 0, 0, errs.Wrap(err, "setting "+base)
	}
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		return 0, 0, errs.Wrap(err, "setting "+key)
	}
	fmt.Sscanf(key[len(base)+1:], "%d", &from)
	if from == year {
		own = version
	}
	return own, from, nil
}
