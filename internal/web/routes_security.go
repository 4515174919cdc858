package web

import (
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/org"
)

// securityRoutes are the controls' routes: the second factor, the
// security policy, ending sessions, personal data in full (docs/security.md).
func (s *Server) securityRoutes() []Route {
	au := auth.Handlers{S: s.Auth, TrustedProxies: s.TrustedProxies}
	o := org.Handlers{S: s.Org}
	w := network.Handlers{S: s.Network}
	return []Route{
		{"POST", "/api/v1/auth/totp", SignedIn, "auth", "Complete a sign-in with the TOTP code or a recovery code (new cookie)", auth.SecondFactor{}, au.VerifyTOTP},
		{"POST", "/api/v1/me/totp", SignedIn, "auth", "Start enrolling a TOTP second factor: a new secret and its QR code", nil, au.StartTOTP},
		{"POST", "/api/v1/me/totp/confirm", SignedIn, "auth", "Confirm the enrolment with a first code; answers the recovery codes (once)", auth.SecondFactor{}, au.ConfirmTOTP},
		{"POST", "/api/v1/me/totp/disable", SignedIn, "auth", "Turn the own second factor off with a current code (refused where required)", auth.SecondFactor{}, au.DisableTOTP},
		{"POST", "/api/v1/users/{id}/totp/reset", "user:unlock", "org", "Clear a user's second factor (lost phone); ends their sessions", nil, au.ResetTOTP},
		{"POST", "/api/v1/users/{id}/sessions/end", "user:unlock", "org", "End every session of a user now", nil, au.EndSessions},
		{"GET", "/api/v1/settings/security", auth.PermSecurityPolicy, "auth", "The security policy (second factor for all, password age, session cap)", nil, au.GetPolicy},
		{"PUT", "/api/v1/settings/security", auth.PermSecurityPolicy, "auth", "Change the security policy", auth.Policy{}, au.PutPolicy},
		{"GET", "/api/v1/users/{id}/personal", org.PermPersonalData, "org", "A user's phone and e-mail in full (404 outside scope; each view audited)", nil, o.PersonalData},
		{"GET", "/api/v1/advisors/{id}/contact", org.PermPersonalData, "network", "An advisor's contact line in full (each view audited)", nil, w.AdvisorContact},
		{"GET", "/api/v1/partners/{id}/contact", org.PermPersonalData, "network", "A partner's contact line in full (each view audited)", nil, w.PartnerContact},
		{"GET", "/api/v1/staff/{id}/contact", org.PermPersonalData, "network", "A staff member's contact line in full (unit in scope; each view audited)", nil, w.StaffContact},
	}
}
