package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// Schedule takes a backup into Dir every Every and keeps the newest Keep.
// Several servers may run the same schedule on one PostgreSQL database: the
// backup is taken under an advisory lock by whichever server finds, holding
// it, that the newest backup recorded in the database is due — so once per
// period, not once per server.
type Schedule struct {
	DB    *db.DB
	Dir   string
	Every time.Duration
	Keep  int
}

// Run checks every minute (or every Every, if shorter) until ctx ends.
func (s *Schedule) Run(ctx context.Context) {
	tick := min(time.Minute, s.Every)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if file, err := s.RunOnce(ctx); err != nil {
			slog.Error("scheduled backup failed", "dir", s.Dir, "err", err)
		} else if file != "" {
			slog.Info("scheduled backup written", "file", file)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce takes the backup if one is due and no other server is taking it;
// it returns the file written, or "" when nothing was due.
func (s *Schedule) RunOnce(ctx context.Context) (string, error) {
	var file string
	_, err := s.DB.TryLock(ctx, db.LockBackup, func() error {
		last, err := s.LastTaken(ctx)
		if err != nil {
			return err
		}
		now := Now().UTC()
		if !last.IsZero() && now.Sub(last) < s.Every {
			return nil
		}
		f := filepath.Join(s.Dir, "attract-"+now.Format("20060102-150405")+".backup")
		m, err := Backup(ctx, s.DB, f)
		if err != nil {
			return err
		}
		file = f
		if err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO backups (file, taken_at, audit_head, rows_total) VALUES (?, ?, ?, ?)`,
				f, now, m.AuditHead.ID, m.Rows())
			return err
		}); err != nil {
			return fmt.Errorf("record backup: %w", err)
		}
		return s.prune(ctx, now)
	})
	return file, err
}

// LastTaken is when the newest scheduled backup was taken (zero for none).
func (s *Schedule) LastTaken(ctx context.Context) (time.Time, error) {
	var t sql.NullTime
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT taken_at FROM backups ORDER BY taken_at DESC, id DESC LIMIT 1`).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last backup: %w", err)
	}
	return t.Time, nil
}

// prune removes the backups beyond the newest Keep: the file first, then
// its row is marked removed (a file already gone counts as removed).
func (s *Schedule) prune(ctx context.Context, now time.Time) error {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, file FROM backups WHERE removed_at IS NULL ORDER BY taken_at DESC, id DESC`)
	if err != nil {
		return err
	}
	type old struct {
		id   int64
		file string
	}
	var drop []old
	for n := 0; rows.Next(); n++ {
		var o old
		if err := rows.Scan(&o.id, &o.file); err != nil {
			rows.Close()
			return err
		}
		if n >= s.Keep {
			drop = append(drop, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range drop {
		if err := os.Remove(o.file); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove old backup: %w", err)
		}
		if err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE backups SET removed_at = ? WHERE id = ?`, now, o.id)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
