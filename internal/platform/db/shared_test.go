package db

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSharedNeverAnswersWithAnEarlierRun: callers arriving while a check
// runs are answered by the next run (one, however many they are), not by
// the one that began before them.
func TestSharedNeverAnswersWithAnEarlierRun(t *testing.T) {
	var s Shared
	started := make(chan int, 10)
	release := make(chan struct{})
	var runs atomic.Int64
	check := func(context.Context) error {
		started <- int(runs.Add(1))
		<-release
		return nil
	}
	ctx := context.Background()
	first := make(chan struct{})
	go func() { _ = s.Do(ctx, check); close(first) }()
	if n := <-started; n != 1 {
		t.Fatalf("first run numbered %d", n)
	}
	var late sync.WaitGroup
	lateDone := make(chan int, 5)
	for range 5 {
		late.Add(1)
		go func() {
			defer late.Done()
			_ = s.Do(ctx, check)
			lateDone <- int(runs.Load())
		}()
	}
	time.Sleep(50 * time.Millisecond) // the late callers are waiting
	release <- struct{}{}
	<-first
	if n := <-started; n != 2 {
		t.Fatalf("second run numbered %d", n)
	}
	select {
	case n := <-lateDone:
		t.Fatalf("a late caller was answered by run %d before the run begun after it ended", n)
	case <-time.After(50 * time.Millisecond):
	}
	release <- struct{}{}
	late.Wait()
	close(lateDone)
	for n := range lateDone {
		if n != 2 {
			t.Fatalf("a late caller saw %d runs, want 2 (one shared run after the first)", n)
		}
	}
	select {
	case n := <-started:
		t.Fatalf("run %d started with nobody waiting", n)
	case <-time.After(20 * time.Millisecond):
	}
}
