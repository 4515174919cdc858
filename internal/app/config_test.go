package app

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readConfig(t *testing.T) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	finish := Flags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	return finish()
}

// Single sign-on is off without an issuer; with one, the client id and a
// readable, non-empty secret file are required, and the secret is read
// from the file.
func TestSSOConfig(t *testing.T) {
	c, err := readConfig(t)
	if err != nil || c.Auth.SSO.Enabled() {
		t.Fatalf("no issuer: enabled %v, err %v", c.Auth.SSO.Enabled(), err)
	}
	secret := filepath.Join(t.TempDir(), "sso.secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ATTRACT_SSO_ISSUER", "https://ids.example/oidc")
	t.Setenv("ATTRACT_SSO_REDIRECT_URL", "https://attract.example/api/v1/auth/sso/callback")
	if _, err := readConfig(t); err == nil || !strings.Contains(err.Error(), "ATTRACT_SSO_CLIENT_ID") {
		t.Fatalf("without client id: %v", err)
	}
	t.Setenv("ATTRACT_SSO_CLIENT_ID", "attract")
	t.Setenv("ATTRACT_SSO_CLIENT_SECRET_FILE", secret+".missing")
	if _, err := readConfig(t); err == nil || !strings.Contains(err.Error(), "ATTRACT_SSO_CLIENT_SECRET_FILE") {
		t.Fatalf("missing secret file: %v", err)
	}
	t.Setenv("ATTRACT_SSO_CLIENT_SECRET_FILE", secret)
	c, err = readConfig(t)
	if err != nil || c.Auth.SSO.ClientSecret != "s3cret" || c.Auth.SSO.UsernameClaim != "preferred_username" || c.Auth.SSO.BindByUsername {
		t.Fatalf("configured: %+v %v", c.Auth.SSO, err)
	}
	t.Setenv("ATTRACT_SSO_ISSUER", "ids.example/oidc")
	if _, err := readConfig(t); err == nil || !strings.Contains(err.Error(), "ATTRACT_SSO_ISSUER") {
		t.Fatalf("issuer not a URL: %v", err)
	}
}
