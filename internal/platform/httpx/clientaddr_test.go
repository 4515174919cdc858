package httpx

import (
	"net/http/httptest"
	"testing"
)

// The client is the rightmost X-Forwarded-For entry that is not a trusted
// proxy; what the client itself put on the left is never believed.
func TestClientAddrRightmostUntrusted(t *testing.T) {
	trusted := []string{"10.0.0.1", "10.0.0.2"}
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},                       // not from a proxy: the header is ignored
		{"10.0.0.1:5000", "6.6.6.6, 198.51.100.7", "198.51.100.7"},           // forged left entry
		{"10.0.0.1:5000", "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"}, // two proxies
		{"10.0.0.1:5000", "", "10.0.0.1"},
		{"10.0.0.1:5000", "not-an-ip", "10.0.0.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := ClientAddr(r, trusted); got != tc.want {
			t.Errorf("%s via %q: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}
