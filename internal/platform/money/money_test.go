package money

import (
	"encoding/json"
	"testing"
)

func TestParse(t *testing.T) {
	ok := map[string]Cents{"0": 0, "1": 100, "1.5": 150, "1.05": 105, "-2.25": -225, "1460000": 146000000, "0.01": 1}
	for s, want := range ok {
		got, err := Parse(s)
		if err != nil || got != want {
			t.Errorf("%q: %d %v", s, got, err)
		}
	}
	for _, s := range []string{"", "1.234", "1.", ".5", "1e5", "abc", "1,000", "99999999999999"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestJSON(t *testing.T) {
	var v struct{ A, B Cents }
	if err := json.Unmarshal([]byte(`{"A": 12345.67, "B": "0.1"}`), &v); err != nil || v.A != 1234567 || v.B != 10 {
		t.Fatalf("%+v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"A": 0.123}`), &v); err == nil {
		t.Fatal("three decimals accepted")
	}
	b, _ := json.Marshal(struct{ A Cents }{-5})
	if string(b) != `{"A":-0.05}` {
		t.Fatal(string(b))
	}
}

// FuzzParse: whatever parses prints back to a value that parses the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1", "0.5", "-3.25", "1e3", "..", "9999999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		c2, err := Parse(c.String())
		if err != nil || c2 != c {
			t.Fatalf("%q → %s → %d %v", s, c, c2, err)
		}
	})
}
