package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("Zhaoqing-2026")
	if err != nil {
		t.Fatal(err)
	}
	if !Verify("Zhaoqing-2026", h) || Verify("zhaoqing-2026", h) {
		t.Fatal("verify")
	}
	for pw, ok := range map[string]bool{"short1": false, "longenoughbutnodigits": false, "12345678": false,
		"abcd1234": false, "Abcd1357": true, "abcd-1234": true, "ABCD-EFGH": false, "P@ssw0rd": false, "Admin@123": false,
		"Attract@2026": true, "Demo-pass-2026": true, Random(): true} {
		if (Check("p", pw) == nil) != ok {
			t.Errorf("policy %q", pw)
		}
	}
}

// TestCostlyHashRefused: a stored hash asking for more work than four of
// ours, or of another version, is refused without being computed.
func TestCostlyHashRefused(t *testing.T) {
	h, _ := Hash("Zhaoqing-2026")
	parts := strings.Split(h, "$")
	for _, params := range []string{"m=170000,t=9,p=1", "m=65536,t=3,p=1", "m=19456,t=9,p=1"} {
		if Verify("Zhaoqing-2026", strings.Join([]string{"", parts[1], parts[2], params, parts[4], parts[5]}, "$")) {
			t.Errorf("%s accepted", params)
		}
	}
	if Verify("Zhaoqing-2026", strings.Replace(h, "$v=19$", "$v=16$", 1)) || Verify("Zhaoqing-2026", strings.Replace(h, "$v=19$", "$$", 1)) {
		t.Error("another version accepted")
	}
}

// FuzzVerify: a stored hash from outside (a tampered row) never panics.
func FuzzVerify(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$")
	f.Fuzz(func(t *testing.T, enc string) {
		if len(enc) > 200 {
			return
		}
		_ = Verify("pw", enc)
	})
}
