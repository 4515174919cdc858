package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/auth/password"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Credentials is the sign-in request.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Client is where a request came from.
type Client struct {
	Addr, UserAgent string
}

// Session is a signed-in browser session; Token goes in the cookie only.
type Session struct {
	Token     string
	CSRFToken string
	UserID    int64
	Pending   string // "totp", "enrol" or "" (see org.Actor.Pending)
}

type loginRow struct {
	id           int64
	unitID       int64
	hash, status string
	failed       int
	firstFailed  *time.Time
	lockedUntil  *time.Time
}

var errBadCredentials = errs.E(errs.Unauthenticated, "用户名或密码错误", "wrong username or password")

// Login checks a password, applies the lockout policy, logs the attempt in
// the audit chain and opens a session.
func (s *Service) Login(ctx context.Context, c Credentials, cl Client) (Session, error) {
	var sess Session
	var outcome error
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		sess, outcome, err = s.login(ctx, tx, c, cl)
		return err
	})
	if err != nil {
		return Session{}, err
	}
	return sess, outcome
}

// login returns the business outcome separately from database failures, so
// that a refused sign-in still commits its log entry and failure count.
func (s *Service) login(ctx context.Context, tx *db.Tx, c Credentials, cl Client) (Session, error, error) {
	now := s.now()
	pair, addr := pairKey(c.Username, cl.Addr), addrKey(cl.Addr)
	if s.limits.blocked(pair, now) || s.limits.blocked(addr, now) {
		return Session{}, errLocked(s.Cfg.LockFor), s.logSignin(ctx, tx, 0, 0, c.Username, cl, false, "locked")
	}
	var r loginRow
	err := tx.QueryRowContext(ctx, `SELECT id, unit_id, password_hash, status, failed_attempts, first_failed_at, locked_until
		FROM users WHERE username = ?`, c.Username).Scan(&r.id, &r.unitID, &r.hash, &r.status, &r.failed, &r.firstFailed, &r.lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		password.VerifyDummy(c.Password)
		return Session{}, errBadCredentials, s.logSignin(ctx, tx, 0, 0, c.Username, cl, false, s.failed(pair, addr, now, "unknown_user"))
	}
	if err != nil {
		return Session{}, nil, errs.Wrap(err, "find user")
	}
	if !password.Verify(c.Password, r.hash) {
		return Session{}, errBadCredentials, s.recordFailure(ctx, tx, r, c.Username, cl, s.failed(pair, addr, now, "bad_password"))
	}
	if r.status != "active" {
		return Session{}, errs.E(errs.Unauthenticated, "账户已停用，请联系系统管理员", "the account is disabled"),
			s.logSignin(ctx, tx, r.id, r.unitID, c.Username, cl, false, "disabled")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, first_failed_at = NULL, locked_until = NULL WHERE id = ?`, r.id); err != nil {
		return Session{}, nil, errs.Wrap(err, "reset failures")
	}
	sess, err := s.signedIn(ctx, tx, r.id, r.unitID, c.Username, cl, MethodPassword)
	return sess, nil, err
}

// signedIn opens the session a checked sign-in (password or single
// sign-on) earns, waiting for the second factor where one is due, and
// audits it.
func (s *Service) signedIn(ctx context.Context, tx *db.Tx, userID, unitID int64, username string, cl Client, method string) (Session, error) {
	pending, err := s.pendingFor(ctx, tx, userID)
	if err != nil {
		return Session{}, err
	}
	sess, err := s.openSession(ctx, tx, userID, cl, pending, method)
	if err != nil {
		return Session{}, err
	}
	reason := ""
	if pending != "" {
		reason = method + "_ok_" + pending + "_pending"
	}
	return sess, s.logSigninBy(ctx, tx, method, userID, unitID, username, cl, true, reason)
}

// pendingFor is what a password sign-in still needs: the code of an
// enrolled second factor ("totp"), the enrolment the policy requires
// ("enrol"), or nothing.
func (s *Service) pendingFor(ctx context.Context, tx *db.Tx, userID int64) (string, error) {
	var enabled bool
	if err := tx.QueryRowContext(ctx, `SELECT totp_enabled FROM users WHERE id = ?`, userID).Scan(&enabled); err != nil {
		return "", errs.Wrap(err, "totp state")
	}
	if enabled {
		return "totp", nil
	}
	a, err := s.Org.LoadActorIn(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	p, _, err := loadPolicy(ctx, tx)
	if err != nil {
		return "", err
	}
	if s.requiresTOTP(a, p) {
		return "enrol", nil
	}
	return "", nil
}

// failed counts a failure against the account from this address and
// against the address; the reason says when it locked either.
func (s *Service) failed(pair, addr string, now time.Time, reason string) string {
	locked := s.limits.fail(pair, now, s.Cfg.MaxFailures, s.Cfg.FailureWindow, s.Cfg.LockFor)
	if s.limits.fail(addr, now, s.Cfg.MaxPerAddress, s.Cfg.FailureWindow, s.Cfg.LockFor) || locked {
		return reason + "_locked"
	}
	return reason
}

// errLocked is the one answer to a throttled sign-in, whether or not the
// account exists.
func errLocked(d time.Duration) error {
	m := int(d.Minutes())
	return errs.E(errs.RateLimited, fmt.Sprintf("登录失败次数过多，已暂时锁定，请 %d 分钟后再试，或联系安全管理员解锁", m),
		fmt.Sprintf("too many failed sign-ins: locked for %d minutes, or ask the security administrator to unlock", m))
}

// recordFailure keeps the account's failure count for the users screen
// (the lock itself is the throttle's, per address).
func (s *Service) recordFailure(ctx context.Context, tx *db.Tx, r loginRow, username string, cl Client, reason string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?`, r.id); err != nil {
		return errs.Wrap(err, "count failure")
	}
	return s.logSignin(ctx, tx, r.id, r.unitID, username, cl, false, reason)
}

