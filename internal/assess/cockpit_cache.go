package assess

import (
	lru "container/list"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// The cockpit is what a room of leaders opens at once and leaves on a wall
// screen that refreshes: the same figures asked for again and again between
// two writes. Computing them takes about 100 ms of CPU at 100,000 projects
// (this year's and last year's credits, the ranking, the forecast's
// simulations), so computed per request a few dozen screens fill the
// machine. The cache computes them once per (scope, year, day, data mark)
// and serves the JSON to every request until the data change:
//
//   - the data mark is read before anything else, by one small query (the
//     project generation and the version figures of what else the cockpit
//     reads); a request whose mark equals the entry's is served from memory;
//   - requests that miss share one computation per scope (singleflight). A
//     request never takes the result of a computation that began before the
//     request did unless its mark is the same: after a write, the next
//     request sees it (no stale figure), however many computations are under
//     way;
//   - computations run at most GOMAXPROCS at a time, so that 300 screens
//     asking at once queue rather than hold 300 half-built cockpits;
//   - memory is bounded: at most cockpitEntries scopes are kept, the least
//     recently asked for leaving first; an entry older than cockpitMaxAge is
//     computed again, so that an edit made by hand in SQL without bumping a
//     version shows within that time.
const (
	cockpitEntries = 256
	cockpitMaxAge  = time.Minute
)

type cockpitCache struct {
	mu      sync.Mutex
	entries map[string]*lru.Element // key → element of order, whose Value is *cockpitEntry
	order   *lru.List               // most recently used first
	flight  singleflight.Group
	slots   chan struct{} // one per computation allowed at once

	mark db.Latest[string] // concurrent requests share one read of the data mark
}

// cockpitEntry is one scope's figures as a computation made them.
type cockpitEntry struct {
	key     string
	mark    string    // the data mark read before computing
	started time.Time // when the computation began (before it read the mark)
	body    []byte    // the JSON answer
	value   Cockpit
}

func newCockpitCache() *cockpitCache {
	return &cockpitCache{entries: map[string]*lru.Element{}, order: lru.New(), slots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
}

func (c *cockpitCache) lookup(key string) *cockpitEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*cockpitEntry)
}

// store keeps e unless a newer computation of its scope is kept already.
func (c *cockpitCache) store(e *cockpitEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[e.key]; ok {
		if el.Value.(*cockpitEntry).started.After(e.started) {
			return
		}
		el.Value = e
		c.order.MoveToFront(el)
		return
	}
	c.entries[e.key] = c.order.PushFront(e)
	for c.order.Len() > cockpitEntries {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*cockpitEntry).key)
	}
}

