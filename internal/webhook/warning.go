package webhook

import (
	"context"
	"fmt"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Warning is a project warning as the scan sees it. Warnings are computed
// from the data each time (internal/project), never stored, so there is
// no single place where one is "raised": the scan finds the new ones.
type Warning struct {
	Rule        string
	RuleZh      string
	ProjectID   int64
	ProjectCode string
	ProjectName string
	UnitName    string
	Since       civil.Date
	Detail      string
}

// ScanWarnings announces each warning once: a warning (rule, project,
// since) not in webhook_warnings_seen is recorded there and raises
// warning.raised in the same transaction. The first scan of a database
// only records what is already there, so that turning webhooks on does not
// flood a group with every old warning. Two servers scanning at once
// insert the same keys; the key's uniqueness lets one of them through.
func (s *Service) ScanWarnings(ctx context.Context) (int, error) {
	if s.Warnings == nil {
		return 0, nil
	}
	list, err := s.Warnings(ctx)
	if err != nil {
		return 0, err
	}
	raised := 0
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var seen int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM webhook_warnings_seen LIMIT 1) x`).Scan(&seen); err != nil {
			return errs.Wrap(err, "warnings seen")
		}
		baseline := seen == 0
		now := Now()
		for _, w := range list {
			res, err := tx.ExecContext(ctx, `INSERT INTO webhook_warnings_seen (rule, project_id, since, seen_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (rule, project_id, since) DO NOTHING`, w.Rule, w.ProjectID, w.Since, now)
			if err != nil {
				return errs.Wrap(err, "warnings seen")
			}
			if n, _ := res.RowsAffected(); n != 1 || baseline {
				continue
			}
			data := map[string]any{"rule": w.Rule, "project_id": w.ProjectID, "project_code": w.ProjectCode, "project_name": w.ProjectName,
				"unit_name": w.UnitName, "since": w.Since.String(), "detail": w.Detail}
			lines := []string{ProjectRef{w.ProjectID, w.ProjectCode, w.ProjectName}.line(), "预警：" + w.RuleZh, "责任单位：" + w.UnitName,
				fmt.Sprintf("起始：%s", w.Since)}
			if w.Detail != "" {
				lines = append(lines, w.Detail)
			}
			if err := Emit(ctx, tx, WarningRaised, "项目预警", lines, data); err != nil {
				return err
			}
			raised++
		}
		if err := forgetResolved(ctx, tx, list, now); err != nil {
			return err
		}
		if baseline && len(list) == 0 {
			// Mark the baseline as taken even with no warning today.
			_, err := tx.ExecContext(ctx, `INSERT INTO webhook_warnings_seen (rule, project_id, since, seen_at) VALUES ('', 0, ?, ?)
				ON CONFLICT (rule, project_id, since) DO NOTHING`, civil.Of(now), now)
			return errs.Wrap(err, "warnings seen")
		}
		return nil
	})
	return raised, err
}

// forgetResolved deletes the seen keys of warnings no longer raised, so the
// table holds about as many rows as there are warnings rather than every
// warning ever seen. A key seen within the last day stays: a warning that
// clears and returns at once (a record deleted and entered again) is not
// announced twice. The baseline marker (rule ”) stays for good.
func forgetResolved(ctx context.Context, tx *db.Tx, current []Warning, now time.Time) error {
	type key struct {
		rule  string
		id    int64
		since civil.Date
	}
	live := make(map[key]bool, len(current))
	for _, w := range current {
		live[key{w.Rule, w.ProjectID, w.Since}] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT rule, project_id, since FROM webhook_warnings_seen WHERE rule <> '' AND seen_at < ?`, now.Add(-24*time.Hour))
	if err != nil {
		return errs.Wrap(err, "warnings seen")
	}
	defer rows.Close()
	var gone []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.rule, &k.id, &k.since); err != nil {
			return errs.Wrap(err, "warnings seen")
		}
		if !live[k] {
			gone = append(gone, k)
		}
	}
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "warnings seen")
	}
	rows.Close()
	for _, k := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_warnings_seen WHERE rule = ? AND project_id = ? AND since = ?`, k.rule, k.id, k.since); err != nil {
			return errs.Wrap(err, "warnings seen")
		}
	}
	return nil
}

// runScans scans for new warnings every `every` until ctx ends.
func (s *Service) runScans(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.ScanWarnings(ctx); err != nil && ctx.Err() == nil {
			s.log("webhook warning scan", err)
		}
	}
}
