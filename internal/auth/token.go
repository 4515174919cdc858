package auth

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// tokenPrefix marks attract's API tokens so that leaked ones are easy to grep.
const tokenPrefix = "atr_"

// Token is an API token as its owner sees it (never the secret again).
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresOn  civil.Date `json:"expires_on"`
	RevokedAt  *time.Time `json:"revoked_at"`
	// Permissions the token carries (a subset of its owner's); empty: all.
	Permissions []string `json:"permissions"`
}

// CreateToken is the request for a new API token.
type CreateToken struct {
	Name        string     `json:"name"`
	ExpiresOn   civil.Date `json:"expires_on"` // default: TokenDefaultDays from today
	Permissions []string   `json:"permissions"`
}

// Token lifetimes: a token without an expiry gets the default; none lives
// longer than the maximum.
const (
	TokenDefaultDays = 90
	TokenMaxDays     = 365
)

// NewToken is the answer: the secret, shown once, and the stored record.
type NewToken struct {
	Token string `json:"token"`
	Item  Token  `json:"item"`
}

// CreateToken issues a token acting as its owner, with the owner's scope.
func (s *Service) CreateToken(ctx context.Context, a *org.Actor, req CreateToken) (NewToken, error) {
	var v errs.Validation
	if strings.TrimSpace(req.Name) == "" || len([]rune(req.Name)) > 60 {
		v.Add("name", "名称必填，最多 60 个字", "required, at most 60 characters")
	}
	today := civil.Of(s.Now())
	if req.ExpiresOn.IsZero() {
		req.ExpiresOn = today.AddDays(TokenDefaultDays)
	}
	if !req.ExpiresOn.After(today) || req.ExpiresOn.After(today.AddDays(TokenMaxDays)) {
		v.Add("expires_on", "到期日须晚于今天，且不超过一年", "must be after today and within a year")
	}
	for _, p := range req.Permissions {
		if !a.Can(p) {
			v.Add("permissions", "令牌只能带有本人持有的权限："+p, "a token carries only its owner's permissions: "+p)
		}
	}
	if err := v.Err(); err != nil {
		return NewToken{}, err
	}
	secret, hash := randomToken(tokenPrefix)
	var out NewToken
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_on, permissions)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.UserID, req.Name, secret[:10], hash, s.now(), req.ExpiresOn, org.JoinPerms(req.Permissions)).Scan(&id)
		if err != nil {
			return errs.Wrap(err, "insert token")
		}
		if out.Item, err = getToken(ctx, tx, a.UserID, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("token.create", "api_token", id, nil, out.Item))
	})
	out.Token = secret
	return out, err
}

const tokenCols = `id, name, prefix, created_at, last_used_at, expires_on, revoked_at, permissions`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var perms string
	err := sc.Scan(&t.ID, &t.Name, &t.Prefix, &t.CreatedAt, &t.LastUsedAt, &t.ExpiresOn, &t.RevokedAt, &perms)
	t.Permissions = org.SplitPerms(perms)
	return t, err
}

// getToken finds a token of one owner: another user's token is not found.
func getToken(ctx context.Context, q db.Querier, userID, id int64) (Token, error) {
	t, err := scanToken(q.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, errs.NotFoundf("令牌", "token")
	}
	return t, errs.Wrap(err, "get token")
}

// Tokens lists the caller's own tokens.
func (s *Service) Tokens(ctx context.Context, a *org.Actor) ([]Token, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, a.UserID)
	if err != nil {
		return nil, errs.Wrap(err, "list tokens")
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan token")
		}
		out = append(out, t)
	}
	return out, errs.Wrap(rows.Err(), "list tokens")
}

// RevokeToken ends one of the caller's own tokens.
func (s *Service) RevokeToken(ctx context.Context, a *org.Actor, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getToken(ctx, tx, a.UserID, id)
		if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, s.now(), id); err != nil {
			return errs.Wrap(err, "revoke token")
		}
		after, err := getToken(ctx, tx, a.UserID, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("token.revoke", "api_token", id, before, after))
	})
}

// TokenActor resolves a bearer token to its owner's actor.
func (s *Service) TokenActor(ctx context.Context, secret string) (*org.Actor, error) {
	bad := errs.E(errs.Unauthenticated, "API 令牌无效或已撤销", "the API token is invalid or revoked")
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, bad
	}
	var id, userID int64
	var expires civil.Date
	var revoked, lastUsed *time.Time
	var perms string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT id, user_id, expires_on, revoked_at, last_used_at, permissions FROM api_tokens WHERE token_hash = ?`,
		hashToken(secret)).Scan(&id, &userID, &expires, &revoked, &lastUsed, &perms)
	// The error first: a read that failed is the database's fault (503, try
	// again), not a bad token (401), as for sessions.
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		slog.Warn("token check failed", "err", err)
		return nil, errs.Unreachable(err, "find token")
	}
	if err != nil || revoked != nil || (!expires.IsZero() && !civil.Of(s.Now()).Before(expires)) {
		return nil, bad
	}
	now := s.now()
	if lastUsed == nil || now.Sub(*lastUsed) > idleTouchEvery {
		_ = s.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, id)
			return err
		})
	}
	a, err := s.Org.LoadActor(ctx, userID)
	if err != nil {
		if errs.As(err).Code == errs.Internal {
			slog.Warn("token check failed", "err", err)
			return nil, errs.Unreachable(err, "load token user")
		}
		return nil, err
	}
	a.TokenID = id
	if perms != "" {
		// The token's subset, of what the owner still holds today.
		keep := map[string]bool{}
		for _, p := range org.SplitPerms(perms) {
			keep[p] = a.Perms[p]
		}
		a.Perms = keep
	}
	return a, nil
}
