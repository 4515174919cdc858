package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// The crash test: the real `attract serve` binary is killed with SIGKILL
// while several writers register projects and move them on through the
// HTTP API, restarted, and killed again. At the end every write the server
// acknowledged (201/200) is in the database exactly once, a write whose
// answer was lost is there at most once, the audit chain verifies
// (`attract audit verify`), and the project list's totals — the in-memory
// mirror rebuilt after the last start — equal the table's rows.
//
// ATTRACT_CRASH_KILLS sets the kills per database (default 5, the short form
// `go test` runs; `make crash` runs 50).

const (
	crashPassword  = "Crash-demo-2026"
	crashWriters   = 8
	crashLoadMin   = 400 * time.Millisecond
	crashLoadRange = 1200 * time.Millisecond
)

func TestCrashUnderWriteLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test builds and runs the server; skipped with -short")
	}
	kills := 5
	if v := os.Getenv("ATTRACT_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("ATTRACT_CRASH_KILLS=%q: want a positive number", v)
		}
		kills = n
	}
	bin := filepath.Join(t.TempDir(), "attract")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) {
		crashRun(t, bin, "sqlite:"+filepath.Join(t.TempDir(), "attract.db"), kills)
	})
	t.Run("postgres", func(t *testing.T) {
		crashRun(t, bin, dbtest.EmptyPostgres(t), kills)
	})
}

// crashServer is one run of the binary at a time on one database.
type crashServer struct {
	t    *testing.T
	bin  string
	dsn  string
	addr string
	dir  string
	cmd  *exec.Cmd
	log  *os.File
	runs int
}

func (s *crashServer) env() []string {
	return append(os.Environ(), "ATTRACT_ADMIN_PASSWORD=Crash-admin-2026", "ATTRACT_DEMO_PASSWORD="+crashPassword,
		"ATTRACT_AUDIT_KEY_FILE="+filepath.Join(s.dir, "audit.key"), "ATTRACT_AUDIT_CHECKPOINT="+filepath.Join(s.dir, "audit.checkpoint"),
		"ATTRACT_LOG_LEVEL=warn", "ATTRACT_MIN_FREE_MB=1")
}

// start runs the server and waits for /readyz (the mirror loaded again).
func (s *crashServer) start() {
	s.t.Helper()
	s.runs++
	s.cmd = exec.Command(s.bin, "serve", "--demo", "--db", s.dsn, "--addr", s.addr)
	s.cmd.Env = s.env()
	fmt.Fprintf(s.log, "\n--- start %d\n", s.runs)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.fail("the server was not ready after 3 minutes")
}

func (s *crashServer) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
}

func (s *crashServer) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

func (s *crashServer) fail(msg string) {
	s.t.Helper()
	b, _ := os.ReadFile(s.log.Name())
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	s.t.Fatalf("%s; last lines of the server's log:\n%s", msg, b)
}

// crashWriter is one user's client; a session survives the server's restarts
// (it is in the database).
type crashWriter struct {
	base string
	http *http.Client
	csrf string
}

