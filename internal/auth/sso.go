package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// SSOConfig is single sign-on with the city's identity platform (统一身份认证)
// by OpenID Connect; off while Issuer is empty.
type SSOConfig struct {
	Issuer, ClientID, ClientSecret string
	// RedirectURL is this server's callback as the platform has it
	// registered: https://HOST/api/v1/auth/sso/callback.
	RedirectURL string
	// UsernameClaim names the ID token's claim that holds the attract
	// username (default preferred_username); it is read only to bind.
	UsernameClaim string
	// BindByUsername lets a first sign-in bind the platform's subject to
	// the active user whose username the claim holds. Off: only users
	// already bound sign in.
	BindByUsername bool
	Label          string // the button's text, when the operator wants another than the default
}

// Enabled says whether single sign-on is configured.
func (c SSOConfig) Enabled() bool { return c.Issuer != "" }

// ssoStateTTL is how long a browser may stay at the platform between
// start and callback.
const ssoStateTTL = 10 * time.Minute

// ssoClient is the platform's endpoints and keys, discovered once.
type ssoClient struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

type ssoLazy struct {
	mu     sync.Mutex
	client *ssoClient
}

// ssoHTTP is the context the calls to the platform run in: a timeout, so
// that an unreachable platform answers an error instead of hanging.
func ssoHTTP() context.Context {
	c := &http.Client{Timeout: 10 * time.Second}
	return context.WithValue(oidc.ClientContext(context.Background(), c), oauth2.HTTPClient, c)
}

// client discovers the platform on first use (not at start: the server
// starts while the platform is down) and keeps it once found.
func (s *Service) ssoClient() (*ssoClient, error) {
	s.sso.mu.Lock()
	defer s.sso.mu.Unlock()
	if s.sso.client != nil {
		return s.sso.client, nil
	}
	c := s.Cfg.SSO
	p, err := oidc.NewProvider(ssoHTTP(), c.Issuer)
	if err != nil {
		return nil, err
	}
	s.sso.client = &ssoClient{
		oauth: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"}},
		verifier: p.Verifier(&oidc.Config{ClientID: c.ClientID, Now: s.Now}),
	}
	return s.sso.client, nil
}

// ssoState is what the browser carries from start to callback, sealed
// (AES-GCM) in a short-lived cookie: the state and nonce to compare and the
// PKCE verifier.
type ssoState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

// ssoAEAD is keyed by the client secret, which every server behind a load
// balancer shares, so a callback may reach another server than its start.
func (s *Service) ssoAEAD() cipher.AEAD {
	k := sha256.Sum256([]byte("attract sso state\x00" + s.Cfg.SSO.ClientSecret))
	b, _ := aes.NewCipher(k[:])
	g, _ := cipher.NewGCM(b)
	return g
}

func (s *Service) sealState(st ssoState) string {
	raw, _ := json.Marshal(st)
	g := s.ssoAEAD()
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, raw, nil))
}

func (s *Service) openState(v string) (ssoState, bool) {
	var st ssoState
	raw, err := base64.RawURLEncoding.DecodeString(v)
	g := s.ssoAEAD()
	if err != nil || len(raw) < g.NonceSize() {
		return st, false
	}
	plain, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], nil)
	if err != nil || json.Unmarshal(plain, &st) != nil || s.now().Unix() > st.Expires {
		return st, false
	}
	return st, true
}

// SSORefused is a refused single sign-on; Reason is what the login page
// shows (its message is the UI's, by reason).
type SSORefused struct{ Reason string }

func (e SSORefused) Error() string { return "single sign-on refused: " + e.Reason }

// The reasons of SSORefused.
const (
	SSOUnavailable   = "unavailable"  // the platform cannot be reached or discovered
	SSOState         = "state"        // no, expired or other state (a replayed or forged callback)
	SSOProvider      = "provider"     // the platform answered an error (the user cancelled)
	SSOToken         = "token"        // the code or the ID token failed (signature, audience, expiry, nonce)
	SSOUnknownUser   = "unknown_user" // no active attract user is bound to this platform user
	SSODisabled      = "disabled"     // the attract user is disabled
	SSOAdministrator = "administrator"
)

// SSOStart begins a sign-in: the platform's URL to send the browser to and
// the sealed state for its cookie.
func (s *Service) SSOStart() (redirect, cookie string, err error) {
	c, err := s.ssoClient()
	if err != nil {
		return "", "", SSORefused{SSOUnavailable}
	}
	st := ssoState{State: rand32(), Nonce: rand32(), Verifier: oauth2.GenerateVerifier(), Expires: s.now().Add(ssoStateTTL).Unix()}
	u := c.oauth.AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return u, s.sealState(st), nil
}

func rand32() string { t, _ := randomToken(""); return t }

// SSOCallback is what the platform sent back (query parameters).
type SSOCallback struct {
	Code, State, Error string
}

