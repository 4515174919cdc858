package webhook

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/pii"
	"github.com/zhaoqing/attract/internal/platform/valid"
)

// Formats of the receiving platform.
const (
	Generic  = "generic"  // JSON, signed with HMAC-SHA256 in X-Attract-Signature
	WeCom    = "wecom"    // 企业微信群机器人 markdown
	DingTalk = "dingtalk" // 钉钉群机器人 markdown, optionally signed (加签)
)

// Subscription is a subscription as the administrator sees it: the secret
// is never shown again, only whether there is one.
type Subscription struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Format    string    `json:"format"`
	HasSecret bool      `json:"has_secret"`
	Events    []string  `json:"events"`
	Active    bool      `json:"active"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	secret    string
}

// Input creates or changes a subscription. On a change an empty Secret
// keeps the stored one and ClearSecret removes it.
type Input struct {
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Format      string   `json:"format"`
	Secret      string   `json:"secret"`
	ClearSecret bool     `json:"clear_secret"`
	Events      []string `json:"events"`
	Active      *bool    `json:"active"`
	Version     int      `json:"version"`
}

// Service keeps the subscriptions and sends the deliveries.
type Service struct {
	DB *db.DB
	// Client sends the deliveries (a 10 s timeout, no redirects followed:
	// a robot's URL answers itself).
	Client *http.Client
	// Warnings lists today's project warnings across the city (set by the
	// wiring: project owns warnings and this package cannot import it).
	Warnings func(ctx context.Context) ([]Warning, error)
}

// New builds the service.
func New(d *db.DB) *Service {
	return &Service{DB: d, Client: &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (in *Input) validate(creating bool) error {
	var v errs.Validation
	in.Name, in.URL = strings.TrimSpace(in.Name), strings.TrimSpace(in.URL)
	if in.Name == "" || len([]rune(in.Name)) > 100 || !valid.Text(in.Name) {
		v.Add("name", "名称必填，不超过 100 字", "required, at most 100 characters")
	}
	if u, err := url.Parse(in.URL); err != nil || len(in.URL) > 2000 || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		v.Add("url", "应为 http:// 或 https:// 开头的地址（不含用户名密码），不超过 2000 字符", "must be an http:// or https:// address without credentials, at most 2000 characters")
	}
	if !slices.Contains([]string{Generic, WeCom, DingTalk}, in.Format) {
		v.Add("format", "格式应为 generic、wecom 或 dingtalk", "must be generic, wecom or dingtalk")
	}
	if len(in.Secret) > 200 || !valid.Text(in.Secret) || strings.ContainsAny(in.Secret, "\r\n") {
		v.Add("secret", "密钥不超过 200 字符，不含换行", "at most 200 characters, no line breaks")
	}
	if in.Format == Generic && creating && in.Secret == "" {
		v.Add("secret", "通用格式须设密钥，接收方据此验证签名", "the generic format needs a secret: the receiver checks the signature with it")
	}
	if len(in.Events) == 0 {
		v.Add("events", "至少选择一个事件", "choose at least one event")
	}
	seen := map[string]bool{}
	for _, e := range in.Events {
		if !slices.ContainsFunc(Events, func(i EventInfo) bool { return i.Code == e }) || seen[e] {
			v.Add("events", "未知或重复的事件："+e, "unknown or repeated event: "+e)
			break
		}
		seen[e] = true
	}
	return v.Err()
}

const selectSub = `SELECT id, name, url, format, secret, events, active, version, created_at, updated_at FROM webhook_subscriptions`

func scanSub(sc interface{ Scan(...any) error }) (Subscription, error) {
	var s Subscription
	var events string
	err := sc.Scan(&s.ID, &s.Name, &s.URL, &s.Format, &s.secret, &events, &s.Active, &s.Version, &s.CreatedAt, &s.UpdatedAt)
	if err != nil {
		return s, err
	}
	s.HasSecret = s.secret != ""
	s.Events = strings.Split(events, ",")
	s.secret, err = openSecret(s.secret)
	return s, err
}

// The secrets are sealed at rest with the personal-data key
// (platform/pii): whoever holds a copy of the database or a backup could
// otherwise sign messages a group robot or a receiver trusts.
func sealSecret(plain string) string { return pii.Seal(plain) }

func openSecret(stored string) (string, error) {
	plain, err := pii.Open(stored)
	if err != nil {
		return "", errs.Wrap(err, "open webhook secret")
	}
	return plain, nil
}

// SealSecrets encrypts the secrets still stored in plaintext (written
// before the key existed); the server runs it on start.
func (s *Service) SealSecrets(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		n, err := pii.SealRows(ctx, tx, "webhook_subscriptions", "secret")
		if err != nil || n == 0 {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "pii.seal", ObjectType: "table",
			ObjectID: "webhook_subscriptions", After: map[string]int{"rows": n}})
	})
}

// List is every subscription.
func (s *Service) List(ctx context.Context) ([]Subscription, error) {
	out, err := db.All(ctx, s.DB.Reader(), scanSub, selectSub+` ORDER BY id`)
	return out, errs.Wrap(err, "list webhooks")
}

func get(ctx context.Context, q db.Querier, id int64) (Subscription, error) {
	sub, err := scanSub(q.QueryRowContext(ctx, selectSub+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, errs.NotFoundf("推送订阅", "webhook")
	}
	return sub, errs.Wrap(err, "get webhook")
}

// Create adds a subscription.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Subscription, error) {
	if err := in.validate(true); err != nil {
		return Subscription{}, err
	}
	active := in.Active == nil || *in.Active
	var out Subscription
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := Now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO webhook_subscriptions (name, url, format, secret, events, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, in.URL, in.Format, sealSecret(in.Secret), strings.Join(in.Events, ","), active, now, now).Scan(&id); err != nil {
			return errs.Wrap(err, "create webhook")
		}
		var err error
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("webhook.create", "webhook", id, nil, out))
	})
	return out, err
}

// Update changes a subscription at the version the caller read.
func (s *Service) Update(ctx context.Context, a *org.Actor, id int64, in Input) (Subscription, error) {
	if err := in.validate(false); err != nil {
		return Subscription{}, err
	}
	var out Subscription
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		secret := before.secret
		if in.Secret != "" {
			secret = in.Secret
		} else if in.ClearSecret {
			secret = ""
		}
		if in.Format == Generic && secret == "" {
			return errs.E(errs.Invalid, "通用格式须设密钥", "the generic format needs a secret").Field("secret", "通用格式须设密钥", "the generic format needs a secret")
		}
		active := before.Active
		if in.Active != nil {
			active = *in.Active
		}
		res, err := tx.ExecContext(ctx, `UPDATE webhook_subscriptions SET name = ?, url = ?, format = ?, secret = ?, events = ?, active = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, in.URL, in.Format, sealSecret(secret), strings.Join(in.Events, ","), active, Now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("webhook.update", "webhook", id, before, out))
	})
	return out, err
}

