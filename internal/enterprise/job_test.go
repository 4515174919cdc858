package enterprise_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
)

// Two servers on one database: a job started on A shows its progress and
// outcome on B, is run by A only, and its rows land once.
func TestJobAcrossServers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		b := app.New(d, app.Config{Auth: auth.Defaults()})
		b.Enterprise.Now = a.Enterprise.Now
		ctx := context.Background()
		admin, err := a.ActorByName(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		rows := synth.Rows(77, 6000)
		var file bytes.Buffer
		if err := synth.WriteCSV(&file, rows); err != nil {
			t.Fatal(err)
		}
		// The file arrives in two parts: the first 4,000 rows, then a pause
		// long enough for A to write them and say so, then the rest.
		lines := strings.SplitAfter(file.String(), "\n")
		pr, pw := io.Pipe()
		job, err := a.Enterprise.Start(ctx, admin, pr, "e.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(pw, strings.Join(lines[:4001], "")); err != nil {
			t.Fatal(err)
		}
		var seen enterprise.Job
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if seen, err = b.Enterprise.Job(ctx, admin, job.ID); err != nil {
				t.Fatal(err)
			}
			if seen.Processed >= 4000 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if seen.Status != enterprise.JobRunning || seen.Processed < 4000 || seen.Owner != a.Enterprise.Server || seen.HeartbeatAt == nil {
			t.Fatalf("B sees, mid-way: %+v (A is %s)", seen, a.Enterprise.Server)
		}
		if d.Dialect == db.SQLite && seen.Committed != 4000 {
			// SQLite commits the rows written so far when the file pauses.
			t.Errorf("B sees %d rows committed mid-way, want 4000", seen.Committed)
		}
		if _, err := io.WriteString(pw, strings.Join(lines[4001:], "")); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		a.Enterprise.Wait()
		done, err := b.Enterprise.Job(ctx, admin, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != enterprise.JobDone || done.Committed != 6000 || done.Total != 6000 || done.Result == nil || done.Result.Inserted != 6000 || done.FinishedAt == nil {
			t.Fatalf("B sees, at the end: %+v %+v", done, done.Result)
		}
		var n int
		if err := d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&n); err != nil || n != 6000 {
			t.Fatalf("enterprises: %d %v", n, err)
		}
		// The index B builds from the table finds what A imported.
		found, total, err := b.Enterprise.Search(ctx, enterprise.Query{Q: rows[5999].Name, Limit: 5})
		if err != nil || total < 1 || found[0].Name != rows[5999].Name {
			t.Fatalf("B's search for the last row: %d %v", total, err)
		}
		// Another server's start leaves a job that beats alone.
		if err := b.Enterprise.RecoverJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if j, _ := b.Enterprise.Job(ctx, admin, job.ID); j.Status != enterprise.JobDone {
			t.Errorf("after B's recovery: %s", j.Status)
		}
	})
}

// A job whose server stopped is closed honestly by the next server to
// start (or to read it): done when every valid row had committed,
// otherwise interrupted with the count that did; a job still beating is
// left alone. The rows are those a killed server leaves (a direct edit).
func TestJobRecovery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		ctx := context.Background()
		admin, err := a.ActorByName(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		now := a.Enterprise.Now().UTC()
		long := now.Add(-10 * time.Minute)
		insert := func(committed, total, failed int, readDone bool, beat time.Time) int64 {
			var id int64
			err := d.W.QueryRowContext(ctx, d.Rebind(`INSERT INTO jobs (kind, filename, status, phase, total, processed, committed, failed, read_done,
				owner, created_by, created_at, started_at, heartbeat_at) VALUES ('enterprise_import', 'e.csv', 'running', 'write', ?, ?, ?, ?, ?, 'gone/1/ab', ?, ?, ?, ?) RETURNING id`),
				total, committed, committed, failed, readDone, admin.UserID, long, long, beat).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		allIn := insert(990, 1000, 10, true, long)    // every valid row committed, the job not closed
		cut := insert(500, 1000, 10, true, long)      // cut short after 500
		unread := insert(400, 0, 0, false, long)      // cut short while reading
		alive := insert(300, 0, 0, false, now)        // its server beats
		readLater := insert(200, 1000, 0, true, long) // closed when read, not at start
		if err := a.Enterprise.RecoverJobs(ctx); err != nil {
			t.Fatal(err)
		}
		// RecoverJobs closes them all but alive (readLater too: it is stale);
		// a fresh one made stale afterwards is closed by the read.
		want := map[int64]string{allIn: enterprise.JobDone, cut: enterprise.JobInterrupted, unread: enterprise.JobInterrupted,
			alive: enterprise.JobRunning, readLater: enterprise.JobInterrupted}
		for id, status := range want {
			j, err := a.Enterprise.Job(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status != status {
				t.Errorf("job %d: %s, want %s", id, j.Status, status)
			}
			if status == enterprise.JobInterrupted && !strings.Contains(j.Message, fmt.Sprintf("已提交 %d 行", j.Committed)) {
				t.Errorf("job %d: message %q does not give the %d rows committed", id, j.Message, j.Committed)
			}
		}
		if _, err := d.W.ExecContext(ctx, d.Rebind(`UPDATE jobs SET heartbeat_at = ? WHERE id = ?`), long, alive); err != nil {
			t.Fatal(err)
		}
		if j, _ := a.Enterprise.Job(ctx, admin, alive); j.Status != enterprise.JobInterrupted || j.Committed != 300 {
			t.Errorf("a job gone quiet, read: %+v", j)
		}
	})
}
