package uscc

import (
	"regexp"
	"testing"
)

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

// The table check must agree with the form the standard writes as a pattern.
func FuzzValidAgreesWithPattern(f *testing.F) {
	pattern := regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
	f.Add("91440300192317458F")
	f.Add("9144030019231745 F")
	f.Fuzz(func(t *testing.T, s string) {
		want := pattern.MatchString(s) && CheckChar(s[:17]) == s[17]
		if Valid(s) != want {
			t.Fatalf("Valid(%q) = %v, want %v", s, !want, want)
		}
	})
}
