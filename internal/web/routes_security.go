package web

import (
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/org"
)

// securityRoutes are the controls' routes: personal data in full
// (docs/security.md).
func (s *Server) securityRoutes() []Route {
	o := org.Handlers{S: s.Org}
	w := network.Handlers{S: s.Network}
	return []Route{
		{"GET", "/api/v1/users/{id}/personal", org.PermPersonalData, "org", "A user's phone and e-mail in full (404 outside scope; each view audited)", nil, o.PersonalData},
		{"GET", "/api/v1/advisors/{id}/contact", org.PermPersonalData, "network", "An advisor's contact line in full (each view audited)", nil, w.AdvisorContact},
		{"GET", "/api/v1/partners/{id}/contact", org.PermPersonalData, "network", "A partner's contact line in full (each view audited)", nil, w.PartnerContact},
		{"GET", "/api/v1/staff/{id}/contact", org.PermPersonalData, "network", "A staff member's contact line in full (unit in scope; each view audited)", nil, w.StaffContact},
	}
}
