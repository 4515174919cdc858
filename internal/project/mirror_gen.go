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
