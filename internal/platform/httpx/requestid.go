package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// RequestIDHeader carries a request's id both ways: a proxy's id is kept,
// otherwise the server makes one; every response and log line has it.
const RequestIDHeader = "X-Request-Id"

type requestIDKey struct{}

// WithRequestID gives r an id (the caller's, when it is a short token) and
// returns the request carrying it.
func WithRequestID(r *http.Request) (*http.Request, string) {
	id := r.Header.Get(RequestIDHeader)
	if !validID(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)), id
}

// RequestID is the id of the request ctx belongs to ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
