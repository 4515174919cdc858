package enterprise

import (
	"bytes"
	"strings"
	"testing"
)

// A CSV that can say its size is expected to hold 10,000 rows a MB; an
// XLSX, or a file of a few bytes, gives no estimate; the reader is left
// where it was.
func TestRowsHint(t *testing.T) {
	r := bytes.NewReader(make([]byte, 3<<20))
	r.Seek(100, 0)
	if got := rowsHint(r, "E.CSV"); got != (3<<20-100)*rowsPerMB>>20 {
		t.Fatalf("CSV of 3 MB: %d rows", got)
	}
	if at, _ := r.Seek(0, 1); at != 100 {
		t.Fatalf("reader left at %d, want 100", at)
	}
	if got := rowsHint(bytes.NewReader(make([]byte, 1<<20)), "e.xlsx"); got != 0 {
		t.Fatalf("XLSX: %d", got)
	}
	if got := rowsHint(strings.NewReader("a,b"), "e.csv"); got != 0 {
		t.Fatalf("strings.Reader: %d", got)
	}
}
