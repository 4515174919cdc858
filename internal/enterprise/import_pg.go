package enterprise

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// writePostgres streams the records with COPY into an unlogged staging
// table, then upserts them with one INSERT … SELECT in a transaction that
// also writes the audit entry. COPY is PostgreSQL's fastest way in; the
// staging table lets the upsert rules stay plain SQL.
func (s *Service) writePostgres(ctx context.Context, a *org.Actor, recs []Record, filename string, res *ImportResult, progress Progress, now time.Time) error {
	var b [6]byte
	_, _ = rand.Read(b[:])
	staging := "enterprise_import_" + hex.EncodeToString(b[:])
	conn, err := s.DB.W.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer func() { _, _ = s.DB.W.ExecContext(context.Background(), `DROP TABLE IF EXISTS `+staging) }()
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if _, err := c.Exec(ctx, `CREATE UNLOGGED TABLE `+staging+` (credit_code text, name text, former_names text,
			industry_code text, region_code text, registered_capital bigint, founded_on date, revenue bigint, staff integer,
			listing_code text, tags text, is_target boolean, expanded_on date)`); err != nil {
			return err
		}
		i := 0
		_, err := c.CopyFrom(ctx, pgx.Identifier{staging}, []string{"credit_code", "name", "former_names", "industry_code",
			"region_code", "registered_capital", "founded_on", "revenue", "staff", "listing_code", "tags", "is_target", "expanded_on"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == len(recs) {
					return nil, nil
				}
				r := recs[i]
				i++
				if i%50000 == 0 {
					progress("write", i, len(recs))
				}
				return []any{r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, pgDate(r.FoundedOn),
					r.Revenue, r.Staff, r.Listing, r.Tags, r.IsTarget, pgDate(r.ExpandedOn)}, nil
			}))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy into staging: %w", err)
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var before int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&before); err != nil {
			return err
		}
		gen, err := nextGen(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprises (`+insertCols+`)
			SELECT credit_code, name, former_names, industry_code, region_code, registered_capital, founded_on, revenue, staff,
			listing_code, tags, is_target, expanded_on, ?, ?, ? FROM `+staging+fmt.Sprintf(upsertOn, "chr(10)", "btrim"), gen, now, now); err != nil {
			return fmt.Errorf("upsert from staging: %w", err)
		}
		var after int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&after); err != nil {
			return err
		}
		res.Inserted, res.Updated = after-before, len(recs)-(after-before)
		progress("write", len(recs), len(recs))
		return audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, importSummary(filename, res)))
	})
}

func pgDate(s string) any {
	if s == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil
	}
	return t
}
