// Package pii protects personal information (phones, ID numbers, e-mail
// addresses, contact lines) at rest and on screen. Stored values are sealed
// with AES-256-GCM under a key kept outside the database (a key file, like
// the audit key), so a copy of the database or a backup alone reads
// nothing. What the API lists, and what the audit log records, is the masked
// form; the full value goes only to roles granted pii:read, one record at a
// time, and each such view is audited by the capability that serves it.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/zhaoqing/attract/internal/platform/keyfile"
)

// prefix marks a sealed value; a stored value without it is plaintext
// written before encryption was configured (Open returns it unchanged, and
// the capabilities seal such rows on start).
const prefix = "enc1:"

var (
	mu   sync.RWMutex
	aead cipher.AEAD
)

// Configure reads the key file (creating it when create is set). An empty
// path leaves values in plaintext (tests and tools that never write).
func Configure(path string, create bool) error {
	if path == "" {
		return UseKey(nil)
	}
	k, err := keyfile.Load(path, "personal-data key", create)
	if err != nil {
		return err
	}
	return UseKey(k)
}

// UseKey sets the key directly (nil: no encryption).
func UseKey(k []byte) error {
	var a cipher.AEAD
	if k != nil {
		block, err := aes.NewCipher(k[:32])
		if err != nil {
			return err
		}
		if a, err = cipher.NewGCM(block); err != nil {
			return err
		}
	}
	mu.Lock()
	defer mu.Unlock()
	aead = a
	return nil
}

func current() cipher.AEAD {
	mu.RLock()
	defer mu.RUnlock()
	return aead
}

// Sealed reports whether a stored value is already encrypted.
func Sealed(stored string) bool { return strings.HasPrefix(stored, prefix) }

// Seal encrypts a value for storage ("" stays "", so NOT NULL DEFAULT ”
// columns and "has a phone" checks keep working). Text that merely looks
// sealed is sealed too: what a user typed never passes for ciphertext.
func Seal(plain string) string {
	a := current()
	if plain == "" || a == nil {
		return plain
	}
	nonce := make([]byte, a.NonceSize())
	_, _ = rand.Read(nonce)
	return prefix + base64.RawStdEncoding.EncodeToString(a.Seal(nonce, nonce, []byte(plain), nil))
}

// ErrNoKey is Open meeting a sealed value with no key, or the wrong one.
var ErrNoKey = errors.New("personal data: sealed with a key this server does not hold")

// Open decrypts a stored value; plaintext (unsealed) values come back as they are.
func Open(stored string) (string, error) {
	if !Sealed(stored) {
		return stored, nil
	}
	a := current()
	raw, err := base64.RawStdEncoding.DecodeString(stored[len(prefix):])
	if a == nil || err != nil || len(raw) < a.NonceSize() {
		return "", ErrNoKey
	}
	plain, err := a.Open(nil, raw[:a.NonceSize()], raw[a.NonceSize():], nil)
	if err != nil {
		return "", ErrNoKey
	}
	return string(plain), nil
}

var (
	emailRe  = regexp.MustCompile(`([^\s@:：,，;；]+)@([^\s@,，;；]+)`)
	digitsRe = regexp.MustCompile(`[0-9][0-9 \-]{5,}[0-9xX]`)
)

// Mask shows enough of a value to tell records apart and no more: runs of
// seven or more digits (phones, ID numbers) keep their first three and last
// four digits, e-mail addresses their first letter and domain; any other
// non-empty text keeps its first character only.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	out := emailRe.ReplaceAllStringFunc(s, func(m string) string {
		local, domain, _ := strings.Cut(m, "@")
		r := []rune(local)
		return string(r[:1]) + "***@" + domain
	})
	found := out != s
	out = digitsRe.ReplaceAllStringFunc(out, func(m string) string {
		d := []rune(strings.NewReplacer(" ", "", "-", "").Replace(m))
		if len(d) < 7 {
			return m
		}
		found = true
		return string(d[:3]) + strings.Repeat("*", len(d)-7) + string(d[len(d)-4:])
	})
	if found {
		return out
	}
	r := []rune(s)
	return string(r[:1]) + "***"
}

// Masked opens a stored value and masks it; a value this server cannot
// open shows as "***" rather than failing the whole list.
func Masked(stored string) string {
	plain, err := Open(stored)
	if err != nil {
		return "***"
	}
	return Mask(plain)
}

// Keep resolves an edit: a form shows the masked value, so a submitted value
// equal to the mask of the current one means "unchanged", not "store the
// asterisks".
func Keep(submitted, currentStored string) string {
	plain, err := Open(currentStored)
	if err == nil && submitted == Mask(plain) && submitted != "" {
		return plain
	}
	return submitted
}
