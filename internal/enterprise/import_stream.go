package enterprise

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// An import reads and writes at once: one goroutine parses the file and
// hands batches of rows (new ones already given their ids) to the
// transaction, which writes them as they come; when the file is read, the
// same goroutine builds the search index for the new rows while the
// transaction finishes. Reading, writing and indexing thus share the cores
// instead of following one another. The index is published only after the
// transaction commits, with whatever else was written meanwhile.

type chunk struct {
	fresh    []Record
	freshIDs []int64
	known    []Record
}

// reader is the parsing goroutine's side of an import.
type reader struct {
	chunks <-chan chunk
	done   chan struct{}
	err    error
	spec   <-chan *Index
	g0     int64
}

// read starts parsing: allocate gives n new rows their ids (the first of n
// consecutive ones). The reader fills pl's fresh docs and its known ids;
// wait for it (finish) before reading them.
func (s *Service) read(work context.Context, each func(func(Record) error) error, existing codeSet,
	allocate func(n int) (int64, error), base *Index, pl *plan) *reader {
	// Room for some chunks ahead of the writer, not the whole file: the
	// records wait in memory only as long as the database takes them.
	ch := make(chan chunk, readAhead)
	rd := &reader{chunks: ch, done: make(chan struct{})}
	go func() {
		defer close(rd.done)
		defer close(ch)
		var cur chunk
		send := func() error {
			if n := len(cur.fresh); n > 0 {
				first, err := allocate(n)
				if err != nil {
					return err
				}
				docs := make([]doc, n)
				for i, r := range cur.fresh {
					cur.freshIDs = append(cur.freshIDs, first+int64(i))
					docs[i] = docOf(first+int64(i), r)
				}
				pl.fresh, pl.inserted = append(pl.fresh, docs), pl.inserted+n
			}
			select {
			case ch <- cur:
			case <-work.Done():
				return work.Err()
			}
			cur = chunk{}
			return nil
		}
		err := each(func(r Record) error {
			if id, ok := existing.get(r.CreditCode); ok {
				cur.known = append(cur.known, r)
				pl.knownIDs = append(pl.knownIDs, id)
			} else {
				cur.fresh = append(cur.fresh, r)
			}
			if len(cur.fresh)+len(cur.known) == chunkRows {
				return send()
			}
			return nil
		})
		if err == nil {
			err = send()
		}
		if err == nil {
			rd.spec, rd.g0 = s.speculate(base, *pl)
		}
		rd.err = err
	}()
	return rd
}

// chunkRows is how many records travel from the reader to the writer
// together; readAhead how many chunks may wait (some 60,000 records, a few
// tens of MB: reading runs ahead of writing by that much, then waits).
const (
	chunkRows = 2000
	readAhead = 32
)

// finish waits for the reader (draining what the writer left) and says why
// it stopped.
func (rd *reader) finish() error {
	for range rd.chunks {
	}
	<-rd.done
	return rd.err
}

// drop lets a speculative build the import no longer needs finish unseen.
func (rd *reader) drop() {
	if rd != nil && rd.spec != nil {
		go func() { <-rd.spec }()
	}
}

