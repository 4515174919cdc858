package assess

import (
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/project"
)

// Service computes and closes the figures.
type Service struct {
	DB       *db.DB
	Projects *project.Service // assess reads projects (the cockpit's lists), never writes them
	Now      func() time.Time

	cockpits *cockpitCache // cockpit_cache.go
}

// New builds the service.
func New(d *db.DB, ps *project.Service) *Service {
	return &Service{DB: d, Projects: ps, Now: time.Now, cockpits: newCockpitCache()}
}

func (s *Service) now() time.Time    { return s.Now().UTC() }
func (s *Service) today() civil.Date { return civil.Of(s.Now()) }
