package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

const (
	// claimFor is how long a claimed delivery is a server's: longer than a
	// send takes (10 s timeout), so that a server that dies mid-send leaves
	// the row to another after it.
	claimFor = time.Minute
	// MaxAttempts: after the tenth failed attempt (about 4 hours of
	// backoff) a delivery is given up ("failed"), still in the log.
	MaxAttempts = 10
	batch       = 20
)

// Backoff is the wait after the n-th failed attempt: 30 s, 1, 2, 4 … min,
// at most an hour.
func Backoff(n int) time.Duration {
	d := 30 * time.Second << (n - 1)
	if n > 8 || d > time.Hour {
		return time.Hour
	}
	return d
}

// Delivery is a row of the delivery log.
type Delivery struct {
	ID             int64      `json:"id"`
	SubscriptionID int64      `json:"subscription_id"`
	Subscription   string     `json:"subscription"`
	Event          string     `json:"event"`
	Title          string     `json:"title"`
	CreatedAt      time.Time  `json:"created_at"`
	Status         string     `json:"status"` // pending, delivered, failed
	Attempts       int        `json:"attempts"`
	NextAt         *time.Time `json:"next_at"`
	LastStatus     int        `json:"last_status"`
	LastError      string     `json:"last_error"`
	DoneAt         *time.Time `json:"done_at"`
}

const selectDelivery = `SELECT d.id, d.subscription_id, s.name, d.event, d.payload, d.created_at, d.status, d.attempts, d.next_at,
	d.last_status, d.last_error, d.done_at FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id`

func scanDelivery(sc interface{ Scan(...any) error }) (Delivery, error) {
	var d Delivery
	var payload string
	var next time.Time
	err := sc.Scan(&d.ID, &d.SubscriptionID, &d.Subscription, &d.Event, &payload, &d.CreatedAt, &d.Status, &d.Attempts, &next,
		&d.LastStatus, &d.LastError, &d.DoneAt)
	var p Payload
	_ = json.Unmarshal([]byte(payload), &p)
	d.Title = p.Title
	if d.Status == "pending" {
		d.NextAt = &next
	}
	return d, err
}

func (s *Service) delivery(ctx context.Context, id int64) (Delivery, error) {
	d, err := scanDelivery(s.DB.Reader().QueryRowContext(ctx, selectDelivery+` WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.NotFoundf("推送记录", "delivery")
	}
	return d, errs.Wrap(err, "delivery")
}

// LogFilter narrows the delivery log.
type LogFilter struct {
	SubscriptionID int64
	Status         string
	Limit, Offset  int
}

// Log is the delivery log, newest first.
func (s *Service) Log(ctx context.Context, f LogFilter) ([]Delivery, int, error) {
	var w db.Where
	if f.SubscriptionID > 0 {
		w.Add("d.subscription_id = ?", f.SubscriptionID)
	}
	if f.Status != "" {
		w.Add("d.status = ?", f.Status)
	}
	q := s.DB.Reader()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhook_deliveries d`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "delivery log")
	}
	rows, err := q.QueryContext(ctx, selectDelivery+w.SQL()+` ORDER BY d.id DESC LIMIT ? OFFSET ?`, append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "delivery log")
	}
	defer rows.Close()
	out := []Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, 0, errs.Wrap(err, "delivery log")
		}
		out = append(out, d)
	}
	return out, total, errs.Wrap(rows.Err(), "delivery log")
}

// Run sends due deliveries every `every` and scans for new warnings every
// `scan` until ctx ends. Every server runs it; the claim makes each
// delivery one server's at a time.
func (s *Service) Run(ctx context.Context, every, scan time.Duration) {
	go s.runScans(ctx, scan)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			s.log("webhook deliveries", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverDue claims the due deliveries (at most a batch) and sends them,
// answering how many it sent. A row is claimed by moving claimed_until
// into the future in an UPDATE that also requires it to be in the past and
// the row still due: on PostgreSQL a second server's UPDATE of the same row
// waits for the first and then re-checks these conditions on the row as
// the first left it — the outer WHERE, not the subquery, which is not
// evaluated again, so the conditions stand in both (a row the first server
// has meanwhile delivered and unclaimed is no longer 'pending'). On SQLite
// writers take turns.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	now := Now()
	var ids []int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE webhook_deliveries SET claimed_until = ?
			WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_at <= ?
				AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?)
			AND status = 'pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) RETURNING id`,
			now.Add(claimFor), now, now, batch, now, now)
		if err != nil {
			return errs.Wrap(err, "claim deliveries")
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return errs.Wrap(err, "claim deliveries")
			}
			ids = append(ids, id)
		}
		return errs.Wrap(rows.Err(), "claim deliveries")
	})
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		s.deliver(ctx, id)
	}
	return len(ids), nil
}

