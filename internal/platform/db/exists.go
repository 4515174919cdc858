package db

import (
	"context"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Exists reports whether query, a COUNT, counts any row. A query that
// fails is an error, never "does not exist".
func Exists(ctx context.Context, q Querier, query string, args ...any) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false, errs.Wrap(err, "exists")
	}
	return n > 0, nil
}

// Checks asks the existence questions of a validation and keeps the first
// failure: a question the database could not answer counts as passed (no
// field is blamed for it) and Err says why, to be returned before the
// validation's own errors.
type Checks struct {
	ctx context.Context
	q   Querier
	err error
}

// NewChecks asks through q.
func NewChecks(ctx context.Context, q Querier) *Checks { return &Checks{ctx: ctx, q: q} }

// Exists is Exists, keeping a failure for Err.
func (c *Checks) Exists(query string, args ...any) bool {
	if c.err != nil {
		return true
	}
	ok, err := Exists(c.ctx, c.q, query, args...)
	if err != nil {
		c.err = err
		return true
	}
	return ok
}

// Keep records the failure of a question asked another way (a dictionary
// lookup) and reports whether it was answered.
func (c *Checks) Keep(err error) bool {
	if err != nil && c.err == nil {
		c.err = err
	}
	return err == nil
}

// Err is the first question that could not be answered, or nil.
func (c *Checks) Err() error { return c.err }

// NullID is an optional reference as stored: NULL for 0.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
