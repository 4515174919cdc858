package enterprise

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/tabular"
)

// An import of a large file runs as a background job on the server that
// took the upload: the upload answers at once with the job, and the UI
// polls it for progress. The job's state lives in its row (jobs), so any
// server answers it: the server running it beats every heartbeatEvery
// with its phase and counts, and the rows it commits are counted
// (committed) in the same transaction as they land. A job is run by the
// server it was started on only, once; a server that starts, or reads a
// job not heard from for jobStale, closes it honestly: "done" when all its
// rows had committed, otherwise "interrupted" with the count that did.

const (
	heartbeatEvery = 2 * time.Second
	jobStale       = 30 * time.Second
)

// Job statuses.
const (
	JobRunning     = "running"
	JobDone        = "done"
	JobFailed      = "failed"
	JobInterrupted = "interrupted"
)

// Job is a background import as the UI sees it.
type Job struct {
	ID          int64         `json:"id"`
	Kind        string        `json:"kind"`
	Filename    string        `json:"filename"`
	Status      string        `json:"status"` // running, done, failed, interrupted
	Phase       string        `json:"phase"`  // read, write, index
	Total       int           `json:"total"`  // rows of the file, once read (0 before)
	Processed   int           `json:"processed"`
	Committed   int           `json:"committed"` // valid rows committed
	Failed      int           `json:"failed"`    // rows with errors so far
	Result      *ImportResult `json:"result"`
	Message     string        `json:"message"`
	Owner       string        `json:"owner"` // the server running it
	CreatedAt   time.Time     `json:"created_at"`
	StartedAt   *time.Time    `json:"started_at"`
	HeartbeatAt *time.Time    `json:"heartbeat_at"`
	FinishedAt  *time.Time    `json:"finished_at"`
}

// jobRun is a running job's progress on the server running it, written
// to the row by its heartbeat.
type jobRun struct {
	id          int64
	mu          sync.Mutex
	phase       string
	done, total int
	failed      int
	readDone    bool
}

func (j *jobRun) set(phase string, done, total int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.phase, j.done = phase, done
}

func (j *jobRun) get() (phase string, done, total int, readDone bool, failed int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.phase, j.done, j.total, j.readDone, j.failed
}

// read records the end of the file: its rows and the bad ones.
func (j *jobRun) read(total, failed int) {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.total, j.failed, j.readDone = total, failed, true
}

// serverName names this server in the jobs it runs: host, process and a
// random part (two services in one process are two servers).
func serverName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// StartImport starts an import of data (see Start).
func (s *Service) StartImport(ctx context.Context, a *org.Actor, data []byte, filename string) (Job, error) {
	return s.Start(ctx, a, bytes.NewReader(data), filename, nil)
}

// Start stores the job and runs the import of r in the background; release
// (if any) is called when the job no longer needs r. A file that can be read
// twice is checked first (its type and required columns), so that a wrong
// file is an error of the upload itself.
func (s *Service) Start(ctx context.Context, a *org.Actor, r io.Reader, filename string, release func()) (Job, error) {
	if release == nil {
		release = func() {}
	}
	if rs, ok := r.(io.ReadSeeker); ok {
		if err := checkHeader(rs, filename); err != nil {
			release()
			return Job{}, err
		}
	}
	now := s.Now().UTC()
	var id int64
	err := s.DB.W.QueryRowContext(ctx, s.DB.Rebind(`INSERT INTO jobs (kind, filename, status, phase, owner, created_by, created_at, started_at, heartbeat_at)
		VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`),
		"enterprise_import", filename, JobRunning, "read", s.Server, a.UserID, now, now, now).Scan(&id)
	if err != nil {
		release()
		return Job{}, err
	}
	run := &jobRun{id: id, phase: "read"}
	s.running.Store(id, run)
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		defer s.running.Delete(id)
		defer release()
		s.runJob(a, run, r, filename)
	}()
	return s.Job(ctx, a, id)
}

// checkHeader reads the file's header and goes back to its start.
func checkHeader(rs io.ReadSeeker, filename string) error {
	src, err := openTable(rs, filename)
	if err != nil {
		return err
	}
	header, _, err := src.Next()
	src.Close()
	if errors.Is(err, io.EOF) {
		return errs.E(errs.Invalid, "文件是空的", "the file is empty").Field("file", "没有表头", "no header row")
	} else if err != nil {
		return err
	}
	if _, headErrs := headerIndex(header); len(headErrs) > 0 {
		return errs.E(errs.Invalid, "表头缺少必填列", "the header lacks required columns").Field("file", headErrs[0].Message, headErrs[0].MessageEn)
	}
	_, err = rs.Seek(0, io.SeekStart)
	return errs.Wrap(err, "rewind upload")
}

