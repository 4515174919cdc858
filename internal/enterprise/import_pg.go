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

// planPostgres splits the records and reserves the new rows' ids from the
// identity sequence in one block. (Another server inserting between the two
// sequence calls makes this import fail on the primary key, whole, to be run
// again; nothing is half-written.)
func (s *Service) planPostgres(ctx context.Context, recs []Record) (plan, error) {
	existing, err := existingCodes(ctx, s.DB.Reader())
	if err != nil {
		return plan{}, err
	}
	p := split(recs, existing)
	p.lo, p.hi = 1, 0
	if len(p.fresh) > 0 {
		seq := `pg_get_serial_sequence('enterprises', 'id')`
		if err := s.DB.W.QueryRowContext(ctx, `SELECT nextval(`+seq+`)`).Scan(&p.lo); err != nil {
			return p, err
		}
		p.hi = p.lo + int64(len(p.fresh)) - 1
		if _, err := s.DB.W.ExecContext(ctx, `SELECT setval(`+seq+`, $1)`, p.hi); err != nil {
			return p, err
		}
	}
	return p, nil
}

// writePostgres streams the records with COPY into an unlogged staging
// table, then inserts the new ones and upserts the known ones with
// INSERT … SELECT in a transaction that also writes the audit entry. COPY is
// PostgreSQL's fastest way in; the staging table keeps the upsert rules in
// plain SQL.
func (s *Service) writePostgres(ctx context.Context, a *org.Actor, p *plan, filename string, res *ImportResult, progress Progress, now time.Time) error {
	var b [6]byte
	_, _ = rand.Read(b[:])
	staging := "enterprise_import_" + hex.EncodeToString(b[:])
	conn, err := s.DB.W.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer func() { _, _ = s.DB.W.ExecContext(context.Background(), `DROP TABLE IF EXISTS `+staging) }()
	total := len(p.fresh) + len(p.known)
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if _, err := c.Exec(ctx, `CREATE UNLOGGED TABLE `+staging+` (id bigint, credit_code text, name text, former_names text,
			industry_code text, region_code text, registered_capital bigint, founded_on date, revenue bigint, staff integer,
			listing_code text, tags text, is_target boolean, expanded_on date)`); err != nil {
			return err
		}
		i := 0
		_, err := c.CopyFrom(ctx, pgx.Identifier{staging}, []string{"id", "credit_code", "name", "former_names", "industry_code",
			"region_code", "registered_capital", "founded_on", "revenue", "staff", "listing_code", "tags", "is_target", "expanded_on"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == total {
					return nil, nil
				}
				var r Record
				var id *int64
				if i < len(p.fresh) {
					r = p.fresh[i]
					v := p.lo + int64(i)
					id = &v
				} else {
					r = p.known[i-len(p.fresh)]
				}
				i++
				if i%50000 == 0 {
					progress("write", i, total)
				}
				return []any{id, r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, pgDate(r.FoundedOn),
					r.Revenue, r.Staff, r.Listing, r.Tags, r.IsTarget, pgDate(r.ExpandedOn)}, nil
			}))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy into staging: %w", err)
	}
	const cols = `credit_code, name, former_names, industry_code, region_code, registered_capital, founded_on, revenue, staff,
		listing_code, tags, is_target, expanded_on`
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if p.gen, err = nextGen(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprises (id, `+insertCols+`)
			SELECT id, `+cols+`, ?, ?, ? FROM `+staging+` WHERE id IS NOT NULL`, p.gen, now, now); err != nil {
			return fmt.Errorf("insert from staging: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprises (`+insertCols+`)
			SELECT `+cols+`, ?, ?, ? FROM `+staging+` WHERE id IS NULL`+fmt.Sprintf(upsertOn, "chr(10)", "btrim"), p.gen, now, now); err != nil {
			return fmt.Errorf("upsert from staging: %w", err)
		}
		res.Inserted, res.Updated = len(p.fresh), len(p.known)
		progress("write", total, total)
		return audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, importSummary(filename, res)))
	})
	if err != nil {
		return err
	}
	// A bulk load leaves the planner's statistics behind (autovacuum would
	// catch up within minutes); the index's catch-up query needs them now.
	_, err = s.DB.W.ExecContext(ctx, `ANALYZE enterprises`)
	return err
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
