package db

import (
	"context"
	"sync"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Shared runs a check (is my in-memory copy current?) so that concurrent
// callers share one run of it instead of one database round trip each,
// without ever being answered by a check that began before they arrived:
// a caller arriving while a check runs waits for the next one, which
// begins once that one ends and answers every caller that arrived
// meanwhile. So a caller sees at least every write committed before it
// called, as if it had run the check itself, and under a stream of callers
// at most one check runs and one waits. The zero Shared is ready.
type Shared struct {
	mu      sync.Mutex
	running bool
	next    *sharedRun // the run that begins after the running one
}

type sharedRun struct {
	done chan struct{}
	err  error
}

// Do runs check, or waits for a run of it that begins after this call.
// The shared run does not inherit a caller's cancellation (one caller
// leaving does not fail the others); ctx only ends this caller's wait.
func (s *Shared) Do(ctx context.Context, check func(context.Context) error) error {
	s.mu.Lock()
	r := s.next
	if r == nil {
		r = &sharedRun{done: make(chan struct{})}
		s.next = r
	}
	if !s.running {
		s.start(context.WithoutCancel(ctx), check)
	}
	s.mu.Unlock()
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return errs.Unreachable(ctx.Err(), "wait for a shared check")
	}
}

// start runs the next run (under s.mu); when it ends, the one queued
// meanwhile, if any, starts.
func (s *Shared) start(ctx context.Context, check func(context.Context) error) {
	r := s.next
	s.next, s.running = nil, true
	go func() {
		r.err = check(ctx)
		close(r.done)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.running = false
		if s.next != nil {
			s.start(ctx, check)
		}
	}()
}

// Counter is a server's shared read of one row of counters: Value answers
// the row's value as of a read that began after the call, sharing that
// read with concurrent callers (Shared).
type Counter struct {
	Name  string
	check Shared
	mu    sync.Mutex
	value int64
}

// Value is the counter's value, read after this call began.
func (c *Counter) Value(ctx context.Context, q Querier) (int64, error) {
	err := c.check.Do(ctx, func(ctx context.Context) error {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = ?`, c.Name).Scan(&n); err != nil {
			return errs.Wrap(err, c.Name+" counter")
		}
		c.mu.Lock()
		c.value = n
		c.mu.Unlock()
		return nil
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value, err
}

// accessCounters holds each database's Access counter.
var accessCounters sync.Map // *DB → *Counter

// Access is the database's access generation, counters('access'): every
// write to sessions (an end, a revocation), users, roles, their grants,
// units or settings moves it (triggers of migration 00024), so a cache of who a
// session is and what it sees, kept while the value stays, is never stale
// — on this server or another over the same database.
func (d *DB) Access(ctx context.Context) (int64, error) {
	c, _ := accessCounters.LoadOrStore(d, &Counter{Name: "access"})
	return c.(*Counter).Value(ctx, d.Reader())
}
