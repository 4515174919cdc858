package tabular

import (
	"bytes"
	"testing"
)

// Text that would start a formula gets an apostrophe; numbers, plain
// numeric text and ordinary text are written as they are.
func TestCSVWriterNeutralisesFormulas(t *testing.T) {
	var b bytes.Buffer
	cw, err := NewCSVWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	row := []any{`=HYPERLINK("http://x","y")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", -5, int64(-7), -5.25, "-5", "+86", "项目", "a=b", nil}
	if err := cw.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\xef\xbb\xbf" + `"'=HYPERLINK(""http://x"",""y"")",'+1+1,'-2+3,'@SUM(A1),'` + "\t=1,\"'\r=1\"" + `,-5,-7,-5.25,-5,+86,项目,a=b,` + "\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
