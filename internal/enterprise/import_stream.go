package enterprise

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// An import reads and writes at once: one goroutine parses the file and
// hands chunks of records (with the index's view of the new ones) to the
// writer, a bounded number ahead, so that memory holds a few chunks of
// records, not the file. Once every new row has its id, a goroutine builds
// the search index for them while the database finishes. The index is
// published only after the commit, with whatever else was written
// meanwhile.

type chunk struct {
	fresh    []Record
	k        int   // how many new rows the import had before this chunk's
	docs     []doc // the fresh records as the index holds them, ids set by the writer (nil: in the plan's next index)
	freshIDs []int64
	known    []Record
	knownIDs []int64
}

// reader is the parsing goroutine's side of an import.
type reader struct {
	chunks <-chan chunk
	done   chan struct{}
	err    error
	spec   <-chan *Index
	g0     int64
}

// chunkRows is how many records travel from the reader to the writer
// together; readAhead how many chunks may wait (some 60,000 records, a few
// tens of MB: reading runs ahead of writing by that much, then waits).
const (
	chunkRows = 2000
	readAhead = 32
)

// read starts parsing. The reader fills pl's fresh docs (or next index)
// and its known ids;
// wait for it (finish) before reading them. With allocate (PostgreSQL,
// whose sequence hands out ids safely to any number of writers), the
// reader gives the new rows their ids itself and, at the end of the file,
// starts building the index from base while the database still writes;
// without (SQLite, where ids follow the largest under the write lock), the
// writer gives them.
func (s *Service) read(work context.Context, each func(func(Record) error) error, existing codeSet, pl *plan,
	allocate func(n int) (int64, error), base *Index) *reader {
	ch := make(chan chunk, readAhead)
	rd := &reader{chunks: ch, done: make(chan struct{})}
	quarter := -1 // new rows from which the next index is built whole (below: the current one takes them in)
	if base != nil {
		quarter = base.size() / 4
	}
	go func() {
		defer close(rd.done)
		defer close(ch)
		var cur chunk
		send := func() error {
			if n := len(cur.fresh); n > 0 {
				cur.k = pl.inserted
				if cur.docs != nil {
					pl.fresh = append(pl.fresh, cur.docs)
				}
				pl.inserted += n
				if allocate != nil {
					first, err := allocate(n)
					if err != nil {
						return err
					}
					cur.ids(first, pl)
				}
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
				cur.known, cur.knownIDs = append(cur.known, r), append(cur.knownIDs, id)
				pl.knownIDs = append(pl.knownIDs, id)
			} else {
				cur.fresh = append(cur.fresh, r)
				pl.freshDoc(base, quarter, &cur, docOf(0, r))
			}
			if len(cur.fresh)+len(cur.known) == chunkRows {
				return send()
			}
			return nil
		})
		if err == nil {
			err = send()
		}
		if err == nil && allocate != nil {
			rd.spec, rd.g0 = s.speculate(base, *pl)
		}
		rd.err = err
	}()
	return rd
}

// ids gives a chunk's new rows the n consecutive ids from first.
func (c *chunk) ids(first int64, pl *plan) {
	for i := range c.fresh {
		c.freshIDs = append(c.freshIDs, first+int64(i))
	}
	for i := range c.docs {
		c.docs[i].ID = first + int64(i)
	}
	if len(c.fresh) > 0 {
		pl.runs = append(pl.runs, idRun{k: c.k, n: len(c.fresh), first: first})
	}
}

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

// Segments of a SQLite import: each commits on its own (with its audit
// entries and the job's count), so that other writes get in between, the
// job's progress is visible to every server, and a server killed mid-way
// leaves whole segments, counted. A segment ends after segmentRows rows or
// segmentTime, whichever comes first.
const (
	segmentRows = 200_000
	segmentTime = 3 * time.Second
)

