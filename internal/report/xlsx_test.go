package report

import (
	"bytes"
	"testing"
)

// TestWriteXLSXIsDeterministic: the same tables give the same bytes (closed
// months' reports are compared byte for byte).
func TestWriteXLSXIsDeterministic(t *testing.T) {
	tables := []Table{
		{Sheet: "月统计", Headers: []string{"单位", "金额"}, Rows: [][]any{{"端州区", "12.50"}, {"高要区", 3}}},
		{Sheet: "统计口径", Headers: []string{"说明"}, Rows: [][]any{{"按签约日期统计"}}},
	}
	var first bytes.Buffer
	if err := WriteXLSX(&first, tables...); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		var again bytes.Buffer
		if err := WriteXLSX(&again, tables...); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), again.Bytes()) {
			t.Fatalf("generation %d differs", i)
		}
	}
}
