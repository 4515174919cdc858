package region

import (
	"strings"
	"testing"
)

// Prefix never panics and never lengthens a code; a six-digit code's prefix
// is a prefix of it.
func FuzzPrefix(f *testing.F) {
	for _, s := range []string{"", "1", "100", "x00", "440000", "441200", "441202", "44120", "4412000", "４４１２００", "\x00\x00\x00\x00\x00\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		p := Prefix(code)
		if len(p) > len(code) || !strings.HasPrefix(code, p) {
			t.Fatalf("Prefix(%q) = %q", code, p)
		}
		_, _ = Lookup(code)
	})
}