// stream writes an import on SQLite: multi-row INSERTs (prepared once per
// segment), new rows with their ids, known ones as upserts.
func (s *Service) stream(ctx context.Context, a *org.Actor, each func(func(Record) error) error, hint int, filename string, res *ImportResult, progress Progress, run *jobRun) error {
	base, err := s.current(ctx)
	if err != nil {
		return err
	}
	existing, err := existingCodes(ctx, s.DB.Reader())
	if err != nil {
		return err
	}
	var pl plan
	work, stop := context.WithCancel(ctx)
	defer stop()
	pl.rowsHint = hint
	rd := s.read(work, each, existing, &pl, nil, base)
	// On the writer connection, for each segment: the credit-code index of
	// a million rows (some 40 MB) outgrows the usual page cache, so a
	// larger one (64 MB) keeps its inserts in memory; and the statement
	// journal each multi-row upsert keeps (a million-row import wrote
	// 1.25 M pages of it to a temporary file) stays in memory too. Reset
	// once the import ends.
	setup := []string{`PRAGMA cache_size = -65536`, `PRAGMA temp_store = MEMORY`}
	defer s.DB.W.ExecContext(context.Background(), `PRAGMA cache_size = -8192`) // the pool's usual
	defer s.DB.W.ExecContext(context.Background(), `PRAGMA temp_store = DEFAULT`)
	now := s.Now().UTC()
	var next int64
	written, part, last := 0, 0, false
	for !last {
		part++
		err := s.DB.InTxSetup(ctx, setup, nil, func(tx *db.Tx) error {
			gen, err := nextGen(ctx, tx)
			if err != nil {
				return err
			}
			pl.gens = append(pl.gens, gen)
			// Other writes may have come in between segments: ids follow
			// the largest, read under the write lock.
			var top int64
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM enterprises`).Scan(&top); err != nil {
				return err
			}
			next = max(next, top+1)
			ins, err := newInserter(ctx, tx, gen, now)
			if err != nil {
				return err
			}
			defer ins.Close()
			var seg segment
			cut := time.NewTimer(segmentTime)
			defer cut.Stop()
			last = true
		chunks:
			for {
				var c chunk
				var ok bool
				select {
				case c, ok = <-rd.chunks:
				case <-cut.C: // the file comes slowly: commit what came
					last = false
					break chunks
				}
				if !ok {
					break
				}
				c.ids(next, &pl)
				next += int64(len(c.fresh))
				err := ins.write(ctx, c.fresh, c.freshIDs)
				if err == nil {
					err = ins.write(ctx, c.known, nil)
				}
				if err != nil {
					return err
				}
				seg.add(c)
				written += len(c.fresh) + len(c.known)
				progress("write", written, 0)
				if seg.rows >= segmentRows {
					last = false
					break
				}
			}
			if !last {
				return s.landSegment(ctx, tx, a, filename, part, seg, written, run, now)
			}
			if err := rd.finish(); err != nil {
				return err
			}
			// Every new row has its id: the index for them can be built
			// while this transaction ends.
			rd.spec, rd.g0 = s.speculate(base, pl)
			if err := s.landed(ctx, tx, a, &pl, seg.knownIDs, part, filename, res, progress); err != nil {
				return err
			}
			return commitJob(ctx, tx, run, written, res, s.Now().UTC())
		})
		if err != nil {
			stop()
			_ = rd.finish()
			rd.drop()
			return err
		}
	}
	return s.indexAfter(ctx, rd, pl, res, progress)
}

// segment is what one transaction of an import wrote.
type segment struct {
	rows, inserted int
	knownIDs       []int64
}

func (g *segment) add(c chunk) {
	g.rows += len(c.fresh) + len(c.known)
	g.inserted += len(c.fresh)
	g.knownIDs = append(g.knownIDs, c.knownIDs...)
}

// landSegment ends a segment that is not the import's last: its audit
// entries and the job's count.
func (s *Service) landSegment(ctx context.Context, tx *db.Tx, a *org.Actor, filename string, part int, seg segment, written int, run *jobRun, now time.Time) error {
	if seg.rows == 0 {
		return commitJob(ctx, tx, run, written, nil, now)
	}
	if err := s.auditUpdated(ctx, tx, a, seg.knownIDs); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, map[string]any{"file": filename, "part": part,
		"inserted": seg.inserted, "updated": seg.rows - seg.inserted})); err != nil {
		return err
	}
	return commitJob(ctx, tx, run, written, nil, now)
}

// landed records the import in the audit log (nothing when no row was
// valid): the updated enterprises one by one, the import as a whole.
func (s *Service) landed(ctx context.Context, tx *db.Tx, a *org.Actor, pl *plan, known []int64, part int, filename string, res *ImportResult, progress Progress) error {
	res.Inserted, res.Updated = pl.inserted, len(pl.knownIDs)
	progress("write", res.Inserted+res.Updated, res.Inserted+res.Updated)
	if res.Inserted+res.Updated == 0 {
		return nil
	}
	if err := s.auditUpdated(ctx, tx, a, known); err != nil {
		return err
	}
	summary := importSummary(filename, res)
	if part > 1 {
		summary["part"] = part
	}
	return audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, summary))
}

func (s *Service) indexAfter(ctx context.Context, rd *reader, pl plan, res *ImportResult, progress Progress) error {
	progress("index", 0, res.Valid)
	err := s.publish(ctx, rd.spec, rd.g0, pl)
	progress("index", res.Valid, res.Valid)
	return err
}

// streamPostgres writes an import on PostgreSQL: new rows go straight into
// the table with COPY (its fastest way in), ids reserved from the identity
// sequence chunk by chunk; known rows go through a temporary table and one
// INSERT … ON CONFLICT; all in one transaction with the audit entry and
// the job's count (its progress is written by its heartbeat meanwhile, on
// another connection).
func (s *Service) streamPostgres(ctx context.Context, a *org.Actor, each func(func(Record) error) error, hint int, filename string, res *ImportResult, progress Progress, run *jobRun) error {
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
	pl := plan{rowsHint: hint}
	var rd *reader
	err = s.DB.InTxRaw(ctx, func(tx *db.Tx, raw func(func(any) error) error) error {
		gen, err := nextGen(ctx, tx)
		if err != nil {
			return err
		}
		pl.gens = []int64{gen}
		work, stop := context.WithCancel(ctx)
		defer stop()
		rd = s.read(work, each, existing, &pl, allocate, base)
		now, written := s.Now().UTC(), 0
		var known []Record
		var cur chunk
		i := 0
		row := make([]any, 1+len(copyCols)) // pgx encodes a row before it asks for the next
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
						progress("write", written, 0)
						cur, i = c, 0
					}
					r, id := cur.fresh[i], cur.freshIDs[i]
					i++
					row[0] = id
					copyRowInto(row[1:], r, gen, now)
					return row, nil
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
			if err := upsertKnown(ctx, tx, raw, known, gen, now); err != nil {
				return err
			}
		}
		if err := s.landed(ctx, tx, a, &pl, pl.knownIDs, 1, filename, res, progress); err != nil {
			return err
		}
		return commitJob(ctx, tx, run, written, res, s.Now().UTC())
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
	row := make([]any, len(copyCols))
	copyRowInto(row, r, gen, now)
	return row
}

// copyRowInto fills row (len(copyCols)) with r's values.
func copyRowInto(row []any, r Record, gen int64, now time.Time) {
	row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = r.CreditCode, r.Name, r.FormerNames, r.Industry, r.Region, r.Capital, pgDate(r.FoundedOn), r.Revenue
	row[8], row[9], row[10], row[11], row[12], row[13], row[14], row[15] = r.Staff, r.Listing, r.Tags, r.IsTarget, pgDate(r.ExpandedOn), gen, now, now
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

// gensIn is "gen IN (…)" of an import's generations, with its arguments.
func gensIn(gens []int64) (string, []any) {
	args := make([]any, len(gens))
	for i, g := range gens {
		args[i] = g
	}
	return `gen IN (?` + strings.Repeat(",?", len(gens)-1) + `)`, args
}
