package org

import (
	"context"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// Service is what users do with the organisation: units, users, roles.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	// OnCredentialsChanged runs in the transaction that disables a user or
	// changes their password or rights; auth sets it to end their sessions.
	OnCredentialsChanged func(ctx context.Context, tx *db.Tx, userID int64) error
	// OnUnlock lifts the sign-in throttle of an account (auth sets it).
	OnUnlock func(username string)
}

// NewService builds the service with the real clock.
func NewService(d *db.DB) *Service { return &Service{DB: d, Now: time.Now} }

func (s *Service) now() time.Time    { return s.Now().UTC() }
func (s *Service) today() civil.Date { return civil.Of(s.Now()) }