func (w *crashWriter) do(method, path string, body any) (int, []byte, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, w.base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", w.csrf)
	res, err := w.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

func signIn(t *testing.T, base, username string) *crashWriter {
	jar, _ := cookiejar.New(nil)
	w := &crashWriter{base: base, http: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
	st, b, err := w.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": crashPassword})
	if err != nil || st != 200 {
		t.Fatalf("sign in %s: %d %s %v", username, st, b, err)
	}
	var r struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	w.csrf = r.CSRF
	return w
}

// ledger is what the writers were told: names acknowledged as created, ids
// acknowledged as moved to negotiating, and names whose answer was lost.
type ledger struct {
	mu          sync.Mutex
	created     map[string]int64
	negotiating map[int64]bool
	unknown     map[string]bool
}

// locked runs fn holding the ledger's lock.
func (l *ledger) locked(fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn()
}

// freeAddr is a loopback address no one listens on now: fixed ports collide
// with another checkout's run of the same test.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func crashRun(t *testing.T, bin, dsn string, kills int) {
	dir := t.TempDir()
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	s := &crashServer{t: t, bin: bin, dsn: dsn, addr: freeAddr(t), dir: dir, log: logf}
	s.start()
	// A failing check must not leave the server running (it would hold the
	// database and the port after the test).
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.kill()
		}
	})
	base := "http://" + s.addr
	users := []string{"dz_staff", "zsb_staff", "wg_nev", "dept_staff"}
	writers := make([]*crashWriter, crashWriters)
	for i := range writers {
		writers[i] = signIn(t, base, users[i%len(users)])
	}
	l := &ledger{created: map[string]int64{}, negotiating: map[int64]bool{}, unknown: map[string]bool{}}
	today := civil.Of(time.Now()).String()
	var refused atomic.Int64
	var firstRefusal atomic.Value
	for round := range kills {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for wi, w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for seq := 0; ctx.Err() == nil; seq++ {
					// Fixed widths: the duplicate guard drops the hyphens, and
					// round 10, writer 3, item 0 must not read as round 1,
					// writer 0, item 30.
					tag := fmt.Sprintf("%03d-%d-%05d", round, wi, seq)
					name := "崩溃测试" + tag
					st, b, err := w.do("POST", "/api/v1/projects", map[string]any{"name": name,
						"investor_name": "崩溃测试投资方" + tag + "有限公司", "channel": "online"})
					if err != nil || st >= 500 {
						l.locked(func() { l.unknown[name] = true })
						if err != nil {
							return // the server is gone; the round ends
						}
						continue
					}
					if st != 201 {
						refused.Add(1)
						firstRefusal.CompareAndSwap(nil, fmt.Sprintf("create: %d %s", st, b))
						continue
					}
					var p struct {
						ID      int64 `json:"id"`
						Version int   `json:"version"`
					}
					_ = json.Unmarshal(b, &p)
					l.locked(func() { l.created[name] = p.ID })
					if seq%3 != 0 {
						continue
					}
					st, b, err = w.do("POST", fmt.Sprintf("/api/v1/projects/%d/transitions", p.ID),
						map[string]any{"action": "negotiating", "on": today, "version": p.Version})
					if err != nil {
						return
					}
					if st == 200 {
						l.locked(func() { l.negotiating[p.ID] = true })
					} else if st < 500 {
						refused.Add(1)
						firstRefusal.CompareAndSwap(nil, fmt.Sprintf("transition: %d %s", st, b))
					}
				}
			}()
		}
		time.Sleep(crashLoadMin + rand.N(crashLoadRange))
		s.kill()
		cancel()
		wg.Wait()
		s.start()
	}
	if n := refused.Load(); n > 0 {
		t.Fatalf("%d writes refused by the server (not by the crash), the first: %v", n, firstRefusal.Load())
	}
	// The writers' sessions outlived every kill: one more acknowledged write.
	if st, b, err := writers[0].do("GET", "/api/v1/auth/me", nil); err != nil || st != 200 {
		t.Fatalf("a session did not survive the restarts: %d %s %v", st, b, err)
	}
	listTotals := crashListTotals(t, base)
	s.stop()
	verify := exec.Command(bin, "audit", "verify", "--db", dsn)
	verify.Env = s.env()
	if out, err := verify.CombinedOutput(); err != nil {
		t.Fatalf("attract audit verify after %d kills: %v\n%s", kills, err, out)
	} else {
		t.Logf("attract audit verify: %s", strings.TrimSpace(string(out)))
	}
	crashCheckRows(t, dsn, l, listTotals)
	t.Logf("%d kills, %d writers: %d creates and %d transitions acknowledged, all present once; %d writes without an answer",
		kills, crashWriters, len(l.created), len(l.negotiating), len(l.unknown))
}

// crashListTotals is the project list's total per stage as the leader (scope:
// the whole city) sees it, after the last restart: what the mirror counts.
func crashListTotals(t *testing.T, base string) map[string]int {
	leader := signIn(t, base, "leader")
	totals := map[string]int{}
	for _, stage := range []string{"", "lead", "negotiating"} {
		st, b, err := leader.do("GET", "/api/v1/projects?page_size=1&q=崩溃测试&stage="+stage, nil)
		var r struct {
			Total int `json:"total"`
		}
		if err != nil || st != 200 || json.Unmarshal(b, &r) != nil {
			t.Fatalf("list stage %q: %d %s %v", stage, st, b, err)
		}
		totals[stage] = r.Total
	}
	return totals
}

func crashCheckRows(t *testing.T, dsn string, l *ledger, listTotals map[string]int) {
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Reader().QueryContext(ctx, `SELECT id, name, stage FROM projects WHERE name LIKE '崩溃测试%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]int{}
	stageOf := map[int64]string{}
	byStage := map[string]int{}
	for rows.Next() {
		var id int64
		var name, stage string
		if err := rows.Scan(&id, &name, &stage); err != nil {
			t.Fatal(err)
		}
		seen[name]++
		stageOf[id] = stage
		byStage[stage]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for name, n := range seen {
		if n > 1 {
			t.Errorf("%q is there %d times", name, n)
		}
		if _, ok := l.created[name]; !ok && !l.unknown[name] {
			t.Errorf("%q is there but was never sent", name)
		}
	}
	for name, id := range l.created {
		if seen[name] != 1 {
			t.Errorf("acknowledged project %q (id %d) is there %d times", name, id, seen[name])
		}
	}
	for id := range l.negotiating {
		if stageOf[id] != "negotiating" {
			t.Errorf("project %d was acknowledged as negotiating, the table says %q", id, stageOf[id])
		}
	}
	total := 0
	for _, n := range byStage {
		total += n
	}
	if listTotals[""] != total || listTotals["lead"] != byStage["lead"] || listTotals["negotiating"] != byStage["negotiating"] {
		t.Errorf("the list's totals %v differ from the table's rows (%d, by stage %v)", listTotals, total, byStage)
	}
}
