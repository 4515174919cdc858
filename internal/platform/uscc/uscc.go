// Package uscc checks unified social credit codes (统一社会信用代码, GB 32100-2015):
// 18 characters from a 31-letter alphabet, the last one a check character.
package uscc

const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var weights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// value maps a byte to its place in the alphabet, or -1. A table rather than
// a regular expression: an import checks a million codes.
var value [256]int8

func init() {
	for i := range value {
		value[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		value[alphabet[i]] = int8(i)
	}
}

// CheckChar computes the check character of the first 17 characters, which
// must be from the alphabet.
func CheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(value[first17[i]]) * weights[i]
	}
	return alphabet[(31-sum%31)%31]
}

// Valid reports whether s is a well-formed code with the right check
// character: two characters of the alphabet (registering authority and kind),
// six digits (the division code), nine characters of the alphabet (the
// organisation code) and the check character.
func Valid(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		v := value[s[i]]
		if v < 0 || (i >= 2 && i < 8 && v > 9) {
			return false
		}
	}
	return CheckChar(s[:17]) == s[17]
}
