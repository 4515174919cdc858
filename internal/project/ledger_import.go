package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/memlimit"
	"github.com/zhaoqing/attract/internal/platform/tabular"
)

// An import reads and writes at once. One goroutine reads the file and
// parses and checks each row (dictionary, units, amounts, dates); another
// fetches, for each chunk of rows, the registered projects with the same
// investors (by index, instead of loading every project first); the
// caller's goroutine runs the duplicate guard over the rows in file order
// and hands the good ones to the transaction as they come. Reading and
// parsing thus share the two cores with the writing instead of preceding it
// (measured by `attract bench --part ledger`).

// ImportLedger reads a ledger and, unless dryRun, writes its projects in one
// transaction. The duplicate guard compares each row with every project
// already registered and with the rows above it.
func (s *Service) ImportLedger(ctx context.Context, a *org.Actor, r io.Reader, filename string, mode ImportMode, dryRun bool) (ImportResult, error) {
	if mode != AllOrNothing && mode != ValidOnly {
		return ImportResult{}, errs.E(errs.Invalid, "导入方式应为 all_or_nothing 或 valid_only", "mode is all_or_nothing or valid_only").Field("mode", "取值无效", "invalid")
	}
	res := ImportResult{DryRun: dryRun, Mode: mode, Errors: []RowError{}, Preview: []LedgerItem{}}
	rd, err := s.startLedger(ctx, a, r, filename, &res)
	if rd == nil {
		return res, err
	}
	defer rd.stop()
	ck := &checker{rd: rd, above: newDupGuard(), res: &res}
	n := 0
	if dryRun {
		for _, ok := ck.next(); ok; _, ok = ck.next() {
		}
		err = rd.wait()
	} else if n, err = s.writeLedgerBounded(ctx, a, ck, filename); errors.Is(err, errNothingWritten) {
		err = nil
	}
	if err != nil {
		rd.stop()
		if rd.fileErr != nil && !errors.Is(rd.fileErr, context.Canceled) {
			return ImportResult{}, rd.fileErr // the file, not the database, stopped the import
		}
		return res, err
	}
	res.Imported = n
	return res, nil
}

// startLedger opens the file, reads its header and starts reading the rows;
// no reading (and what to answer) when the import ends before any row.
func (s *Service) startLedger(ctx context.Context, a *org.Actor, r io.Reader, filename string, res *ImportResult) (*reading, error) {
	src, err := openLedger(r, filename)
	if err != nil {
		*res = ImportResult{}
		return nil, err
	}
	rd, err := s.startRows(ctx, a, src, res)
	if rd == nil {
		src.Close()
	}
	return rd, err
}

func (s *Service) startRows(ctx context.Context, a *org.Actor, src tabular.Source, res *ImportResult) (*reading, error) {
	head, line, err := src.Next()
	if err == io.EOF {
		return nil, errs.E(errs.Invalid, "文件为空", "the file is empty")
	}
	if err != nil {
		*res = ImportResult{}
		return nil, err
	}
	if line != 1 {
		head = nil // the sheet's first row is empty: no header
	}
	idx, headErrs := headerIndex(head)
	if len(headErrs) > 0 {
		res.Errors = headErrs
		return nil, nil
	}
	l, err := s.loadLookups(ctx, s.DB.Reader())
	if err != nil {
		return nil, err
	}
	return s.read(ctx, src, idx, l, a), nil
}

// reading is the two goroutines that read and parse the file, and fetch
// the registered projects each chunk of rows might duplicate.
type reading struct {
	chunks  <-chan parsedChunk
	cancel  context.CancelFunc
	done    sync.WaitGroup
	fileErr error // why the file could not be read; read after wait
	dbErr   error // why the registered projects could not be
	rows    int   // the table's length, header included (for the audit digest)
}

// parsedChunk is a run of parsed rows, in file order, with the registered
// projects that share an investor with them.
type parsedChunk struct {
	rows  []ledgerRow
	known *dupGuard
}