// deliver sends one claimed delivery and records the outcome.
func (s *Service) deliver(ctx context.Context, id int64) {
	var sub Subscription
	var payload string
	var attempts int
	row := s.DB.Reader().QueryRowContext(ctx, `SELECT s.id, s.url, s.format, s.secret, d.payload, d.attempts
		FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.id = ?`, id)
	if err := row.Scan(&sub.ID, &sub.URL, &sub.Format, &sub.secret, &payload, &attempts); err != nil {
		return // deleted meanwhile
	}
	secret, err := openSecret(sub.secret)
	if err != nil {
		s.log("webhook delivery", err)
		return // a key that does not open it: left pending, as an unreachable receiver is
	}
	sub.secret = secret
	var p Payload
	_ = json.Unmarshal([]byte(payload), &p)
	code, sendErr := s.send(ctx, sub, id, p, []byte(payload))
	now := Now()
	attempts++
	status, next, msg := "delivered", now, ""
	if sendErr != nil {
		msg = sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		status, next = "pending", now.Add(Backoff(attempts))
		if attempts >= MaxAttempts {
			status = "failed"
		}
	}
	var done any
	if status != "pending" {
		done = now
	}
	err = s.DB.InTx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_at = ?, claimed_until = NULL,
			last_status = ?, last_error = ?, done_at = ? WHERE id = ?`, status, attempts, next, code, strings.ToValidUTF8(msg, "?"), done, id)
		return err
	})
	if err != nil {
		slog.Warn("webhook delivery outcome not recorded", "delivery", id, "err", err)
	}
}

// send posts the delivery in the subscription's format: the HTTP status,
// and an error unless the receiver took it.
func (s *Service) send(ctx context.Context, sub Subscription, id int64, p Payload, raw []byte) (int, error) {
	target, body := sub.URL, raw
	ts := Now()
	switch sub.Format {
	case WeCom:
		body = mustJSONBytes(map[string]any{"msgtype": "markdown", "markdown": map[string]any{"content": markdown(p)}})
	case DingTalk:
		body = mustJSONBytes(map[string]any{"msgtype": "markdown", "markdown": map[string]any{"title": p.Title, "text": markdown(p)}})
		if sub.secret != "" {
			target = DingTalkSign(sub.URL, sub.secret, ts)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "attract-webhook/1")
	if sub.Format == Generic {
		unix := strconv.FormatInt(ts.Unix(), 10)
		req.Header.Set("X-Attract-Event", p.Event)
		req.Header.Set("X-Attract-Delivery", strconv.FormatInt(id, 10))
		req.Header.Set("X-Attract-Timestamp", unix)
		req.Header.Set("X-Attract-Signature", "sha256="+Sign(sub.secret, unix, body))
	}
	res, err := s.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("HTTP %d: %s", res.StatusCode, strings.TrimSpace(string(answer)))
	}
	if sub.Format != Generic {
		// The robots answer 200 with an error code in the body.
		var r struct {
			ErrCode int    `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		if json.Unmarshal(answer, &r) == nil && r.ErrCode != 0 {
			return res.StatusCode, fmt.Errorf("errcode %d: %s", r.ErrCode, r.ErrMsg)
		}
	}
	return res.StatusCode, nil
}

// Sign is the generic format's signature: hex HMAC-SHA256 with the
// subscription's secret over the timestamp, a dot and the body, so a
// receiver can refuse a replayed old message.
func Sign(secret, unix string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(unix + "."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// DingTalkSign adds DingTalk's 加签 to a robot URL: timestamp in
// milliseconds and the base64 HMAC-SHA256 of "timestamp\nsecret".
func DingTalkSign(robot, secret string, at time.Time) string {
	ms := strconv.FormatInt(at.UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ms + "\n" + secret))
	sign := base64.StdEncoding.EncodeToString(m.Sum(nil))
	sep := "?"
	if strings.Contains(robot, "?") {
		sep = "&"
	}
	return robot + sep + "timestamp=" + ms + "&sign=" + url.QueryEscape(sign)
}

func markdown(p Payload) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n", p.Title)
	for _, l := range p.Lines {
		fmt.Fprintf(&b, "> %s\n", l)
	}
	fmt.Fprintf(&b, "\n%s · %s", eventZh(p.Event), p.OccurredAt.In(shanghai).Format("2006-01-02 15:04"))
	return b.String()
}

var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

func (s *Service) log(what string, err error) { slog.Warn(what, "err", err) }

func mustJSONBytes(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func mustJSON(v any) string { return string(mustJSONBytes(v)) }
