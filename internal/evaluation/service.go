package evaluation

import (
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

// New builds the service and installs the signing gate on projects: a
// project signs only with an approved screening (or, when the setting says
// so, with a warning instead).
func New(d *db.DB, ps *project.Service) *Service {
	s := &Service{DB: d, Projects: ps, Now: time.Now}
	ps.SigningGate = s.gate
	ps.ConstructionGate = constructionGate
	return s
}

func (s *Service) now() time.Time    { return s.Now().UTC() }
func (s *Service) today() civil.Date { return civil.Of(s.Now()) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