// read starts reading src (which it closes) past the header.
func (s *Service) read(ctx context.Context, src tabular.Source, idx map[string]int, l lookups, a *org.Actor) *reading {
	ctx, cancel := context.WithCancel(ctx)
	// Room for 16,384 rows ahead of the writer (two queues of 16 chunks):
	// reading seldom waits, and a ledger at its 100,000-row bound is not
	// held whole in memory.
	parsed := make(chan []ledgerRow, 16)
	ch := make(chan parsedChunk, 16)
	rd := &reading{chunks: ch, cancel: cancel}
	rd.done.Add(2)
	go func() {
		defer rd.done.Done()
		defer close(parsed)
		defer src.Close()
		rd.fileErr = s.parse(ctx, src, idx, l, a, parsed)
		if rd.fileErr == nil {
			rd.rows = src.Rows()
		}
	}()
	go func() {
		defer rd.done.Done()
		defer close(ch)
		q := s.DB.Reader()
		for rows := range parsed {
			known, err := knownProjects(ctx, q, rows)
			if err == nil {
				select {
				case ch <- parsedChunk{rows, known}:
				case <-ctx.Done():
					err = ctx.Err()
				}
			}
			if err != nil {
				rd.dbErr = err
				cancel()
				for range parsed {
				}
				return
			}
		}
	}()
	return rd
}

// chunkRows is how many rows go through the pipeline together: one query
// for their registered look-alikes, one block of ids on PostgreSQL.
const chunkRows = 512

