package web

import "github.com/zhaoqing/attract/internal/project"

// controlRoutes are the controls' routes: verifying ledger-imported
// projects (docs/api-projects.md, "Pending verification").
func (s *Server) controlRoutes() []Route {
	p := project.Handlers{S: s.Project}
	return []Route{
		{"POST", "/api/v1/projects/verify", "project:verify", "project", "Verify several pending imported projects at once (all or none; each audited)", project.BulkVerify{}, p.VerifyAll},
		{"POST", "/api/v1/projects/{id}/verify", "project:verify", "project", "Verify a pending imported project (its agreement, or a reason for history before the first open month)", project.VerifyInput{}, p.Verify},
	}
}
