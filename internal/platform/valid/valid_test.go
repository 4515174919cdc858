package valid

import (
	"strings"
	"testing"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

type inner struct {
	Label string `json:"label"`
}

type req struct {
	Name    string            `json:"name"`
	Notes   []string          `json:"notes"`
	Version int               `json:"version"`
	Amount  int64             `json:"amount"`
	Inner   *inner            `json:"inner"`
	Extra   map[string]string `json:"extra"`
	Raw     []byte            `json:"raw"`
}

// Check names every field holding what a column cannot store.
func TestCheckNamesFields(t *testing.T) {
	err := Check(&req{Name: "a\x00b", Notes: []string{"ok", "\x07"}, Version: 1 << 40, Amount: 1 << 40,
		Inner: &inner{Label: "\xff"}, Extra: map[string]string{"k": "v\x01"}, Raw: []byte{0}})
	e := errs.As(err)
	for _, f := range []string{"name", "notes", "version", "inner.label", "extra.k"} {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("%s not named: %v", f, err)
		}
	}
	if _, ok := e.Fields["amount"]; ok {
		t.Error("an int64 (BIGINT) field was refused")
	}
	if err := Check(&req{Name: "正常\t文本\r\n", Version: 3}); err != nil {
		t.Errorf("clean input refused: %v", err)
	}
	if !strings.Contains(TextMsg.En, "NUL") || Year(1999) || !Year(2026) || Int32(1<<31) {
		t.Error("the rules")
	}
}