// SSOFinish completes a sign-in from the platform's callback and the
// state cookie: the ID token's signature, audience, expiry and nonce are
// checked, the platform's subject is mapped to an active attract user who is
// not an administrator, and a session is opened as a password sign-in
// opens one. Every outcome is audited.
func (s *Service) SSOFinish(ctx context.Context, cookie string, cb SSOCallback, cl Client) (Session, error) {
	subject, name, reason := s.ssoVerify(ctx, cookie, cb)
	var sess Session
	var outcome error
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if reason != "" {
			outcome = SSORefused{reason}
			return s.logSigninBy(ctx, tx, MethodSSO, 0, 0, name, cl, false, "sso_"+reason)
		}
		var err error
		sess, outcome, err = s.ssoSignin(ctx, tx, subject, name, cl)
		return err
	})
	if err != nil {
		return Session{}, err
	}
	return sess, outcome
}

// ssoVerify answers the token's subject and username claim, or why not.
func (s *Service) ssoVerify(ctx context.Context, cookie string, cb SSOCallback) (subject, name, reason string) {
	st, ok := s.openState(cookie)
	if !ok || cb.State == "" || len(cb.State) != len(st.State) || cb.State != st.State {
		return "", "", SSOState
	}
	if cb.Error != "" || cb.Code == "" {
		return "", "", SSOProvider
	}
	c, err := s.ssoClient()
	if err != nil {
		return "", "", SSOUnavailable
	}
	tok, err := c.oauth.Exchange(ssoHTTP(), cb.Code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return "", "", SSOToken
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := c.verifier.Verify(ctx, raw)
	if err != nil || idt.Nonce != st.Nonce {
		return "", "", SSOToken
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return "", "", SSOToken
	}
	name, _ = claims[s.usernameClaim()].(string)
	return idt.Subject, truncate(strings.TrimSpace(name), 64), ""
}

func (s *Service) usernameClaim() string {
	if s.Cfg.SSO.UsernameClaim != "" {
		return s.Cfg.SSO.UsernameClaim
	}
	return "preferred_username"
}

// ssoUser is the attract user a platform subject signs in as.
type ssoUser struct {
	id, unitID       int64
	username, status string
	bound            bool // sso_subject already holds the subject
}

// findSSOUser maps the subject to a user: the one bound to it, or (binding
// allowed) the one named by the username claim that no subject is bound to yet.
func (s *Service) findSSOUser(ctx context.Context, tx *db.Tx, subject, name string) (ssoUser, bool, error) {
	var u ssoUser
	err := tx.QueryRowContext(ctx, `SELECT id, unit_id, username, status FROM users WHERE sso_subject = ?`, subject).
		Scan(&u.id, &u.unitID, &u.username, &u.status)
	if err == nil {
		u.bound = true
		return u, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return u, false, errs.Wrap(err, "find sso user")
	}
	if !s.Cfg.SSO.BindByUsername || name == "" {
		return u, false, nil
	}
	err = tx.QueryRowContext(ctx, `SELECT id, unit_id, username, status FROM users WHERE username = ? AND sso_subject IS NULL`, name).
		Scan(&u.id, &u.unitID, &u.username, &u.status)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	return u, err == nil, errs.Wrap(err, "find sso user")
}

// ssoSignin returns the business outcome apart from database failures, as
// login does, so that a refusal commits its audit entry.
func (s *Service) ssoSignin(ctx context.Context, tx *db.Tx, subject, name string, cl Client) (Session, error, error) {
	refuse := func(u ssoUser, who, reason string) (Session, error, error) {
		return Session{}, SSORefused{reason}, s.logSigninBy(ctx, tx, MethodSSO, u.id, u.unitID, who, cl, false, "sso_"+reason)
	}
	u, found, err := s.findSSOUser(ctx, tx, subject, name)
	if err != nil {
		return Session{}, nil, err
	}
	if !found {
		return refuse(u, name, SSOUnknownUser)
	}
	if u.status != "active" {
		return refuse(u, u.username, SSODisabled)
	}
	a, err := s.Org.LoadActorIn(ctx, tx, u.id)
	if err != nil {
		return Session{}, nil, err
	}
	if a.Administrator() {
		return refuse(u, u.username, SSOAdministrator)
	}
	if !u.bound {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET sso_subject = ? WHERE id = ?`, subject, u.id); err != nil {
			return Session{}, nil, errs.Wrap(err, "bind sso subject")
		}
		if err := audit.Append(ctx, tx, audit.Entry{Who: audit.Who{UserID: u.id, Username: u.username, UnitID: u.unitID, ClientAddr: cl.Addr},
			Action: "auth.sso_bound", ObjectType: "user", ObjectID: fmt.Sprint(u.id), After: map[string]string{"sso_subject": subject, "by_claim": s.usernameClaim()}}); err != nil {
			return Session{}, nil, err
		}
	}
	sess, err := s.signedIn(ctx, tx, u.id, u.unitID, u.username, cl, MethodSSO)
	return sess, nil, err
}
