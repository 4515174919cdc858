package bench

import "context"

// imports measures the ledger import (wired once the importer exists).
func (m *measure) imports(ctx context.Context, city *client) error {
	m.rep.Notes = append(m.rep.Notes, m.e.t.name+": ledger import not measured: (*project.Service).ImportLedger does not exist yet")
	return nil
}
