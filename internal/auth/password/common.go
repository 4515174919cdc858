package password

import (
	_ "embed"
	"strings"
)

// common.txt: the passwords guessing lists start with (the international
// top lists and the Chinese ones: pinyin, 520/1314, keyboard walks), one a
// line, compared without regard to case.
//
//go:embed common.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// Common reports whether pw is on the list.
func Common(pw string) bool { return common[strings.ToLower(pw)] }
