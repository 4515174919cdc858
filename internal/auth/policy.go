package auth

import (
	"context"
	"sync"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/setting"
)

// Policy is the sign-in policy the security administrator sets (the
// settings key "security"). The administrators' second factor is not in it:
// it is always required (GB/T 22239 asks it of privileged accounts), except
// where the operator turned it off for a test server (Config).
type Policy struct {
	// TOTPForAll requires a second factor of every account, not only of
	// the administrators.
	TOTPForAll bool `json:"totp_for_all"`
	// PasswordMaxAgeDays: a password older than this must be changed before
	// anything else (0: never).
	PasswordMaxAgeDays int `json:"password_max_age_days"`
	// MaxSessions: a sign-in beyond this many live sessions of one account
	// ends the least recently used one (0: no cap).
	MaxSessions int `json:"max_sessions"`
	Version     int `json:"version"`
}

// DefaultPolicy: administrators only need TOTP; 90-day passwords; at most
// ten sessions per account (a person with a few browsers and devices;
// fewer where the city asks it).
var DefaultPolicy = Policy{PasswordMaxAgeDays: 90, MaxSessions: 10}

const policyKey = "security"

// PermSecurityPolicy changes the sign-in policy: the security
// administrator's duty.
const PermSecurityPolicy = "security:write"

func init() {
	org.Permissions = append(org.Permissions, org.Permission{Code: PermSecurityPolicy, Group: "system",
		NameZh: "维护安全策略（双因素认证、密码有效期、会话数上限）", NameEn: "Maintain the security policy (second factor, password age, session cap)"})
	org.AddDutyPermission(PermSecurityPolicy, org.DutySecurity, "secadmin")
}

// Validate checks the policy's bounds.
func (p *Policy) Validate() error {
	var v errs.Validation
	if p.PasswordMaxAgeDays < 0 || p.PasswordMaxAgeDays > 365 {
		v.Add("password_max_age_days", "应为 0（不限）到 365 天", "0 (never) to 365 days")
	}
	if p.MaxSessions < 0 || p.MaxSessions > 100 {
		v.Add("max_sessions", "应为 0（不限）到 100", "0 (no cap) to 100")
	}
	return v.Err()
}

func loadPolicy(ctx context.Context, q db.Querier) (Policy, int, error) {
	p := DefaultPolicy
	v, err := setting.Load(ctx, q, policyKey, &p)
	p.Version = v
	return p, v, err
}

// policyCache: every signed-in request consults the policy (password age),
// so a server keeps it while the access generation stays (db.DB.Access:
// any write to settings moves it), and sees another server's change with
// its next request.
type policyCache struct {
	mu  sync.Mutex
	p   Policy
	gen int64
	ok  bool
}

// Policy is the stored policy (the defaults until first saved).
func (s *Service) Policy(ctx context.Context) (Policy, error) {
	gen, err := s.DB.Access(ctx)
	if err != nil {
		return Policy{}, err
	}
	s.policy.mu.Lock()
	defer s.policy.mu.Unlock()
	if s.policy.ok && s.policy.gen == gen {
		return s.policy.p, nil
	}
	p, _, err := loadPolicy(ctx, s.DB.Reader())
	if err == nil {
		s.policy.p, s.policy.gen, s.policy.ok = p, gen, true
	}
	return p, err
}

// SetPolicy saves the policy (audited as setting.security).
func (s *Service) SetPolicy(ctx context.Context, a *org.Actor, in Policy) (Policy, error) {
	if err := in.Validate(); err != nil {
		return Policy{}, err
	}
	out, err := setting.Update(ctx, s.DB, a.Who(), policyKey, loadPolicy, in, in.Version, s.now())
	s.policy.mu.Lock()
	defer s.policy.mu.Unlock()
	s.policy.ok = false
	return out, err
}
