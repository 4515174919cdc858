package project

import "context"

// Generation is the project generation (db.Generation) the mirror holds and
// whether it has loaded, for the server's metrics (how far it trails the table).
func (m *Mirror) Generation() (gen int64, loaded bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.mark.Newest(), m.loaded
}

// Latest is the newest project generation committed to the table, for the
// metrics' lag (Latest less Generation).
func (m *Mirror) Latest(ctx context.Context) (int64, error) {
	return projectGen.Latest(ctx, m.db.Reader())
}

// Version brings the mirror up to every committed write and answers a
// number that changes whenever that changed its rows. Caches of figures
// computed from the mirror key on it: the generations themselves do not
// serve, since on PostgreSQL a transaction id can commit below the newest
// one already stamped (db.Generation).
func (m *Mirror) Version(ctx context.Context) (uint64, error) {
	if err := m.fresh(ctx); err != nil {
		return 0, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.state, nil
}
