package auth

import (
	"strings"
	"sync"
	"time"
)

// throttle counts failed sign-ins in memory, per client address and per
// account from one address. Keyed by the name typed, an unknown account is
// throttled exactly like a real one (the answer reveals nothing), and a
// lock earned from one address does not stop the account's owner signing
// in from another (so nobody can lock anybody out). Per server: behind a
// load balancer each server counts its own share.
type throttle struct {
	mu sync.Mutex
	m  map[string]*window
}

type window struct {
	first       time.Time
	failures    int
	lockedUntil time.Time
}

func newThrottle() *throttle { return &throttle{m: map[string]*window{}} }

func pairKey(username, addr string) string { return "u:" + strings.ToLower(username) + "\x00" + addr }
func addrKey(addr string) string           { return "a:" + addr }

// blocked reports whether the key is locked at now.
func (t *throttle) blocked(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.m[key]
	return w != nil && now.Before(w.lockedUntil)
}

// fail counts a failure; true when it reaches max within the window, which
// locks the key for lockFor.
func (t *throttle) fail(key string, now time.Time, max int, within, lockFor time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) > 100_000 {
		t.sweep(now)
	}
	w := t.m[key]
	if w == nil || now.Sub(w.first) >= within {
		w = &window{first: now}
		t.m[key] = w
	}
	w.failures++
	if w.failures >= max {
		w.lockedUntil, w.failures, w.first = now.Add(lockFor), 0, now
		return true
	}
	return false
}

// clear forgets the counts of an account (every address): an unlock.
func (t *throttle) clear(username string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	prefix := "u:" + strings.ToLower(username) + "\x00"
	for k := range t.m {
		if strings.HasPrefix(k, prefix) {
			delete(t.m, k)
		}
	}
}

// sweep drops windows that neither count nor lock any more (called locked).
func (t *throttle) sweep(now time.Time) {
	for k, w := range t.m {
		if now.After(w.lockedUntil) && now.Sub(w.first) > time.Hour {
			delete(t.m, k)
		}
	}
}
