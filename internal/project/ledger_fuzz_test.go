package project

import (
	"bytes"
	"testing"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
)

// FuzzLedgerRow feeds arbitrary CSV through the ledger reader and row parser:
// no panic, and every row either parses clean or reports errors with a row
// number and a column.
func FuzzLedgerRow(f *testing.F) {
	head := "项目名称*,投资方*,统一社会信用代码,合同投资额（万元）,招商方式*,落户地,引进单位及分成,阶段,线索日期,签约日期,状态\n"
	f.Add(head + "储能基地,宁德时代,91350900587527783P,1200000,以商引商,端州区,新能源汽车组:60;端州区:40,签约,2025-01-05,2025-03-01,正常\n")
	f.Add(head + "x,y,,1e9,?,?,a:b:c,投产,45662,2025年13月1日,暂缓\n")
	f.Add("\xef\xbb\xbf" + head + "\"unterminated\n")
	l := lookups{
		dict:   map[string]map[string]string{"channel": {"以商引商": "business_referral", "team": "team"}, "source_region": {}, "project_tag": {}},
		labels: map[string][]string{},
		units:  map[string]unitRef{"端州区": {1, "locality"}, "新能源汽车组": {2, "working_group"}},
	}
	a := &org.Actor{UnitID: 9, Scope: org.ScopeAll}
	today := civil.MustParse("2026-11-27")
	f.Fuzz(func(t *testing.T, csv string) {
		src, err := openLedger(bytes.NewReader([]byte(csv)), "f.csv")
		if err != nil {
			return
		}
		defer src.Close()
		head, _, err := src.Next()
		if err != nil {
			return
		}
		idx, _ := headerIndex(head)
		for {
			row, line, err := src.Next()
			if err != nil {
				return
			}
			c := &cellReader{row: row, idx: idx, line: line}
			r := l.parseRow(c, a, today)
			for _, e := range c.errs {
				if e.Row != line || e.Column == "" || e.Message == "" {
					t.Fatalf("bad row error %+v", e)
				}
			}
			if len(c.errs) == 0 && (r.in.Name == "" || stageIndex(r.stage) < 0 || r.dates[stageIndex(r.stage)].IsZero()) {
				t.Fatalf("clean row with missing facts: %+v", r)
			}
		}
	})
}
