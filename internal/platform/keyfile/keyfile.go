// Package keyfile reads the secret keys attract keeps outside its database
// (the audit chain's HMAC key, the personal-data encryption key): a file of
// hex, created with random bytes and mode 0400 on first start, so that a
// copy of the database alone is not enough to forge or to read.
package keyfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Size is the length of a created key: 32 bytes (HMAC-SHA256, AES-256).
const Size = 32

// Load reads the key at path (what names it in errors). When the file is
// missing and create is set, it writes a new random key there first.
func Load(path, what string, create bool) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		k := make([]byte, Size)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(k)+"\n"), 0o400); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) < Size {
		return nil, fmt.Errorf("%s %s: want at least %d bytes, hex-encoded", what, path, Size)
	}
	return k, nil
}
