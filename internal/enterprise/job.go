package enterprise

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// An import of a large file runs as a background job: the upload answers at
// once with the job, and the UI polls it for progress. The job row holds the
// outcome for any server to answer; the progress of a running job is kept in
// memory by the server running it (written to the row would need the very
// write lock the import holds on SQLite).

// Job is a background import as the UI sees it.
type Job struct {
	ID         int64         `json:"id"`
	Kind       string        `json:"kind"`
	Filename   string        `json:"filename"`
	Status     string        `json:"status"` // running, done, failed
	Phase      string        `json:"phase"`  // read, write, index
	Total      int           `json:"total"`
	Processed  int           `json:"processed"`
	Result     *ImportResult `json:"result"`
	Message    string        `json:"message"`
	CreatedAt  time.Time     `json:"created_at"`
	FinishedAt *time.Time    `json:"finished_at"`
}

type progressState struct {
	mu          sync.Mutex
	phase       string
	done, total int
}

func (st *progressState) set(phase string, done, total int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.phase, st.done, st.total = phase, done, total
}

func (st *progressState) get() (string, int, int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.phase, st.done, st.total
}

var running sync.Map // job id → *progressState

// StartImport stores the job and runs the import in the background.
func (s *Service) StartImport(ctx context.Context, a *org.Actor, data []byte, filename string) (Job, error) {
	// Check the file can be opened and has the required columns before
	// answering, so that a wrong file is an error on the upload itself.
	if _, err := s.Import(ctx, a, bytes.NewReader(headOnly(data, filename)), filename, true, nil); err != nil {
		return Job{}, err
	}
	now := s.Now().UTC()
	var id int64
	err := s.DB.W.QueryRowContext(ctx, s.DB.Rebind(`INSERT INTO jobs (kind, filename, status, created_by, created_at) VALUES (?,?,?,?,?) RETURNING id`),
		"enterprise_import", filename, "running", a.UserID, now).Scan(&id)
	if err != nil {
		return Job{}, err
	}
	st := &progressState{phase: "read"}
	running.Store(id, st)
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		defer running.Delete(id)
		bg := context.Background()
		res, err := s.Import(bg, a, bytes.NewReader(data), filename, false, func(phase string, done, total int) {
			st.set(phase, done, total)
		})
		status, msg := "done", ""
		if err != nil {
			status, msg = "failed", errs.As(err).Msg.Zh
			if e := errs.As(err); e.Code == errs.Internal {
				slog.Error("enterprise import failed", "job", id, "err", err)
			}
		}
		b, _ := json.Marshal(res)
		if _, err := s.DB.W.ExecContext(bg, s.DB.Rebind(`UPDATE jobs SET status = ?, total = ?, processed = ?, result = ?, finished_at = ? WHERE id = ?`),
			status, res.Total, res.Total, string(b)+"\n"+msg, s.Now().UTC(), id); err != nil {
			slog.Error("enterprise import: saving the job", "job", id, "err", err)
		}
	}()
	return s.Job(ctx, a, id)
}

// headOnly is enough of a CSV to check its header (an XLSX is checked whole:
// it cannot be cut).
func headOnly(data []byte, filename string) []byte {
	if len(filename) > 4 && (filename[len(filename)-4:] == ".csv" || filename[len(filename)-4:] == ".CSV") {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			return data[:i+1]
		}
	}
	return data
}

// Job returns a job of the caller's (others' jobs are not found).
func (s *Service) Job(ctx context.Context, a *org.Actor, id int64) (Job, error) {
	var j Job
	var result string
	var by sql.NullInt64
	var finished sql.NullTime
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT id, kind, filename, status, total, processed, result, created_by, created_at, finished_at
		FROM jobs WHERE id = ?`, id).Scan(&j.ID, &j.Kind, &j.Filename, &j.Status, &j.Total, &j.Processed, &result, &by, &j.CreatedAt, &finished)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && by.Int64 != a.UserID) {
		return j, errs.NotFoundf("导入任务", "import job")
	}
	if err != nil {
		return j, err
	}
	if finished.Valid {
		j.FinishedAt = &finished.Time
	}
	// A job still "running" long after it started, and not on this server,
	// was cut short (a restart): say so rather than leave it spinning.
	if _, here := running.Load(id); !here && j.Status == "running" && s.Now().Sub(j.CreatedAt) > 30*time.Minute {
		j.Status, j.Message = "failed", "导入任务已中断（服务重启），请重新导入"
	}
	if v, ok := running.Load(id); ok {
		st := v.(*progressState)
		j.Phase, j.Processed, j.Total = st.get()
	}
	if result != "" {
		body, msg, _ := bytes.Cut([]byte(result), []byte("\n"))
		var r ImportResult
		if err := json.Unmarshal(body, &r); err != nil {
			return j, errs.Wrap(err, "read the job's result")
		}
		j.Result = &r
		j.Message = string(msg)
	}
	return j, nil
}

// Wait waits for the background jobs this server runs (before closing the
// database).
func (s *Service) Wait() { s.jobs.Wait() }
