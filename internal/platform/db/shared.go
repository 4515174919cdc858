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
	r := s.join(ctx, check)
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return errs.Unreachable(ctx.Err(), "wait for a shared check")
	}
}

// join is the run a caller waits for: the next one, started now when none
// runs.
func (s *Shared) join(ctx context.Context, check func(context.Context) error) *sharedRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.next
	if r == nil {
		r = &sharedRun{done: make(chan struct{})}
		s.next = r
	}
	if !s.running {
		s.start(context.WithoutCancel(ctx), check)
	}
	return r
}

// start runs the next run (under s.mu); when it ends, the one queued
// meanwhile, if any, starts.
func (s *Shared) start(ctx context.Context, check func(context.Context) error) {
	r := s.next
	s.next, s.running = nil, true
	go func() {
		r.err = check(ctx)
		close(r.done)
		s.ended(ctx, check)
	}()
}

func (s *Shared) ended(ctx context.Context, check func(context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = false
	if s.next != nil {
		s.start(ctx, check)
	}
}

// Latest is a value read through a Shared check: Get answers what a read
// begun after the call found, the read shared with concurrent callers.
// The zero Latest is ready.
type Latest[T any] struct {
	check Shared
	mu    sync.Mutex
	v     T
}

// Get reads the value (or waits for a shared read begun after this call).
// The shared reads run one at a time, so the last stored is the newest.
func (l *Latest[T]) Get(ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	err := l.check.Do(ctx, func(ctx context.Context) error {
		v, err := read(ctx)
		if err == nil {
			l.set(v)
		}
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return l.get(), nil
}

func (l *Latest[T]) set(v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.v = v
}

func (l *Latest[T]) get() T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v
}

// Counter is a server's shared read of one row of counters (Latest).
type Counter struct {
	Name  string
	value Latest[int64]
}

// Value is the counter's value, read after this call began.
func (c *Counter) Value(ctx context.Context, q Querier) (int64, error) {
	return c.value.Get(ctx, func(ctx context.Context) (int64, error) {
		var n int64
		err := q.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = ?`, c.Name).Scan(&n)
		return n, errs.Wrap(err, c.Name+" counter")
	})
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