// Delete removes a subscription with its delivery log (set it inactive to
// keep the log).
func (s *Service) Delete(ctx context.Context, a *org.Actor, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE subscription_id = ?`, id); err != nil {
			return errs.Wrap(err, "delete webhook deliveries")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_subscriptions WHERE id = ?`, id); err != nil {
			return errs.Wrap(err, "delete webhook")
		}
		return audit.Append(ctx, tx, a.Entry("webhook.delete", "webhook", id, before, nil))
	})
}

// SendTest queues a test message for one subscription and sends it at
// once, answering how it went (the worker retries it like any other when
// it failed).
func (s *Service) SendTest(ctx context.Context, a *org.Actor, id int64) (Delivery, error) {
	var did int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		sub, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		now := Now()
		raw := mustJSON(Payload{Event: Test, OccurredAt: now, Title: "测试消息", Lines: []string{"这是招商引资全流程管理平台的测试推送：" + sub.Name},
			Data: map[string]any{"subscription_id": id}})
		if err := tx.QueryRowContext(ctx, `INSERT INTO webhook_deliveries (subscription_id, event, payload, created_at, next_at, claimed_until)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, id, Test, raw, now, now, now.Add(claimFor)).Scan(&did); err != nil {
			return errs.Wrap(err, "queue webhook test")
		}
		return audit.Append(ctx, tx, a.Entry("webhook.test", "webhook", id, nil, map[string]any{"delivery_id": did}))
	})
	if err != nil {
		return Delivery{}, err
	}
	s.deliver(ctx, did)
	return s.delivery(ctx, did)
}
