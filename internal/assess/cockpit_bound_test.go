package assess

import (
	"fmt"
	"testing"
	"time"
)

// TestCockpitCacheBounded: the cache keeps at most cockpitEntries scopes,
// dropping the least recently asked for, and never replaces an entry with
// one computed earlier.
func TestCockpitCacheBounded(t *testing.T) {
	c := newCockpitCache()
	t0 := time.Now()
	for i := 0; i < cockpitEntries+40; i++ {
		c.store(&cockpitEntry{key: fmt.Sprint(i), started: t0})
		if i == cockpitEntries-1 {
			c.lookup("0") // asked for again: kept
		}
	}
	if n := c.len(); n != cockpitEntries {
		t.Fatalf("%d entries kept, cap %d", n, cockpitEntries)
	}
	if c.lookup("0") == nil || c.lookup("1") != nil || c.lookup(fmt.Sprint(cockpitEntries+39)) == nil {
		t.Fatal("not the least recently used dropped")
	}
	c.store(&cockpitEntry{key: "0", started: t0.Add(time.Second), mark: "new"})
	c.store(&cockpitEntry{key: "0", started: t0, mark: "old"})
	if e := c.lookup("0"); e.mark != "new" {
		t.Fatalf("an older computation replaced a newer one: %q", e.mark)
	}
}
