package assess

import (
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// Service computes and closes the figures.
type Service struct {
	DB  *db.DB
	Now func() time.Time
}

// New builds the service.
func New(d *db.DB) *Service { return &Service{DB: d, Now: time.Now} }

func (s *Service) now() time.Time    { return s.Now().UTC() }
func (s *Service) today() civil.Date { return civil.Of(s.Now()) }
