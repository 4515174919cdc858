package web

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// IdempotencyHeader names a creating request (POST) so that a retry —
// after an answer lost on the way back — gets the first answer again
// instead of creating a second record.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyTTL is how long a key's answer is kept.
const idempotencyTTL = 24 * time.Hour

// maxReplayBody bounds what is kept of an answer; a larger one (a file) is
// not kept, and a retry runs again.
const maxReplayBody = 1 << 20

// idempotent keeps, per user and key, the answer of a POST below 500 and
// replays it to a retry of the same method and path; a retry while the
// first still runs gets 409, the key on another route 422.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(IdempotencyHeader)
		a := org.ActorFrom(r.Context())
		if key == "" || r.Method != http.MethodPost || a == nil {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 200 {
			httpx.WriteError(w, r, errs.E(errs.Invalid, "Idempotency-Key 不能超过 200 个字符", "the Idempotency-Key must be at most 200 characters"))
			return
		}
		first, err := s.claimKey(r.Context(), a.UserID, key, r)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		if !first {
			s.replay(w, r, a.UserID, key)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		done := false
		defer func() {
			if !done { // a panic: let a retry run again
				s.forgetKey(a.UserID, key)
			}
		}()
		next.ServeHTTP(rec, r)
		done = true
		if rec.status >= 500 || rec.overflow {
			s.forgetKey(a.UserID, key)
			return
		}
		s.keepAnswer(r.Context(), a.UserID, key, rec)
	})
}

// claimKey records the key as running; false when it was there already.
func (s *Server) claimKey(ctx context.Context, user int64, key string, r *http.Request) (bool, error) {
	now := time.Now().UTC()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, now.Add(-idempotencyTTL)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, method, path, created_at) VALUES (?, ?, ?, ?, ?)`,
			user, key, r.Method, r.URL.Path, now)
		return err
	})
	if db.IsUniqueViolation(err) {
		return false, nil
	}
	return err == nil, errs.Wrap(err, "idempotency key")
}

// replay writes the kept answer of the key, or why there is none.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, user int64, key string) {
	var method, path, ctype string
	var status sql.NullInt64
	var body []byte
	err := s.DB.Reader().QueryRowContext(r.Context(), `SELECT method, path, status, content_type, body FROM idempotency_keys
		WHERE user_id = ? AND key = ?`, user, key).Scan(&method, &path, &status, &ctype, &body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = errs.E(errs.Conflict, "同一 Idempotency-Key 的请求刚刚失败，请重试", "the request with this Idempotency-Key just failed; retry it")
	case err != nil:
		err = errs.Wrap(err, "idempotency replay")
	case method != r.Method || path != r.URL.Path:
		err = errs.E(errs.Unprocessable, "此 Idempotency-Key 已用于另一个请求（"+method+" "+path+"），请换一个",
			"this Idempotency-Key was used for another request ("+method+" "+path+"); use a new one")
	case !status.Valid:
		err = errs.E(errs.Conflict, "同一 Idempotency-Key 的请求仍在处理中，请稍后重试", "the first request with this Idempotency-Key is still running; retry shortly")
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if ctype != "" {
		w.Header().Set("Content-Type", ctype)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(int(status.Int64))
	_, _ = w.Write(body)
}

func (s *Server) keepAnswer(ctx context.Context, user int64, key string, rec *recorder) {
	_ = s.DB.InTx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE user_id = ? AND key = ?`,
			rec.status, rec.Header().Get("Content-Type"), rec.body.Bytes(), user, key)
		return err
	})
}

func (s *Server) forgetKey(user int64, key string) {
	_ = s.DB.InTx(context.Background(), func(tx *db.Tx) error {
		_, err := tx.ExecContext(context.Background(), `DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?`, user, key)
		return err
	})
}

// recorder passes an answer through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.overflow && r.body.Len()+len(b) <= maxReplayBody {
		r.body.Write(b)
	} else {
		r.overflow = true
	}
	return r.ResponseWriter.Write(b)
}
