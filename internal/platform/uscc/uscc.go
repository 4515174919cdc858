// Package uscc checks unified social credit codes (统一社会信用代码, GB 32100-2015):
// 18 characters from a 31-letter alphabet, the last one a check character.
package uscc

import (
	"regexp"
	"strings"
)

const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var weights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

var form = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$`)

// CheckChar computes the check character of the first 17 characters.
func CheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(alphabet, first17[i]) * weights[i]
	}
	return alphabet[(31-sum%31)%31]
}

// Valid reports whether s is a well-formed code with the right check character.
func Valid(s string) bool {
	return form.MatchString(s) && CheckChar(s[:17]) == s[17]
}
