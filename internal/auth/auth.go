// Package auth signs people in and out: password checks with lockout,
// server-side sessions with idle and absolute timeouts, CSRF tokens, and API
// tokens for integrations. It turns a request into an org.Actor.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Config holds the sign-in policy; Defaults gives the defaults.
type Config struct {
	MaxFailures     int           // failures within FailureWindow that lock the account
	FailureWindow   time.Duration // 15 minutes
	LockFor         time.Duration // 30 minutes
	IdleTimeout     time.Duration // a session unused this long ends
	AbsoluteTimeout time.Duration // a session ends this long after sign-in, used or not
	SecureCookie    bool          // set when served over TLS
	MaxPerAddress   int           // failures within FailureWindow from one address, any accounts, that block it
	// AdminTOTPOptional lets administrators sign in without a second
	// factor: for test and demonstration servers only (ATTRACT_ADMIN_TOTP=optional).
	AdminTOTPOptional bool
	SSO               SSOConfig // single sign-on (sso.go); off when not configured
}

// Defaults: 5 failures in 15 minutes lock for 30 minutes; sessions end after
// 30 idle minutes or 12 hours.
func Defaults() Config {
	return Config{MaxFailures: 5, FailureWindow: 15 * time.Minute, LockFor: 30 * time.Minute,
		IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 12 * time.Hour, MaxPerAddress: 20}
}

// Service signs users in and authenticates requests.
type Service struct {
	DB  *db.DB
	Org *org.Service
	Cfg Config
	Now func() time.Time

	limits   *throttle
	policy   policyCache
	sessions sessionCache
	sso      ssoLazy
}

// New builds the service and wires org so that disabling a user or changing
// their password or rights ends their sessions in the same transaction.
func New(d *db.DB, o *org.Service, cfg Config) *Service {
	if cfg.MaxPerAddress == 0 {
		cfg.MaxPerAddress = Defaults().MaxPerAddress
	}
	s := &Service{DB: d, Org: o, Cfg: cfg, Now: time.Now, limits: newThrottle()}
	o.OnCredentialsChanged = func(ctx context.Context, tx *db.Tx, userID int64) error {
		return s.revokeAll(ctx, tx, userID, "")
	}
	o.OnUnlock = s.limits.clear
	return s
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// revokeAll ends a user's sessions (but except) and API tokens: a password
// change, reset, disabling or change of rights leaves no credential issued
// under the old state alive.
func (s *Service) revokeAll(ctx context.Context, tx *db.Tx, userID int64, except string) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
		s.now(), userID, except)
	if err != nil {
		return errs.Wrap(err, "revoke sessions")
	}
	_, err = tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, s.now(), userID)
	return errs.Wrap(err, "revoke tokens")
}

// logRefusal audits a request refused before any route ran (a CSRF
// failure), in a transaction of its own.
func (s *Service) logRefusal(ctx context.Context, a *org.Actor, action, what string) {
	err := s.DB.InTx(context.WithoutCancel(ctx), func(tx *db.Tx) error {
		return audit.Append(ctx, tx, a.Entry(action, "route", 0, nil, map[string]string{"request": what}))
	})
	if err != nil {
		slog.Error("audit refusal", "err", err)
	}
}

// randomToken returns a URL-safe random secret and the hash that is stored.
func randomToken(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, hashToken(secret)
}

func hashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
