package project

import (
	"context"

	"github.com/zhaoqing/attract/internal/org"
)

// WriteLedgerInputs writes inputs as a ledger import's checked rows at a
// stage, through the engine's own path (multi-row INSERT on SQLite, COPY on
// PostgreSQL), and returns how many it wrote.
func (s *Service) WriteLedgerInputs(ctx context.Context, a *org.Actor, ins []Input, stage string) (int, error) {
	rows := make([]ledgerRow, len(ins))
	for i, in := range ins {
		r := ledgerRow{line: i + 2, in: in, stage: stage, status: "active", nameNorm: NormName(in.Name), invNorm: NormInvestor(in.InvestorName)}
		for k := 0; k <= stageIndex(stage); k++ {
			r.dates[k] = in.LeadOn.AddDays(k)
		}
		rows[i] = r
	}
	ch := make(chan parsedChunk, 1)
	ch <- parsedChunk{rows: rows, known: newDupGuard()}
	close(ch)
	ck := &checker{rd: &reading{chunks: ch, cancel: func() {}}, above: newDupGuard(), res: &ImportResult{Mode: AllOrNothing}}
	return s.writeLedger(ctx, a, ck, "round-trip.xlsx")
}
