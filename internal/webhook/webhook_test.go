package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/db/dbtest"
	"github.com/zhaoqing/attract/internal/platform/pii"
	"github.com/zhaoqing/attract/internal/webhook"
)

var admin = &org.Actor{UserID: 0, Username: "sysadmin-test", Scope: org.ScopeAll}

// received is what a test receiver was sent.
type received struct {
	header http.Header
	query  string
	body   []byte
}

// receiver answers each request with the next status of answers (the last
// one repeated) and keeps what it got.
type receiver struct {
	mu      sync.Mutex
	got     []received
	answers []int
	body    string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.WriteHeader(rc.take(received{r.Header.Clone(), r.URL.RawQuery, b}))
	_, _ = w.Write([]byte(rc.body))
}

// take records a call and answers the status to send back.
func (rc *receiver) take(c received) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.got = append(rc.got, c)
	return rc.answers[min(len(rc.got), len(rc.answers))-1]
}

func (rc *receiver) calls() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// clock moves webhook.Now by hand for the backoff.
func clock(t *testing.T) *time.Time {
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	old := webhook.Now
	webhook.Now = func() time.Time { return now }
	t.Cleanup(func() { webhook.Now = old })
	return &now
}

func subscribe(t *testing.T, s *webhook.Service, url, format, secret string, events ...string) webhook.Subscription {
	t.Helper()
	sub, err := s.Create(context.Background(), admin, webhook.Input{Name: "测试订阅", URL: url, Format: format, Secret: secret, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func moved(t *testing.T, d *db.DB, id int64, from, to string) {
	t.Helper()
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		return webhook.ProjectMoved(context.Background(), tx, webhook.ProjectRef{ID: id, Code: "ZQ-2026-0001", Name: "新能源电池项目"}, from, to, civil.MustParse("2026-03-01"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func deliveries(t *testing.T, s *webhook.Service) []webhook.Delivery {
	t.Helper()
	items, _, err := s.Log(context.Background(), webhook.LogFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestGenericSignedAndRetried: a stage change is queued in the change's
// transaction (a rolled-back one queues nothing), its first attempt gets
// 500 and waits 30 s, the second is delivered with a signature the
// receiver can check with the secret; a signing raises two events.
func TestGenericSignedAndRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		now := clock(t)
		rc := &receiver{answers: []int{500, 200}}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		s := webhook.New(d)
		ctx := context.Background()
		subscribe(t, s, srv.URL+"/hook", webhook.Generic, "s3cret", webhook.StageChanged)

		rollback := errors.New("rolled back")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := webhook.ProjectMoved(ctx, tx, webhook.ProjectRef{ID: 9}, "lead", "negotiating", civil.MustParse("2026-03-01")); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) || len(deliveries(t, s)) != 0 {
			t.Fatalf("a rolled-back change queued %d deliveries (%v)", len(deliveries(t, s)), err)
		}
		moved(t, d, 7, "lead", "negotiating")
		moved(t, d, 7, "negotiating", "negotiating") // no change of stage: nothing
		if n, err := s.DeliverDue(ctx); n != 1 || err != nil {
			t.Fatalf("first round sent %d (%v), want 1", n, err)
		}
		log := deliveries(t, s)
		if len(log) != 1 || log[0].Status != "pending" || log[0].Attempts != 1 || log[0].LastStatus != 500 ||
			!log[0].NextAt.Equal(now.Add(30*time.Second)) || !strings.Contains(log[0].LastError, "HTTP 500") {
			t.Fatalf("after a 500: %+v", log)
		}
		if n, _ := s.DeliverDue(ctx); n != 0 {
			t.Fatalf("retried before the backoff: %d", n)
		}
		*now = now.Add(31 * time.Second)
		if n, _ := s.DeliverDue(ctx); n != 1 {
			t.Fatalf("retry after the backoff sent %d", n)
		}
		log = deliveries(t, s)
		if log[0].Status != "delivered" || log[0].Attempts != 2 || log[0].LastStatus != 200 || log[0].DoneAt == nil {
			t.Fatalf("after the retry: %+v", log[0])
		}
		calls := rc.calls()
		if len(calls) != 2 || string(calls[0].body) != string(calls[1].body) {
			t.Fatalf("%d calls; the retry must send the same body", len(calls))
		}
		last := calls[1]
		ts := last.header.Get("X-Attract-Timestamp")
		m := hmac.New(sha256.New, []byte("s3cret"))
		m.Write([]byte(ts + "."))
		m.Write(last.body)
		if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); last.header.Get("X-Attract-Signature") != want ||
			ts != strconv.FormatInt(now.Unix(), 10) {
			t.Fatalf("signature %q, want %q (timestamp %s)", last.header.Get("X-Attract-Signature"), want, ts)
		}
		var p struct {
			Event string         `json:"event"`
			Data  map[string]any `json:"data"`
		}
		if err := json.Unmarshal(last.body, &p); err != nil || p.Event != webhook.StageChanged || p.Data["project_id"] != float64(7) ||
			p.Data["to_stage"] != "negotiating" || last.header.Get("X-Attract-Event") != webhook.StageChanged ||
			last.header.Get("X-Attract-Delivery") != strconv.FormatInt(log[0].ID, 10) {
			t.Fatalf("body %s headers %v", last.body, last.header)
		}

		subscribe(t, s, srv.URL+"/hook", webhook.Generic, "other", webhook.ProjectSigned, webhook.StageChanged)
		moved(t, d, 8, "negotiating", "signed")
		var events []string
		for _, dl := range deliveries(t, s) {
			if dl.Status == "pending" {
				events = append(events, dl.Event)
			}
		}
		// Two subscriptions want the stage change, one the signing.
		if strings.Join(events, " ") != "project.signed project.stage_changed project.stage_changed" {
			t.Fatalf("a signing queued %v", events)
		}
	})
}

// TestGivesUpAfterMaxAttempts: a receiver that always fails gets ten
// attempts with growing waits, then the delivery is "failed".
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	d := dbtest.SQLite(t)
	now := clock(t)
	rc := &receiver{answers: []int{503}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	s := webhook.New(d)
	subscribe(t, s, srv.URL, webhook.Generic, "k", webhook.StageChanged)
	moved(t, d, 1, "lead", "negotiating")
	for i := 1; i <= webhook.MaxAttempts; i++ {
		if n, _ := s.DeliverDue(context.Background()); n != 1 {
			t.Fatalf("attempt %d not made", i)
		}
		*now = now.Add(webhook.Backoff(i))
	}
	log := deliveries(t, s)
	if log[0].Status != "failed" || log[0].Attempts != webhook.MaxAttempts || len(rc.calls()) != webhook.MaxAttempts {
		t.Fatalf("%+v after %d calls", log[0], len(rc.calls()))
	}
	if webhook.Backoff(1) != 30*time.Second || webhook.Backoff(2) != time.Minute || webhook.Backoff(9) != time.Hour {
		t.Fatal("backoff is 30 s doubling to at most an hour")
	}
}

// TestTwoWorkersDeliverOnce: two servers' workers on one database send 40
// deliveries together; each reaches the receiver exactly once.
func TestTwoWorkersDeliverOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rc := &receiver{answers: []int{200}}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		a := webhook.New(d)
		subscribe(t, a, srv.URL, webhook.Generic, "k", webhook.StageChanged)
		for i := range 40 {
			moved(t, d, int64(i+1), "lead", "negotiating")
		}
		other, err := db.Open(ctx, d.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		b := webhook.New(other)
		var wg sync.WaitGroup
		for _, s := range []*webhook.Service{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					if n, err := s.DeliverDue(ctx); err != nil {
						t.Error(err)
						return
					} else if n == 0 {
						time.Sleep(5 * time.Millisecond)
					}
				}
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, c := range rc.calls() {
			count[c.header.Get("X-Attract-Delivery")]++
		}
		if len(count) != 40 || len(rc.calls()) != 40 {
			t.Fatalf("%d calls for %d deliveries, want 40 once each: %v", len(rc.calls()), len(count), count)
		}
		for _, dl := range deliveries(t, a) {
			if dl.Status != "delivered" || dl.Attempts != 1 {
				t.Fatalf("%+v", dl)
			}
		}
	})
}

// TestRobotFormats: DingTalk gets markdown with its 加签 in the URL;
// WeCom's markdown; a robot's 200 with an error code is a failure.
func TestRobotFormats(t *testing.T) {
	d := dbtest.SQLite(t)
	now := clock(t)
	ctx := context.Background()
	rc := &receiver{answers: []int{200}, body: `{"errcode":0,"errmsg":"ok"}`}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	s := webhook.New(d)
	subscribe(t, s, srv.URL+"/robot/send?access_token=abc", webhook.DingTalk, "SEC123", webhook.HandoverWaiting)
	err := d.InTx(ctx, func(tx *db.Tx) error {
		return webhook.HandoverStarted(ctx, tx, webhook.ProjectRef{ID: 3, Code: "ZQ-3", Name: "光伏项目"}, 0, civil.MustParse("2026-03-17"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DeliverDue(ctx); n != 1 {
		t.Fatal("not sent")
	}
	c := rc.calls()[0]
	ms := strconv.FormatInt(now.UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte("SEC123"))
	m.Write([]byte(ms + "\nSEC123"))
	want := "access_token=abc&timestamp=" + ms + "&sign=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(base64.StdEncoding.EncodeToString(m.Sum(nil)))
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Title, Text string
		} `json:"markdown"`
	}
	_ = json.Unmarshal(c.body, &body)
	if c.query != want || body.MsgType != "markdown" || body.Markdown.Title != "项目移交待承接" ||
		!strings.Contains(body.Markdown.Text, "光伏项目（ZQ-3）") || !strings.Contains(body.Markdown.Text, "2026-03-17") {
		t.Fatalf("query %q (want %q), body %s", c.query, want, c.body)
	}

	rc.body = `{"errcode":93000,"errmsg":"invalid webhook url"}`
	wecom := subscribe(t, s, srv.URL+"/cgi-bin/webhook/send?key=k", webhook.WeCom, "", webhook.PeriodClosed)
	err = d.InTx(ctx, func(tx *db.Tx) error {
		return webhook.MonthClosed(ctx, tx, "2026-02", map[string]any{"city_ytd_count": 12})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DeliverDue(ctx); n != 1 {
		t.Fatal("not sent")
	}
	c = rc.calls()[1]
	var wb struct {
		MsgType  string                   `json:"msgtype"`
		Markdown struct{ Content string } `json:"markdown"`
	}
	_ = json.Unmarshal(c.body, &wb)
	if wb.MsgType != "markdown" || !strings.Contains(wb.Markdown.Content, "月份：2026-02") || !strings.Contains(wb.Markdown.Content, "12 个") {
		t.Fatalf("wecom body %s", c.body)
	}
	log, _, _ := s.Log(ctx, webhook.LogFilter{SubscriptionID: wecom.ID, Limit: 10})
	if len(log) != 1 || log[0].Status != "pending" || !strings.Contains(log[0].LastError, "errcode 93000") {
		t.Fatalf("a robot's error code must count as a failure: %+v", log)
	}
}

// TestWarningScan: the first scan records today's warnings without
// announcing them; a later new warning is announced once.
func TestWarningScan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := webhook.New(d)
		subscribe(t, s, "https://example.invalid/hook", webhook.WeCom, "", webhook.WarningRaised)
		list := []webhook.Warning{{Rule: "no_tracking", RuleZh: "长期未跟踪", ProjectID: 1, ProjectName: "甲", Since: civil.MustParse("2026-01-01")}}
		s.Warnings = func(context.Context) ([]webhook.Warning, error) { return list, nil }
		if n, err := s.ScanWarnings(ctx); n != 0 || err != nil {
			t.Fatalf("the first scan announced %d (%v)", n, err)
		}
		list = append(list, webhook.Warning{Rule: "handover_overdue", RuleZh: "移交超期未承接", ProjectID: 2, ProjectName: "乙", Since: civil.MustParse("2026-02-20")})
		for round, want := range []int{1, 0} {
			if n, err := s.ScanWarnings(ctx); n != want || err != nil {
				t.Fatalf("scan %d announced %d (%v), want %d", round, n, err, want)
			}
		}
		log := deliveries(t, s)
		if len(log) != 1 || log[0].Event != webhook.WarningRaised || log[0].Title != "项目预警" {
			t.Fatalf("%+v", log)
		}
	})
}

// TestInputValidated: bad URLs, formats, events and a generic format
// without a secret are refused field by field.
func TestInputValidated(t *testing.T) {
	d := dbtest.SQLite(t)
	s := webhook.New(d)
	for _, in := range []webhook.Input{
		{Name: "x", URL: "ftp://h/x", Format: webhook.WeCom, Events: []string{webhook.PeriodClosed}},
		{Name: "x", URL: "https://u:p@h/x", Format: webhook.WeCom, Events: []string{webhook.PeriodClosed}},
		{Name: "x", URL: "https://h/x", Format: "slack", Events: []string{webhook.PeriodClosed}},
		{Name: "x", URL: "https://h/x", Format: webhook.WeCom, Events: []string{"project.deleted"}},
		{Name: "x", URL: "https://h/x", Format: webhook.WeCom},
		{Name: "x", URL: "https://h/x", Format: webhook.Generic, Events: []string{webhook.PeriodClosed}},
		{Name: "", URL: "https://h/x", Format: webhook.WeCom, Events: []string{webhook.PeriodClosed}},
	} {
		if _, err := s.Create(context.Background(), admin, in); err == nil || !strings.Contains(err.Error(), "") {
			t.Errorf("accepted %+v", in)
		}
	}
	if subs, _ := s.List(context.Background()); len(subs) != 0 {
		t.Fatalf("%d stored", len(subs))
	}
}

// TestWarningSeenForgotten: a warning no longer raised is forgotten after
// a day, so the table does not keep every warning ever seen, and is
// announced again if it comes back later; a current one is kept.
func TestWarningSeenForgotten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := clock(t)
		s := webhook.New(d)
		subscribe(t, s, "https://example.invalid/hook", webhook.WeCom, "", webhook.WarningRaised)
		a := webhook.Warning{Rule: "no_tracking", ProjectID: 1, Since: civil.MustParse("2026-01-01")}
		b := webhook.Warning{Rule: "handover_overdue", ProjectID: 2, Since: civil.MustParse("2026-02-20")}
		list := []webhook.Warning{a, b}
		s.Warnings = func(context.Context) ([]webhook.Warning, error) { return list, nil }
		seen := func() (n int) {
			t.Helper()
			if err := d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM webhook_warnings_seen`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if _, err := s.ScanWarnings(ctx); err != nil || seen() != 2 {
			t.Fatalf("baseline: %d rows (%v), want 2", seen(), err)
		}
		list = []webhook.Warning{a}
		*now = now.Add(2 * time.Hour)
		if _, err := s.ScanWarnings(ctx); err != nil || seen() != 2 {
			t.Fatalf("within the day: %d rows (%v), want 2 (b kept)", seen(), err)
		}
		*now = now.Add(48 * time.Hour)
		if _, err := s.ScanWarnings(ctx); err != nil || seen() != 1 {
			t.Fatalf("after two days: %d rows (%v), want 1 (b forgotten, a kept)", seen(), err)
		}
		list = []webhook.Warning{a, b}
		if n, err := s.ScanWarnings(ctx); n != 1 || err != nil {
			t.Fatalf("b back: announced %d (%v), want 1", n, err)
		}
	})
}

// TestSecretSealed: with the data key configured the secret is stored
// sealed (a copy of the table reads no secret), a row written before the
// key is sealed on start, and deliveries still sign with the plain secret.
func TestSecretSealed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rcOld, rcNew := &receiver{answers: []int{200}}, &receiver{answers: []int{200}}
		srvOld, srvNew := httptest.NewServer(rcOld), httptest.NewServer(rcNew)
		defer srvOld.Close()
		defer srvNew.Close()
		s := webhook.New(d)
		subscribe(t, s, srvOld.URL, webhook.Generic, "before-key", webhook.StageChanged)
		if err := pii.UseKey(make([]byte, 32)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = pii.UseKey(nil) })
		subscribe(t, s, srvNew.URL, webhook.Generic, "s3cret", webhook.StageChanged)
		if err := s.SealSecrets(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := d.Reader().QueryContext(ctx, `SELECT id, secret FROM webhook_subscriptions ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var stored string
			if err := rows.Scan(&id, &stored); err != nil {
				t.Fatal(err)
			}
			if !pii.Sealed(stored) || strings.Contains(stored, "s3cret") || strings.Contains(stored, "before-key") {
				t.Fatalf("subscription %d stores %q", id, stored)
			}
		}
		moved(t, d, 7, "lead", "negotiating")
		if n, err := s.DeliverDue(ctx); n != 2 || err != nil {
			t.Fatalf("sent %d (%v), want 2", n, err)
		}
		for secret, rc := range map[string]*receiver{"before-key": rcOld, "s3cret": rcNew} {
			calls := rc.calls()
			if len(calls) != 1 {
				t.Fatalf("%d calls for the subscription of %q", len(calls), secret)
			}
			unix := calls[0].header.Get("X-Attract-Timestamp")
			if calls[0].header.Get("X-Attract-Signature") != "sha256="+webhook.Sign(secret, unix, calls[0].body) {
				t.Fatalf("signature does not check with the plain secret %q: %v", secret, calls[0].header)
			}
		}
	})
}