func (s *Service) logSignin(ctx context.Context, tx *db.Tx, userID, unitID int64, username string, cl Client, ok bool, reason string) error {
	return s.logSigninBy(ctx, tx, MethodPassword, userID, unitID, username, cl, ok, reason)
}

// logSigninBy audits a sign-in or its refusal, naming how it was tried
// (MethodPassword, MethodSSO).
func (s *Service) logSigninBy(ctx context.Context, tx *db.Tx, method string, userID, unitID int64, username string, cl Client, ok bool, reason string) error {
	action := "auth.login"
	if !ok {
		action = "auth.login_failed"
	}
	return audit.Append(ctx, tx, audit.Entry{
		Who:    audit.Who{UserID: userID, Username: username, UnitID: unitID, ClientAddr: cl.Addr},
		Action: action, ObjectType: "user", ObjectID: fmt.Sprint(userID),
		After: map[string]string{"result": map[bool]string{true: "success", false: "failure"}[ok], "reason": reason,
			"method": method, "user_agent": cl.UserAgent},
	})
}

// How a session was signed in (sessions.method).
const (
	MethodPassword = "password"
	MethodSSO      = "sso"
)

// methodOf is how the session a new one replaces was signed in (a second
// factor or a password change keeps it).
func methodOf(ctx context.Context, tx *db.Tx, sessionID string) (string, error) {
	m := MethodPassword
	err := tx.QueryRowContext(ctx, `SELECT method FROM sessions WHERE id = ?`, sessionID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return MethodPassword, nil
	}
	return m, errs.Wrap(err, "session method")
}

// openSession opens a session (pending: what it still waits for; method:
// how it was signed in) within the policy's cap on live sessions, ending
// the least recently used ones beyond it.
func (s *Service) openSession(ctx context.Context, tx *db.Tx, userID int64, cl Client, pending, method string) (Session, error) {
	if err := s.capSessions(ctx, tx, userID); err != nil {
		return Session{}, err
	}
	token, hash := randomToken("")
	csrf, _ := randomToken("")
	now := s.now()
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, csrf_token, client_addr, user_agent, created_at, last_seen_at, expires_at, pending, method)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, hash, userID, csrf, cl.Addr, truncate(cl.UserAgent, 300), now, now, now.Add(s.Cfg.AbsoluteTimeout), pending, method)
	if err != nil {
		return Session{}, errs.Wrap(err, "open session")
	}
	return Session{Token: token, CSRFToken: csrf, UserID: userID, Pending: pending}, nil
}

// capSessions ends a user's live sessions beyond MaxSessions-1, the least
// recently used first, so that the new one fits (audited).
func (s *Service) capSessions(ctx context.Context, tx *db.Tx, userID int64) error {
	p, _, err := loadPolicy(ctx, tx)
	if err != nil || p.MaxSessions == 0 {
		return err
	}
	now := s.now()
	rows, err := tx.QueryContext(ctx, `SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?
		ORDER BY last_seen_at DESC, created_at DESC`, userID, now, now.Add(-s.Cfg.IdleTimeout))
	if err != nil {
		return errs.Wrap(err, "live sessions")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return errs.Wrap(err, "live sessions")
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "live sessions")
	}
	rows.Close()
	if len(ids) < p.MaxSessions {
		return nil
	}
	for _, id := range ids[p.MaxSessions-1:] {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, now, id); err != nil {
			return errs.Wrap(err, "end session")
		}
	}
	return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{UserID: userID, Username: "system"}, Action: "auth.sessions_capped",
		ObjectType: "user", ObjectID: fmt.Sprint(userID), After: map[string]int{"ended": len(ids) - p.MaxSessions + 1, "cap": p.MaxSessions}})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, a *org.Actor) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.now(), a.SessionID); err != nil {
			return errs.Wrap(err, "logout")
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "auth.logout", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID)})
	})
}