// len is how many scopes are kept (for the tests of the bound).
func (c *cockpitCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// cockpitKey names what the figures depend on besides the data: who asks
// (the scope, and for a unit scope the unit, whose name and path the page
// shows and the scope reads), the year and the day (the forecast and the
// stalled projects move with it).
func cockpitKey(a *org.Actor, year int, today civil.Date) string {
	who := "all"
	switch a.Scope {
	case org.ScopeAll:
	case org.ScopeSelf:
		who = fmt.Sprintf("self/%d/%d/%s", a.UserID, a.UnitID, a.UnitName)
	default:
		who = fmt.Sprintf("%s/%d/%s/%s", a.Scope, a.UnitID, a.UnitPath, a.UnitName)
	}
	return fmt.Sprintf("%s|%d|%s", who, year, today)
}

// dataMark is the project mirror's version (it moves with every write to
// projects and their introducers the mirror has read, and with it every
// correction of a closed month) and one query over the rest the cockpit
// reads: the targets, the closes and
// reopenings, the units, the settings (counting rules, warning thresholds)
// and the open enterprise requests (overdue ones are stalled projects). Each
// write the application makes moves one of the figures (a version, a count,
// an updated_at); the figures are compared, never ordered.
const dataMarkSQL = `SELECT (SELECT COUNT(*) FROM targets), (SELECT COALESCE(SUM(value), 0) FROM targets), (SELECT MAX(updated_at) FROM targets),
	(SELECT COUNT(*) FROM period_closes), (SELECT COUNT(reopened_at) FROM period_closes), (SELECT MAX(id) FROM period_closes),
	(SELECT COUNT(*) FROM units), (SELECT COALESCE(SUM(version), 0) FROM units), (SELECT MAX(updated_at) FROM units),
	(SELECT COUNT(*) FROM settings), (SELECT COALESCE(SUM(version), 0) FROM settings), (SELECT MAX(updated_at) FROM settings),
	(SELECT COUNT(*) FROM project_requests WHERE status = 'open'), (SELECT MAX(updated_at) FROM project_requests WHERE status = 'open')`

// sharedMark is the data mark as read after the call began, the read
// shared by the requests asking at once (db.Shared): 64 screens refreshing
// together cost one query, not 64.
func (s *Service) sharedMark(ctx context.Context) (string, error) {
	return s.cockpits.mark.Get(ctx, s.dataMark)
}

func (s *Service) dataMark(ctx context.Context) (string, error) {
	version, err := s.Projects.Mirror().Version(ctx)
	if err != nil {
		return "", err
	}
	vals := make([]any, 14)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := s.DB.Reader().QueryRowContext(ctx, dataMarkSQL).Scan(ptrs...); err != nil {
		return "", errs.Wrap(err, "cockpit data mark")
	}
	for i, v := range vals {
		if b, ok := v.([]byte); ok { // text through some drivers
			vals[i] = string(b)
		}
	}
	return fmt.Sprint(version, vals), nil
}

// Cockpit answers the cockpit's figures for the actor and year as JSON,
// from the cache when the data have not changed since they were computed.
func (s *Service) Cockpit(ctx context.Context, a *org.Actor, year int) ([]byte, error) {
	e, err := s.cockpitEntry(ctx, a, year)
	if err != nil {
		return nil, err
	}
	return e.body, nil
}

func (s *Service) cockpitEntry(ctx context.Context, a *org.Actor, year int) (*cockpitEntry, error) {
	asked := time.Now()
	key := cockpitKey(a, year, s.today())
	mark, err := s.sharedMark(ctx)
	if err != nil {
		return nil, err
	}
	c := s.cockpits
	if e := c.lookup(key); e != nil && e.mark == mark && time.Since(e.started) < cockpitMaxAge {
		return e, nil
	}
	for {
		ch := c.flight.DoChan(key, func() (any, error) { return s.computeCockpit(context.WithoutCancel(ctx), a, year, key) })
		var res singleflight.Result
		select {
		case <-ctx.Done():
			return nil, errs.Wrap(ctx.Err(), "cockpit")
		case res = <-ch:
		}
		if res.Err != nil {
			return nil, res.Err
		}
		// A computation that began before this request might have read the
		// data before a write this request must see: take it only if it
		// read the same mark, else take the next one (which begins now).
		if e := res.Val.(*cockpitEntry); !e.started.Before(asked) || e.mark == mark {
			return e, nil
		}
	}
}

// computeCockpit computes and keeps one scope's figures, one computation
// per slot.
func (s *Service) computeCockpit(ctx context.Context, a *org.Actor, year int, key string) (*cockpitEntry, error) {
	c := s.cockpits
	c.slots <- struct{}{}
	defer func() { <-c.slots }()
	e := &cockpitEntry{key: key, started: time.Now()}
	var err error
	if e.mark, err = s.sharedMark(ctx); err != nil {
		return nil, err
	}
	if e.value, err = s.CockpitData(ctx, a, year); err != nil {
		return nil, err
	}
	if e.body, err = json.Marshal(e.value); err != nil {
		return nil, errs.Wrap(err, "cockpit")
	}
	e.body = append(e.body, '\n')
	c.store(e)
	return e, nil
}
