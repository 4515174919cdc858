package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

// The second factor is TOTP (RFC 6238: six digits, 30 seconds, SHA-1, what
// every authenticator app reads from the QR code). A code is accepted for
// the step before, the current one and the one after (clock drift), and
// never for a step at or before the last one accepted, so a code seen over
// a shoulder or in a log cannot be replayed. The secret is sealed with the
// personal-data key. Recovery codes are for a lost phone: ten, shown once,
// stored as SHA-256 hashes (50 random bits each, behind the sign-in
// throttle), each used once.

const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is what the user scans (or types) into an authenticator app.
type Enrolment struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
	QRPNG  string `json:"qr_png"` // a data: URL of the QR code
}

// SecondFactor is the code after the password, or a recovery code.
type SecondFactor struct {
	Code         string `json:"code"`
	RecoveryCode string `json:"recovery_code"`
}

// RecoveryCodes are shown once, when the second factor is confirmed.
type RecoveryCodes struct {
	Codes []string `json:"recovery_codes"`
}

var errBadCode = errs.E(errs.Invalid, "动态验证码不正确或已使用", "the code is wrong or already used").
	Field("code", "不正确或已使用", "wrong or already used")

// requiresTOTP: the administrators always (unless the operator turned it
// off), everyone when the policy says so.
func (s *Service) requiresTOTP(a *org.Actor, p Policy) bool {
	return p.TOTPForAll || (a.Administrator() && !s.Cfg.AdminTOTPOptional)
}

// StartTOTP makes a new secret for the actor (not yet in force: Confirm
// puts it in force) and returns its QR code.
func (s *Service) StartTOTP(ctx context.Context, a *org.Actor) (Enrolment, error) {
	if a.TOTPEnabled {
		return Enrolment{}, errs.E(errs.Conflict, "已启用双因素认证；如需更换，请先停用", "the second factor is on already; turn it off first")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "attract", AccountName: a.Username, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, errs.Wrap(err, "totp secret")
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, errs.Wrap(err, "totp qr")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, errs.Wrap(err, "totp qr")
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = ?, totp_last_step = 0 WHERE id = ? AND totp_enabled = ?`,
			pii.Seal(key.Secret()), a.UserID, false); err != nil {
			return errs.Wrap(err, "store totp secret")
		}
		return audit.Append(ctx, tx, a.Entry("auth.totp_enrol_started", "user", a.UserID, nil, nil))
	})
	return Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, err
}

// matchStep returns the step of secret's code equal to code, newer than
// last; 0 when none.
func matchStep(secret, code string, now time.Time, last int64) int64 {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0
	}
	cur := now.Unix() / totpPeriod
	for step := cur - 1; step <= cur+1; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err == nil && step > last && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step
		}
	}
	return 0
}

// useCode accepts a TOTP code for the user once: the step is written only
// if no other request took it (or a later one) first.
func useCode(ctx context.Context, tx *db.Tx, userID int64, code string, now time.Time) (bool, error) {
	var sealed string
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = ?`, userID).Scan(&sealed, &last); err != nil {
		return false, errs.Wrap(err, "totp secret")
	}
	secret, err := pii.Open(sealed)
	if err != nil || secret == "" {
		return false, errs.Wrap(err, "open totp secret")
	}
	step := matchStep(secret, code, now, last)
	if step == 0 {
		return false, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return false, errs.Wrap(err, "use totp code")
	}
	n, err := res.RowsAffected()
	return n == 1, errs.Wrap(err, "use totp code")
}

// useRecoveryCode spends one unused recovery code.
func useRecoveryCode(ctx context.Context, tx *db.Tx, userID int64, code string, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		now, userID, hashToken(normalRecovery(code)))
	if err != nil {
		return false, errs.Wrap(err, "use recovery code")
	}
	n, err := res.RowsAffected()
	return n == 1, errs.Wrap(err, "use recovery code")
}

func normalRecovery(code string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
}

const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789" // no 0/o, 1/l/i

func newRecoveryCodes(ctx context.Context, tx *db.Tx, userID int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = ?`, userID); err != nil {
		return nil, errs.Wrap(err, "drop recovery codes")
	}
	codes := make([]string, 10)
	for i := range codes {
		b := make([]byte, 10)
		_, _ = rand.Read(b)
		for j := range b {
			b[j] = recoveryAlphabet[int(b[j])%len(recoveryAlphabet)]
		}
		codes[i] = string(b[:5]) + "-" + string(b[5:])
		if _, err := tx.ExecContext(ctx, `INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, hashToken(normalRecovery(codes[i]))); err != nil {
			return nil, errs.Wrap(err, "store recovery code")
		}
	}
	return codes, nil
}

