package assess

import "context"

// ComputeBoth computes an open month's report twice: from SQL, as closing
// the month does, and from the project mirror, as every figure shown does.
func (s *Service) ComputeBoth(ctx context.Context, p Period) (viaSQL, viaMirror Report, err error) {
	if viaSQL, _, err = s.compute(ctx, s.DB.Reader(), p); err != nil {
		return
	}
	viaMirror, _, err = s.compute(ctx, s.reader(), p)
	return
}
