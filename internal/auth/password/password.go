// Package password hashes and checks passwords with argon2id and states the
// password policy. It is a leaf so that org (which stores users) and auth
// (which signs them in) can both use it.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Parameters per OWASP's argon2id recommendation (m=19 MiB, t=2, p=1).
const (
	memory  = 19 * 1024
	time_   = 2
	threads = 1
	keyLen  = 32
	saltLen = 16
)

// Hash returns an encoded argon2id hash ($argon2id$v=19$m=…,t=…,p=…$salt$key).
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, time_, memory, threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memory, time_, threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches an encoded hash, in constant time.
func Verify(pw, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	// A stored hash is outside input too (a restored or tampered row): refuse
	// parameters argon2 would panic on or that would exhaust the server. The
	// work m×t is capped at four times ours: m=170000,t=9 took over 10 s
	// per sign-in under load (found by FuzzVerify).
	if t < 1 || t > 10 || p < 1 || p > 16 || m < 8*uint32(p) || m > 64*1024 || uint64(m)*uint64(t) > 4*memory*time_ {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) < 16 || len(key) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummy is checked against when the user does not exist, so that an unknown
// username costs as much time as a wrong password.
var dummy, _ = Hash("attract-dummy-password")

// VerifyDummy spends the time of one Verify.
func VerifyDummy(pw string) { Verify(pw, dummy) }

// Check enforces the policy (GB/T 22239 level 3 asks for complexity): 8–64
// characters, at least three of the four classes (lower case, upper case,
// digits, symbols), and none of the passwords every guessing list starts with.
func Check(field, pw string) error {
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	n := len([]rune(pw))
	if n < 8 || n > 64 || classes < 3 {
		return errs.E(errs.Invalid, "密码须为 8–64 位，且包含大写字母、小写字母、数字、符号中的至少三类", "passwords are 8–64 characters from at least three of: upper case, lower case, digits, symbols").
			Field(field, "8–64 位，至少三类字符", "8–64 characters, at least three classes")
	}
	if Common(pw) {
		return errs.E(errs.Invalid, "该密码过于常见，容易被猜中，请换一个", "this password is too common and easily guessed; choose another").
			Field(field, "过于常见", "too common")
	}
	return nil
}

// Random returns a random password that meets the policy.
func Random() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "A" + base64.RawURLEncoding.EncodeToString(b) + "9"
}