// ConfirmTOTP puts the started secret in force with a first code, returns
// the recovery codes (once), completes a session that waited for the
// enrolment and ends the account's other sessions (opened without it).
func (s *Service) ConfirmTOTP(ctx context.Context, a *org.Actor, req SecondFactor) (RecoveryCodes, error) {
	var out RecoveryCodes
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var enabled bool
		var sealed string
		if err := tx.QueryRowContext(ctx, `SELECT totp_enabled, totp_secret FROM users WHERE id = ?`, a.UserID).Scan(&enabled, &sealed); err != nil {
			return errs.Wrap(err, "totp state")
		}
		if enabled || sealed == "" {
			return errs.E(errs.Conflict, "请先生成二维码（或已启用）", "start the enrolment first (or it is on already)")
		}
		ok, err := useCode(ctx, tx, a.UserID, req.Code, s.now())
		if err != nil || !ok {
			return firstErr(err, errBadCode)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled = ?, version = version + 1, updated_at = ? WHERE id = ?`, true, s.now(), a.UserID); err != nil {
			return errs.Wrap(err, "enable totp")
		}
		if out.Codes, err = newRecoveryCodes(ctx, tx, a.UserID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?`,
			s.now(), a.UserID, a.SessionID); err != nil {
			return errs.Wrap(err, "end other sessions")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET pending = '' WHERE id = ? AND pending = 'enrol'`, a.SessionID); err != nil {
			return errs.Wrap(err, "complete session")
		}
		return audit.Append(ctx, tx, a.Entry("auth.totp_enabled", "user", a.UserID, nil, nil))
	})
	return out, err
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// VerifyTOTP completes a session that waits for the second factor: a TOTP
// code or an unused recovery code. Failures count in the sign-in throttle
// like wrong passwords; once it locks, the waiting session ends too. The
// session is replaced (a new cookie): the token issued on the password
// alone never becomes a full session.
func (s *Service) VerifyTOTP(ctx context.Context, a *org.Actor, req SecondFactor, cl Client) (Session, error) {
	if a.Pending != "totp" {
		return Session{}, errs.E(errs.Conflict, "当前会话无需动态验证码", "this session does not wait for a code")
	}
	now := s.now()
	pair, addr := pairKey(a.Username, cl.Addr), addrKey(cl.Addr)
	var sess Session
	var outcome error
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if s.limits.blocked(pair, now) || s.limits.blocked(addr, now) {
			outcome = errLocked(s.Cfg.LockFor)
			return s.endPending(ctx, tx, a, cl, "totp_locked")
		}
		var ok bool
		var err error
		how := "totp"
		if req.RecoveryCode != "" {
			how = "recovery_code"
			ok, err = useRecoveryCode(ctx, tx, a.UserID, req.RecoveryCode, now)
		} else {
			ok, err = useCode(ctx, tx, a.UserID, req.Code, now)
		}
		if err != nil {
			return err
		}
		if !ok {
			reason := s.failed(pair, addr, now, "bad_"+how)
			outcome = errBadCode
			if strings.HasSuffix(reason, "_locked") {
				outcome = errLocked(s.Cfg.LockFor)
				return s.endPending(ctx, tx, a, cl, reason)
			}
			return s.logSignin(ctx, tx, a.UserID, a.UnitID, a.Username, cl, false, reason)
		}
		method, err := methodOf(ctx, tx, a.SessionID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, now, a.SessionID); err != nil {
			return errs.Wrap(err, "replace session")
		}
		if sess, err = s.openSession(ctx, tx, a.UserID, cl, "", method); err != nil {
			return err
		}
		return s.logSigninBy(ctx, tx, method, a.UserID, a.UnitID, a.Username, cl, true, how)
	})
	if err != nil {
		return Session{}, err
	}
	return sess, outcome
}

func (s *Service) endPending(ctx context.Context, tx *db.Tx, a *org.Actor, cl Client, reason string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, s.now(), a.SessionID); err != nil {
		return errs.Wrap(err, "end session")
	}
	return s.logSignin(ctx, tx, a.UserID, a.UnitID, a.Username, cl, false, reason)
}

// DisableTOTP turns the actor's own second factor off, with a current code;
// refused where the policy requires it.
func (s *Service) DisableTOTP(ctx context.Context, a *org.Actor, req SecondFactor) error {
	p, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if s.requiresTOTP(a, p) {
		return errs.E(errs.Forbidden, "您的账户必须使用双因素认证", "your account must keep its second factor")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		ok, err := useCode(ctx, tx, a.UserID, req.Code, s.now())
		if err != nil || !ok {
			return firstErr(err, errBadCode)
		}
		return s.clearTOTP(ctx, tx, a, a.UserID, "auth.totp_disabled")
	})
}

func (s *Service) clearTOTP(ctx context.Context, tx *db.Tx, a *org.Actor, userID int64, action string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled = ?, totp_secret = '', totp_last_step = 0, version = version + 1, updated_at = ? WHERE id = ?`,
		false, s.now(), userID); err != nil {
		return errs.Wrap(err, "clear totp")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = ?`, userID); err != nil {
		return errs.Wrap(err, "drop recovery codes")
	}
	return audit.Append(ctx, tx, a.Entry(action, "user", userID, nil, nil))
}

// ResetTOTP is the security administrator clearing a user's second factor
// (a lost phone): the user enrols again at the next sign-in (if required),
// and their sessions end.
func (s *Service) ResetTOTP(ctx context.Context, a *org.Actor, userID int64) error {
	if _, err := s.Org.User(ctx, a, userID); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.clearTOTP(ctx, tx, a, userID, "user.reset_totp"); err != nil {
			return err
		}
		return s.revokeAll(ctx, tx, userID, "")
	})
}

// EndSessions is an administrator ending every session of a user now
// (their API tokens stay: revoke those by disabling or a reset).
func (s *Service) EndSessions(ctx context.Context, a *org.Actor, userID int64) (int64, error) {
	if _, err := s.Org.User(ctx, a, userID); err != nil {
		return 0, err
	}
	var n int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, s.now(), userID)
		if err != nil {
			return errs.Wrap(err, "end sessions")
		}
		n, _ = res.RowsAffected()
		return audit.Append(ctx, tx, a.Entry("user.end_sessions", "user", userID, nil, map[string]int64{"sessions": n}))
	})
	return n, err
}
