package enterprise

import (
	"context"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// On SQLite an import reads and writes at once: one goroutine parses the
// file and hands batches of rows (new ones already given their ids) to the
// transaction, which writes them as they come; when the file is read, the
// same goroutine builds the search index for the new rows while the
// transaction finishes. Reading, writing and indexing thus share the two
// cores instead of following one another.

type chunk struct {
	fresh []Record
	lo    int64 // id of fresh[0]
	known []Record
}

func (s *Service) stream(ctx context.Context, a *org.Actor, each func(func(Record) error) error, filename string, res *ImportResult, progress Progress) error {
	base, err := s.current(ctx)
	if err != nil {
		return err
	}
	var pl plan
	var spec <-chan *Index
	var g0 int64
	defer s.DB.W.ExecContext(context.Background(), `PRAGMA cache_size = -8192`) // back to the pool's usual cache
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		existing, err := existingCodes(ctx, tx)
		if err != nil {
			return err
		}
		var maxID int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM enterprises`).Scan(&maxID); err != nil {
			return err
		}
		if pl.gen, err = nextGen(ctx, tx); err != nil {
			return err
		}
		// The credit-code index of a million rows outgrows the usual page
		// cache; a large cache for the import's length keeps its inserts in
		// memory (the writer connection is the import's alone meanwhile).
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return err
		}
		pl.lo = maxID + 1
		work, stop := context.WithCancel(ctx)
		defer stop()
		chunks := make(chan chunk, 1024) // room for a whole file: reading never waits for writing
		errc := make(chan error, 1)
		go func() {
			defer close(chunks)
			cur := chunk{lo: pl.lo}
			send := func() bool {
				select {
				case chunks <- cur:
				case <-work.Done():
					return false
				}
				cur = chunk{lo: cur.lo + int64(len(cur.fresh))}
				return true
			}
			err := each(func(r Record) error {
				if _, ok := existing[r.CreditCode]; ok {
					cur.known = append(cur.known, r)
				} else {
					cur.fresh = append(cur.fresh, r)
					pl.fresh = append(pl.fresh, r)
				}
				if len(cur.fresh)+len(cur.known) == 2000 && !send() {
					return work.Err()
				}
				return nil
			})
			if err == nil && send() {
				pl.hi = pl.lo + int64(len(pl.fresh)) - 1
				spec, g0 = s.speculate(base, pl)
			}
			errc <- err
		}()
		now, written, known := s.Now().UTC(), 0, 0
		var werr error
		for c := range chunks {
			if werr != nil {
				continue // drain, so that the reader ends
			}
			if werr = batches(ctx, tx, c.fresh, c.lo, pl.gen, now, nopProgress, 0); werr == nil {
				werr = batches(ctx, tx, c.known, 0, pl.gen, now, nopProgress, 0)
			}
			if werr != nil {
				stop()
			}
			written += len(c.fresh) + len(c.known)
			known += len(c.known)
			if written%50000 < 2000 {
				progress("write", written, 0)
			}
		}
		if err := <-errc; werr != nil {
			return werr // the reader stopped because the writer did
		} else if err != nil {
			return err
		}
		if written == 0 {
			return nil
		}
		res.Inserted, res.Updated = written-known, known
		progress("write", written, written)
		return audit.Append(ctx, tx, a.Entry("enterprise.import", "enterprise", 0, nil, importSummary(filename, res)))
	})
	if err != nil {
		if spec != nil {
			go func() { <-spec }() // let the speculative build finish and be dropped
		}
		return err
	}
	progress("index", 0, res.Valid)
	err = s.publish(ctx, spec, g0, pl)
	progress("index", res.Valid, res.Valid)
	return err
}

func nopProgress(string, int, int) {}
