package project

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestKeywordsAgreeWithContains: after puts, replacements and the
// compactions they cause, find marks exactly the rows whose current text
// contains the needle, and never a match across two rows or fields.
func TestKeywordsAgreeWithContains(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"肇庆", "新能源", "电池", "xm-2024", "科技", "华鑫", "ab"}
	var k keywords
	texts := make([]string, 300)
	for round := 0; round < 20; round++ {
		for n := 0; n < 150; n++ {
			i := r.IntN(len(texts))
			texts[i] = words[r.IntN(len(words))] + words[r.IntN(len(words))] + "\x00" + words[r.IntN(len(words))] + "\x00" + fmt.Sprint(i)
			k.put(i, texts[i])
		}
		for _, q := range append(words, "池肇", "1", "\x00", "庆\x00", "b"+"肇") {
			hit := make([]bool, len(texts))
			k.find(q, hit)
			for i, text := range texts {
				want := text != "" && !strings.ContainsAny(q, "\x00\x01") && strings.Contains(text, q)
				if hit[i] != want {
					t.Fatalf("round %d, %q in row %d (%q): found %v", round, q, i, text, hit[i])
				}
			}
		}
	}
	if k.dead > len(k.buf)/2 {
		t.Fatalf("not compacted: %d dead of %d", k.dead, len(k.buf))
	}
}
