package project

// Generation is the generation of counters('project') the mirror holds and
// whether it has loaded, for the server's metrics (how far it trails the table).
func (m *Mirror) Generation() (gen int64, loaded bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.gen, m.loaded
}