func (s *Service) runJob(a *org.Actor, run *jobRun, r io.Reader, filename string) {
	bg := context.Background()
	beat, stopBeat := context.WithCancel(bg)
	beaten := make(chan struct{})
	go func() {
		defer close(beaten)
		s.heartbeat(beat, run)
	}()
	res, err := s.importAs(bg, a, r, filename, false, run.set, run)
	stopBeat()
	<-beaten
	if err == nil {
		return // the last transaction of the import closed the job
	}
	msg := errs.As(err).Msg.Zh
	if errs.As(err).Code == errs.Internal {
		slog.Error("enterprise import failed", "job", run.id, "err", err)
	}
	body, file := jobResult(res)
	if _, err := s.DB.W.ExecContext(bg, s.DB.Rebind(`UPDATE jobs SET status = ?, total = ?, failed = ?, result = ?, error_file = ?, finished_at = ?, heartbeat_at = ?
		WHERE id = ? AND status = ?`), JobFailed, res.Total, res.Failed, body+"\n"+msg, file, s.Now().UTC(), s.Now().UTC(), run.id, JobRunning); err != nil {
		slog.Error("enterprise import: saving the job", "job", run.id, "err", err)
	}
}

// heartbeat writes the job's progress to its row until ctx ends.
func (s *Service) heartbeat(ctx context.Context, run *jobRun) {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		phase, done, total, readDone, failed := run.get()
		if _, err := s.DB.W.ExecContext(ctx, s.DB.Rebind(`UPDATE jobs SET phase = ?, processed = ?, total = ?, read_done = ?, failed = ?, heartbeat_at = ?
			WHERE id = ? AND status = ?`), phase, done, total, readDone, failed, s.Now().UTC(), run.id, JobRunning); err != nil && ctx.Err() == nil {
			slog.Warn("enterprise import: heartbeat", "job", run.id, "err", err)
		}
	}
}

// jobResult is what a finished job keeps: the result with its first
// errors (the UI shows them), and the error file with all of them.
func jobResult(res ImportResult) (string, string) {
	var file bytes.Buffer
	_ = tabular.WriteErrorsCSV(&file, res.Errors)
	if len(res.Errors) > tabular.MaxErrorsShown {
		res.Errors, res.Truncated = res.Errors[:tabular.MaxErrorsShown], true
	}
	b, _ := json.Marshal(res)
	return string(b), file.String()
}

// commitJob counts a transaction's rows in the job, in that transaction;
// the last one (res set) closes the job.
func commitJob(ctx context.Context, tx *db.Tx, run *jobRun, committed int, res *ImportResult, now time.Time) error {
	if run == nil {
		return nil
	}
	if res == nil {
		_, err := tx.ExecContext(ctx, `UPDATE jobs SET committed = ?, processed = ?, phase = ?, heartbeat_at = ? WHERE id = ?`,
			committed, committed, "write", now, run.id)
		return err
	}
	body, file := jobResult(*res)
	_, err := tx.ExecContext(ctx, `UPDATE jobs SET status = ?, phase = ?, committed = ?, processed = ?, total = ?, failed = ?, read_done = ?,
		result = ?, error_file = ?, heartbeat_at = ?, finished_at = ? WHERE id = ?`,
		JobDone, "index", committed, committed, res.Total, res.Failed, true, body+"\n", file, now, now, run.id)
	return err
}

const jobCols = `id, kind, filename, status, phase, total, processed, committed, failed, read_done, result, owner, created_by,
	created_at, started_at, heartbeat_at, finished_at`