// parse reads the rows past the header and sends them on in chunks, blank
// rows left out.
func (s *Service) parse(ctx context.Context, src tabular.Source, idx map[string]int, l lookups, a *org.Actor, out chan<- []ledgerRow) error {
	today := s.today()
	send := func(chunk []ledgerRow) error {
		select {
		case out <- chunk:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	chunk := make([]ledgerRow, 0, chunkRows)
	for {
		row, line, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if tabular.Blank(row) {
			continue
		}
		chunk = append(chunk, l.parseRow(&cellReader{row: row, idx: idx, line: line}, a, today))
		if len(chunk) == cap(chunk) {
			if err := send(chunk); err != nil {
				return err
			}
			chunk = make([]ledgerRow, 0, chunkRows)
		}
	}
	if len(chunk) > 0 {
		return send(chunk)
	}
	return nil
}

// wait lets the reading finish (discarding what is left) and says why it
// stopped early, if it did: the file first.
func (rd *reading) wait() error {
	for range rd.chunks {
	}
	rd.done.Wait()
	if rd.fileErr != nil {
		return rd.fileErr
	}
	return rd.dbErr
}

// stop abandons the reading, if it still runs.
func (rd *reading) stop() {
	rd.cancel()
	_ = rd.wait()
}

// checker runs the duplicate guard over the parsed rows in file order (the
// registered projects a chunk might duplicate, then the rows above) and
// keeps the result's counts, errors and preview.
type checker struct {
	rd    *reading
	above *dupGuard
	res   *ImportResult
}

// next checks the next chunk of rows and returns its good ones (none once
// an all-or-nothing import has a bad row: what is left is only checked);
// false after the last chunk.
func (ck *checker) next() ([]ledgerRow, bool) {
	chunk, ok := <-ck.rd.chunks
	if !ok {
		return nil, false
	}
	res := ck.res
	good := chunk.rows[:0]
	for _, r := range chunk.rows {
		res.Rows++
		if len(r.errs) == 0 {
			if other := matchDuplicate(r, chunk.known, ck.above); other != "" {
				r.errs = append(r.errs, rowError(r.line, "name", "疑似重复项目："+other, "looks like a project already registered: "+other))
			}
		}
		if len(r.errs) > 0 {
			res.Errors = append(res.Errors, r.errs...)
			continue
		}
		ck.above.add(r, fmt.Sprintf("第 %d 行", r.line))
		res.Valid++
		pending := pendingAt(r.stage) == "pending"
		if pending {
			res.Pending++
		}
		if len(res.Preview) < 20 {
			res.Preview = append(res.Preview, LedgerItem{Row: r.line, Name: r.in.Name, InvestorName: r.in.InvestorName, Stage: r.stage,
				ContractInvestment: r.in.ContractInvestment, LocalityUnitID: r.in.LocalityUnitID, SignedOn: r.dates[2], Pending: pending})
		}
		good = append(good, r)
	}
	if res.Mode == AllOrNothing && len(res.Errors) > 0 {
		return good[:0], true
	}
	return good, true
}

// errNothingWritten rolls back an import that has nothing to write: no good
// row, or a bad one in an all-or-nothing import.
var errNothingWritten = errors.New("nothing to import")

// written is what an import wrote: how many projects, the first and last id.
type written struct {
	n           int
	first, last int64
}

func (w *written) add(id int64) {
	if w.n == 0 {
		w.first = id
	}
	w.n, w.last = w.n+1, id
}

// writeLedger writes the good rows as the checker passes them, in one
// transaction with the audit entry.
func (s *Service) writeLedger(ctx context.Context, a *org.Actor, ck *checker, filename string) (int, error) {
	var w written
	var err error
	if s.DB.Dialect == db.Postgres {
		err = s.DB.InTxRaw(ctx, func(tx *db.Tx, raw func(func(any) error) error) error {
			gen, err := nextGen(ctx, tx) // the rows carry it, for the mirror (mirror.go)
			if err != nil {
				return err
			}
			if err := s.copyLedger(ctx, raw, a, ck, &w, gen); err != nil {
				return err
			}
			return s.landLedger(ctx, tx, a, ck, filename, w)
		})
	} else {
		// On the writer connection, held for the import: a page cache large
		// enough for the projects' two dozen indexes, and foreign keys
		// checked by insertLedger once rather than row by row (see there).
		setup := []string{`PRAGMA cache_size = -262144`, `PRAGMA foreign_keys = OFF`}
		reset := []string{`PRAGMA foreign_keys = ON`, `PRAGMA cache_size = -8192`} // the pool's usual
		err = s.DB.InTxSetup(ctx, setup, reset, func(tx *db.Tx) error {
			gen, err := nextGen(ctx, tx) // the rows carry it, for the mirror (mirror.go)
			if err != nil {
				return err
			}
			if err := s.insertLedger(ctx, tx, a, ck, &w, gen); err != nil {
				return err
			}
			return s.landLedger(ctx, tx, a, ck, filename, w)
		})
	}
	return w.n, err
}

// landLedger ends the import's transaction: the audit entry, or nothing
// (and a rollback) when the file failed or there is nothing to keep.
func (s *Service) landLedger(ctx context.Context, tx *db.Tx, a *org.Actor, ck *checker, filename string, w written) error {
	if err := ck.rd.wait(); err != nil {
		return err
	}
	res := ck.res
	if w.n == 0 || (res.Mode == AllOrNothing && len(res.Errors) > 0) {
		return errNothingWritten
	}
	sum := sha256.Sum256([]byte(fmt.Sprint(ck.rd.rows, filename)))
	return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "project.import", ObjectType: "project", ObjectID: fmt.Sprintf("%d-%d", w.first, w.last),
		After: map[string]any{"file": filename, "rows": res.Rows, "imported": w.n, "mode": res.Mode, "first_id": w.first, "last_id": w.last, "digest": hex.EncodeToString(sum[:8])}})
}

// mirrorBytesPerRow is what a project row adds to the server's steady
// memory (the mirror and its bitmaps: 55 MB for 100,000 rows of XLSX in
// make bench's ledger figures). The bound is for the most rows a ledger
// may hold: the file's rows are not known before they are read.
const mirrorBytesPerRow = 512

// writeLedgerBounded writes the ledger under the import memory bound
// (platform/memlimit).
func (s *Service) writeLedgerBounded(ctx context.Context, a *org.Actor, ck *checker, filename string) (int, error) {
	defer memlimit.During(int64(tabular.LedgerLimits.Rows) * mirrorBytesPerRow)()
	return s.writeLedger(ctx, a, ck, filename)
}
