package uscc

import "testing"

func TestValid(t *testing.T) {
	// Published codes: BYD Co. and Contemporary Amperex Technology.
	for _, s := range []string{"91440300192317458F", "91350900587527783P"} {
		if !Valid(s) {
			t.Errorf("%s should be valid", s)
		}
	}
	for _, s := range []string{"91440300192317458E", "9144030019231745", "91440300192317458I", ""} {
		if Valid(s) {
			t.Errorf("%q should be invalid", s)
		}
	}
}

func FuzzValid(f *testing.F) {
	f.Add("91440300192317458F")
	f.Fuzz(func(t *testing.T, s string) {
		if Valid(s) && CheckChar(s[:17]) != s[17] {
			t.Fatal(s)
		}
	})
}