// stream writes an import on SQLite: multi-row INSERTs in the import's one
// transaction, new rows with their ids, known ones as upserts.
func (s *Service) stream(ctx context.Context, a *org.Actor, each func(func(Record) error) error, filename string, res *ImportResult, progress Progress) error {
	base, err := s.current(ctx)
	if err != nil {
		return err
	}
	var pl plan
	var rd *reader
	// On the writer connection, held for the import: the credit-code index
	// of a million rows outgrows the usual page cache, so a larger one keeps
	// its inserts in memory; and the statement journal each multi-row
	// upsert keeps (a million-row import wrote 1.25 M pages of it to a
	// temporary file) stays in memory too.
	setup := []string{`PRAGMA cache_size = -131072`, `PRAGMA temp_store = MEMORY`}
	reset := []string{`PRAGMA temp_store = DEFAULT`, `PRAGMA cache_size = -8192`} // the pool's usual
	err = s.DB.InTxSetup(ctx, setup, reset, func(tx *db.Tx) error {
		existing, err := existingCodes(ctx, tx)
		if err != nil {
			return err
		}
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM enterprises`).Scan(&next); err != nil {
			return err
		}
		if pl.gen, err = nextGen(ctx, tx); err != nil {
			return err
		}
		ins, err := newInserter(ctx, tx, pl.gen, s.Now().UTC())
		if err != nil {
			return err
		}
		defer ins.Close()
		work, stop := context.WithCancel(ctx)
		defer stop()
		// The writer holds SQLite's only write lock: ids follow the largest.
		rd = s.read(work, each, existing, func(n int) (int64, error) { first := next; next += int64(n); return first, nil }, base, &pl)
		written := 0
		for c := range rd.chunks {
			err := ins.write(ctx, c.fresh, c.freshIDs)
			if err == nil {
				err = ins.write(ctx, c.known, nil)
			}
			if err != nil {
				stop()
				rd.finish()
				return err
			}
			written += len(c.fresh) + len(c.known)
			if written%50000 < chunkRows {
				progress("write", written, 0)
			}
		}
		if err := rd.finish(); err != nil {
			return err
		}
		return s.landed(ctx, tx, a, &pl, filename, res, progress)
	})
	if err != nil {
		rd.drop()
		return err
	}
	return s.indexAfter(ctx, rd, pl, res, progress)
}

// landed records the import in the audit log (nothing when no row was valid).
func (s *Service) landed(ctx context.Context, tx *db.Tx, a *org.Actor, pl *plan, filename string, res *ImportResult, progress Progress) error {
	res.Inserted, res.Updated = pl.inserted, len(pl.knownIDs)
	progress("write", res.Inserted+res.Updated, res.Inserted+res.Updated)
	if res.Inserted+res.Updated == 0 {
		return nil
	}
	if err := s.auditUpdated(ctx, tx, a, pl.knownIDs); err != nil {
		return err
	}
	return audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, importSummary(filename, res)))
}

func (s *Service) indexAfter(ctx context.Context, rd *reader, pl plan, res *ImportResult, progress Progress) error {
	progress("index", 0, res.Valid)
	err := s.publish(ctx, rd.spec, rd.g0, pl)
	progress("index", res.Valid, res.Valid)
	return err
}

// streamPostgres writes an import on PostgreSQL: new rows go straight into
// the table with COPY (its fastest way in), ids reserved from the identity
// sequence batch by batch; known rows go through a temporary table and one
// INSERT … ON CONFLICT; all in one transaction with the audit entry.
func (s *Service) streamPostgres(ctx context.Context, a *org.Actor, each func(func(Record) error) error, filename string, res *ImportResult, progress Progress) error {
	base, err := s.current(ctx)
	if err != nil {
		return err
	}
	existing, err := existingCodes(ctx, s.DB.Reader())
	if err != nil {
		return err
	}
	// Ids come from the sequence in blocks (another server's inserts may
	// interleave between blocks, never inside one).
	allocate := func(n int) (int64, error) {
		var last int64
		err := s.DB.W.QueryRowContext(ctx, `SELECT setval(pg_get_serial_sequence('enterprises', 'id'),
			nextval(pg_get_serial_sequence('enterprises', 'id')) + $1 - 1)`, n).Scan(&last)
		return last - int64(n) + 1, err
	}
	var pl plan
	var rd *reader
	err = s.DB.InTxRaw(ctx, func(tx *db.Tx, raw func(func(any) error) error) error {
		var err error
		if pl.gen, err = nextGen(ctx, tx); err != nil {
			return err
		}
		work, stop := context.WithCancel(ctx)
		defer stop()
		rd = s.read(work, each, existing, allocate, base, &pl)
		now, written := s.Now().UTC(), 0
		var known []Record
		var cur chunk
		i := 0
		err = raw(func(dc any) error {
			_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"enterprises"}, append([]string{"id"}, copyCols...),
				pgx.CopyFromFunc(func() ([]any, error) {
					for i == len(cur.fresh) {
						c, ok := <-rd.chunks
						if !ok {
							return nil, nil
						}
						known = append(known, c.known...)
						written += len(c.fresh) + len(c.known)
						if written%50000 < chunkRows {
							progress("write", written, 0)
						}
						cur, i = c, 0
					}
					r, id := cur.fresh[i], cur.freshIDs[i]
					i++
					return append([]any{id}, copyRow(r, pl.gen, now)...), nil
				}))
			return err
		})
		if err != nil {
			stop()
			rd.finish()
			return fmt.Errorf("copy into enterprises: %w", err)
		}
		if err := rd.finish(); err != nil {
			return err
		}
		if len(known) > 0 {
			if err := upsertKnown(ctx, tx, raw, known, pl.gen, now); err != nil {
				return err
			}
		}
		return s.landed(ctx, tx, a, &pl, filename, res, progress)
	})
	if err != nil {
		rd.drop()
		return err
	}
	// A bulk load leaves the planner's statistics behind (autovacuum would
	// catch up within minutes); the index's catch-up queries need them now.
	if _, err := s.DB.W.ExecContext(ctx, `ANALYZE enterprises`); err != nil {
		return err
	}
	return s.indexAfter(ctx, rd, pl, res, progress)
}

// copyCols are the columns COPY fills, after the id.
var copyCols = []string{"credit_code", "name", "former_names", "industry_code", "region_code", "registered_capital", "founded_on",
	"revenue", "staff", "listing_code", "tags", "is_target", "expanded_on", "gen", "created_at", "updated_at"}

func copyRow(r Record, gen int64, now time.Time) []any {
	return []any{r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, pgDate(r.FoundedOn), r.Revenue, r.Staff,
		r.Listing, r.Tags, r.IsTarget, pgDate(r.ExpandedOn), gen, now, now}
}

// upsertKnown updates the known rows: COPY into a temporary table, then the
// upsert rules in SQL.
func upsertKnown(ctx context.Context, tx *db.Tx, raw func(func(any) error) error, known []Record, gen int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE enterprise_import_known (credit_code text, name text, former_names text,
		industry_code text, region_code text, registered_capital bigint, founded_on date, revenue bigint, staff integer, listing_code text,
		tags text, is_target boolean, expanded_on date, gen bigint, created_at timestamptz, updated_at timestamptz) ON COMMIT DROP`); err != nil {
		return err
	}
	err := raw(func(dc any) error {
		i := 0
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"enterprise_import_known"}, copyCols,
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == len(known) {
					return nil, nil
				}
				i++
				return copyRow(known[i-1], gen, now), nil
			}))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy the known rows: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO enterprises (`+insertCols+`) SELECT `+insertCols+` FROM enterprise_import_known`+
		fmt.Sprintf(upsertOn, "chr(10)", "btrim"))
	return err
}
