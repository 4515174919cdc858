package web

import "github.com/zhaoqing/attract/internal/project"

// controlRoutes are the controls' routes: verifying ledger-imported
// projects (docs/api-projects.md, "Pending verification") and the work
// assigned to a unit ("Assigned work").
func (s *Server) controlRoutes() []Route {
	p := project.Handlers{S: s.Project}
	return []Route{
		{"POST", "/api/v1/projects/verify", "project:verify", "project", "Verify several pending imported projects at once (all or none; each audited)", project.BulkVerify{}, p.VerifyAll},
		{"GET", "/api/v1/assignments", "project:read", "project", "Open requests, approval steps and hand-overs assigned to the caller's unit (and below), with the project facts they need (?kind=)", nil, p.Assignments},
		{"POST", "/api/v1/projects/{id}/verify", "project:verify", "project", "Verify a pending imported project (its agreement, or a reason for history before the first open month)", project.VerifyInput{}, p.Verify},
	}
}
