package db_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// probe is a kind of rows for the tests: a table with gen, and its counter.
var probe = db.Generation{Name: "gen_probe", Table: "gen_probe"}

func probeTable(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{`CREATE TABLE gen_probe (id BIGINT PRIMARY KEY, gen BIGINT NOT NULL)`,
		`INSERT INTO counters (name, value) VALUES ('gen_probe', 0)`} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

func write(ctx context.Context, d *db.DB, g db.Generation, id int64, inside func(gen int64) error) (int64, error) {
	var gen int64
	err := d.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if gen, err = g.Next(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gen_probe (id, gen) VALUES (?, ?)`, id, gen); err != nil {
			return err
		}
		if inside != nil {
			return inside(gen)
		}
		return nil
	})
	return gen, err
}

// reader follows the protocol: it holds a generation and the ids it read.
type reader struct {
	held db.Mark
	seen map[int64]bool
}

func (r *reader) catchUp(t *testing.T, d *db.DB, g db.Generation) {
	t.Helper()
	ctx := context.Background()
	settled, changed, err := g.Since(ctx, d.Reader(), r.held)
	if err != nil {
		t.Fatal(err)
	}
	if changed {
		cond, args := r.held.Where()
		rows, err := d.Reader().QueryContext(ctx, `SELECT id FROM gen_probe WHERE `+cond, args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			r.seen[id] = true
		}
		rows.Close()
	}
	r.held = settled
}

// TestGenerationSkipsNoWriteInFlight: a writer that took its generation
// before another but commits after it is still read, on both databases
// and in both protocols; on PostgreSQL the snapshot protocol holds the
// reader below the writer still in flight.
func TestGenerationSkipsNoWriteInFlight(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		probeTable(t, d)
		ctx := context.Background()
		for _, g := range []db.Generation{probe, {Name: probe.Name, Table: probe.Table, Serial: true}} {
			if _, err := d.W.ExecContext(ctx, `DELETE FROM gen_probe`); err != nil {
				t.Fatal(err)
			}
			r := &reader{seen: map[int64]bool{}}
			r.catchUp(t, d, g)
			if d.Dialect == db.SQLite || g.Serial {
				// One writer at a time: each write is read, in order.
				for id := int64(1); id <= 3; id++ {
					gen, err := write(ctx, d, g, id, nil)
					if err != nil {
						t.Fatal(err)
					}
					r.catchUp(t, d, g)
					if !r.seen[id] || r.held.Newest() != gen {
						t.Fatalf("serial %v: after write %d (gen %d) the reader holds %+v, saw %v", g.Serial, id, gen, r.held, r.seen)
					}
				}
				continue
			}
			// A takes its generation, B takes a later one and commits first.
			started, release := make(chan int64), make(chan struct{})
			var aGen int64
			var wg sync.WaitGroup
			var aErr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, aErr = write(ctx, d, g, 1, func(gen int64) error {
					started <- gen
					<-release
					return nil
				})
			}()
			aGen = <-started
			bGen, err := write(ctx, d, g, 2, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.catchUp(t, d, g)
			if !r.seen[2] || r.seen[1] {
				t.Fatalf("with A in flight the reader saw %v; want B (2) only", r.seen)
			}
			if !slices.Contains(r.held.Open, aGen) || r.held.Below <= bGen {
				t.Fatalf("with A (%d) in flight and B (%d) read, the reader holds %+v: A must be open, B below", aGen, bGen, r.held)
			}
			if r.held.Newest() >= aGen {
				t.Fatalf("the reader claims %d, at or past A's generation %d", r.held.Newest(), aGen)
			}
			// While A stays in flight, nothing is read again.
			if _, changed, err := g.Since(ctx, d.Reader(), r.held); err != nil || changed {
				t.Fatalf("with A in flight and nothing new, Since says changed=%v (%v): B would be read again", changed, err)
			}
			close(release)
			wg.Wait()
			if aErr != nil {
				t.Fatal(aErr)
			}
			r.catchUp(t, d, g)
			if !r.seen[1] {
				t.Fatalf("after A committed the reader still misses it (holds %d)", r.held)
			}
		}
	})
}

// TestGenerationUnderConcurrentWriters: 16 writers and a reader following
// the protocol; once every writer is done and the reader has caught up,
// it has read every committed row.
func TestGenerationUnderConcurrentWriters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		probeTable(t, d)
		ctx := context.Background()
		r := &reader{seen: map[int64]bool{}}
		var wg sync.WaitGroup
		errc := make(chan error, 16)
		for w := 0; w < 16; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 25; k++ {
					if _, err := write(ctx, d, probe, int64(w*1000+k), nil); err != nil {
						errc <- err
						return
					}
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
				r.catchUp(t, d, probe)
			}
		}
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		r.catchUp(t, d, probe)
		if len(r.seen) != 16*25 {
			t.Fatalf("the reader read %d of %d rows", len(r.seen), 16*25)
		}
	})
}