// Job returns a job of the caller's (others' jobs are not found).
func (s *Service) Job(ctx context.Context, a *org.Actor, id int64) (Job, error) {
	j, by, readDone, err := s.loadJob(ctx, s.DB.Reader(), id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && by != a.UserID) {
		return j, errs.NotFoundf("导入任务", "import job")
	}
	if err != nil {
		return j, err
	}
	if v, here := s.running.Load(id); here && j.Status == JobRunning {
		// This server runs it: its progress as of now, not of the last beat.
		j.Phase, j.Processed, j.Total, _, j.Failed = v.(*jobRun).get()
		return j, nil
	}
	if j.Status == JobRunning && j.stale(s.Now()) {
		if err := s.closeStale(ctx, j, readDone); err != nil {
			return j, err
		}
		j, _, _, err = s.loadJob(ctx, s.DB.Reader(), id)
	}
	return j, err
}

func (j Job) stale(now time.Time) bool {
	beat := j.CreatedAt
	if j.HeartbeatAt != nil {
		beat = *j.HeartbeatAt
	}
	return now.Sub(beat) > jobStale
}

func (s *Service) loadJob(ctx context.Context, q db.Querier, id int64) (Job, int64, bool, error) {
	var j Job
	var result string
	var by sql.NullInt64
	var started, beat, finished sql.NullTime
	var readDone bool
	err := q.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id).Scan(&j.ID, &j.Kind, &j.Filename, &j.Status, &j.Phase,
		&j.Total, &j.Processed, &j.Committed, &j.Failed, &readDone, &result, &j.Owner, &by, &j.CreatedAt, &started, &beat, &finished)
	if err != nil {
		return j, 0, false, err
	}
	for _, t := range []struct {
		v   sql.NullTime
		dst **time.Time
	}{{started, &j.StartedAt}, {beat, &j.HeartbeatAt}, {finished, &j.FinishedAt}} {
		if t.v.Valid {
			v := t.v.Time
			*t.dst = &v
		}
	}
	if result != "" {
		body, msg, _ := bytes.Cut([]byte(result), []byte("\n"))
		if len(body) > 0 {
			var r ImportResult
			if err := json.Unmarshal(body, &r); err != nil {
				return j, 0, false, errs.Wrap(err, "read the job's result")
			}
			j.Result = &r
		}
		j.Message = string(msg)
	}
	return j, by.Int64, readDone, nil
}

// closeStale closes a job cut short: "done" when the file had been read and
// every valid row had committed, otherwise "interrupted" with the count.
func (s *Service) closeStale(ctx context.Context, j Job, readDone bool) error {
	status, msg := JobInterrupted, fmt.Sprintf("导入任务已中断（服务停止），已提交 %d 行；请重新导入（已导入的企业按统一社会信用代码更新，不会重复）", j.Committed)
	if readDone && j.Committed == j.Total-j.Failed {
		status, msg = JobDone, ""
	}
	now := s.Now().UTC()
	_, err := s.DB.W.ExecContext(ctx, s.DB.Rebind(`UPDATE jobs SET status = ?, result = ?, finished_at = ? WHERE id = ? AND status = ?`),
		status, "\n"+msg, now, j.ID, JobRunning)
	if err == nil {
		slog.Warn("enterprise import job closed after its server stopped", "job", j.ID, "status", status, "committed", j.Committed, "owner", j.Owner)
	}
	return err
}

// RecoverJobs closes the jobs whose server stopped running them (a server
// calls it as it starts; the jobs of a live server beat and are left).
func (s *Service) RecoverJobs(ctx context.Context) error {
	rows, err := s.DB.W.QueryContext(ctx, s.DB.Rebind(`SELECT id FROM jobs WHERE status = ?`), JobRunning)
	if err != nil {
		return errs.Wrap(err, "running jobs")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return errs.Wrap(err, "running jobs")
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		j, _, readDone, err := s.loadJob(ctx, s.DB.Reader(), id)
		if err != nil {
			return err
		}
		if j.stale(s.Now()) {
			if err := s.closeStale(ctx, j, readDone); err != nil {
				return err
			}
		}
	}
	return nil
}

// JobErrorFile is a finished job's full row-error report (CSV).
func (s *Service) JobErrorFile(ctx context.Context, a *org.Actor, id int64) (Job, []byte, error) {
	j, err := s.Job(ctx, a, id)
	if err != nil {
		return j, nil, err
	}
	var file string
	err = s.DB.Reader().QueryRowContext(ctx, `SELECT error_file FROM jobs WHERE id = ?`, id).Scan(&file)
	return j, []byte(file), errs.Wrap(err, "the job's error file")
}

// Wait waits for the background jobs this server runs (before closing the
// database).
func (s *Service) Wait() { s.jobs.Wait() }