// idleTouchEvery limits how often a session's last_seen_at is written: the
// idle timeout is minutes, so a write per request would only add load.
const idleTouchEvery = time.Minute

// SessionActor resolves a session cookie to its actor and CSRF token. A
// failed read is the database's fault, not the session's: it answers 503 and
// keeps the user signed in, rather than 401 "sign in again".
//
// A session read from the database is kept in memory (sessionCache) while
// the database's access generation (db.DB.Access) stays: any end of a
// session, change of a user, role, grant or unit moves it, and it is read
// after the request began, so a revocation is seen by the next request on
// every server. The cached answer is used only while the session was seen
// within idleTouchEvery: beyond, the database is asked again (and
// last_seen_at written) exactly as without the cache.
func (s *Service) SessionActor(ctx context.Context, token string) (*org.Actor, string, error) {
	hash := hashToken(token)
	gen, genErr := s.DB.Access(ctx)
	now := s.now()
	if genErr == nil {
		if e, ok := s.sessions.get(gen, hash); ok && !now.After(e.expires) && now.Sub(e.lastSeen) <= min(idleTouchEvery, s.Cfg.IdleTimeout) {
			a := *e.actor // Perms and Roles are never changed once loaded
			if err := s.applyPasswordAge(ctx, &a, now); err != nil {
				return nil, "", err
			}
			return &a, e.csrf, nil
		}
	}
	var userID int64
	var csrf string
	var lastSeen, expires time.Time
	var revoked *time.Time
	var pending string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT user_id, csrf_token, last_seen_at, expires_at, revoked_at, pending FROM sessions WHERE id = ?`, hash).
		Scan(&userID, &csrf, &lastSeen, &expires, &revoked, &pending)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		slog.Warn("session check failed", "err", err)
		return nil, "", errs.Unreachable(err, "find session")
	}
	if err != nil || revoked != nil || now.After(expires) || now.Sub(lastSeen) > s.Cfg.IdleTimeout {
		return nil, "", errs.E(errs.Unauthenticated, "登录已失效，请重新登录", "your session has ended; please sign in again")
	}
	if now.Sub(lastSeen) > idleTouchEvery {
		if s.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, hash)
			return err
		}) == nil {
			lastSeen = now
		}
	}
	a, err := s.Org.LoadActor(ctx, userID)
	if err != nil {
		if errs.As(err).Code == errs.Internal {
			slog.Warn("session check failed", "err", err)
			return nil, "", errs.Unreachable(err, "load session user")
		}
		return nil, "", err
	}
	a.SessionID, a.Pending = hash, pending
	if genErr == nil {
		kept := *a
		s.sessions.put(gen, hash, cachedSession{actor: &kept, csrf: csrf, lastSeen: lastSeen, expires: expires})
	}
	if err := s.applyPasswordAge(ctx, a, now); err != nil {
		return nil, "", err
	}
	return a, csrf, nil
}

// sessionCache holds the sessions read at one access generation; a new
// generation empties it. Bounded: past sessionCacheMax entries it starts
// afresh (every session is then read once more).
type sessionCache struct {
	mu   sync.Mutex
	gen  int64
	byID map[string]cachedSession
}

const sessionCacheMax = 20000

type cachedSession struct {
	actor             *org.Actor // as loaded, before the password's age is applied
	csrf              string
	lastSeen, expires time.Time
}

func (c *sessionCache) get(gen int64, hash string) (cachedSession, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return cachedSession{}, false
	}
	e, ok := c.byID[hash]
	return e, ok
}

func (c *sessionCache) put(gen int64, hash string, e cachedSession) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.byID == nil || len(c.byID) >= sessionCacheMax {
		c.gen, c.byID = gen, map[string]cachedSession{}
	}
	c.byID[hash] = e
}

// applyPasswordAge: a password older than the policy's maximum age is
// treated as a first password: nothing but changing it until it is.
func (s *Service) applyPasswordAge(ctx context.Context, a *org.Actor, now time.Time) error {
	p, err := s.Policy(ctx)
	if err != nil {
		return errs.Unreachable(err, "policy")
	}
	if p.PasswordMaxAgeDays > 0 && now.Sub(a.PasswordChangedAt) > time.Duration(p.PasswordMaxAgeDays)*24*time.Hour {
		a.MustChangePassword, a.PasswordExpired = true, true
	}
	return nil
}
