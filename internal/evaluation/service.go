package evaluation

import (
	"context"
	"strconv"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/project"
)

// Service screens projects.
type Service struct {
	DB       *db.DB
	Projects *project.Service
	Now      func() time.Time
}

// New builds the service. The app installs its gates on projects
// (SigningGate, ConstructionGate).
func New(d *db.DB, ps *project.Service) *Service {
	return &Service{DB: d, Projects: ps, Now: time.Now}
}

// SigningGate is asked before a project signs: it signs only with an
// approved screening (or, when the setting says so, with a warning instead).
func (s *Service) SigningGate(ctx context.Context, q db.Querier, projectID int64) error {
	return s.gate(ctx, q, projectID)
}

// ConstructionGate is asked before construction starts: a 两高 project
// needs its energy review.
func (s *Service) ConstructionGate(ctx context.Context, q db.Querier, p project.Project) error {
	return constructionGate(ctx, q, p)
}

func (s *Service) now() time.Time    { return s.Now().UTC() }
func (s *Service) today() civil.Date { return civil.Of(s.Now()) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
