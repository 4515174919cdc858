// Package app wires attract together: it reads attract's settings from flags and ATTRACT_* variables
// (flags win). Defaults are what a city runs on one machine.
package app

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/auth"
)

// Config is everything a command may need.
type Config struct {
	Addr           string
	DB             string
	AdminPassword  string
	DemoPassword   string
	TrustedProxies []string
	Auth           auth.Config

	// SQLiteSynchronous is NORMAL (default) or FULL; see docs/operations.md.
	SQLiteSynchronous string
}

// DefaultDemoPassword is documented in the README.
const DefaultDemoPassword = "Attract@2026"

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Flags registers the common flags on fs and returns a function that
// finishes reading the config after fs.Parse.
func Flags(fs *flag.FlagSet) func() (Config, error) {
	c := Config{Auth: auth.Defaults()}
	fs.StringVar(&c.DB, "db", env("ATTRACT_DB", "sqlite:./data/attract.db"), "database: sqlite:PATH or postgres://… (env ATTRACT_DB)")
	fs.StringVar(&c.Addr, "addr", env("ATTRACT_ADDR", "127.0.0.1:8080"), "listen address (env ATTRACT_ADDR)")
	fs.StringVar(&c.SQLiteSynchronous, "sqlite-synchronous", env("ATTRACT_SQLITE_SYNCHRONOUS", "NORMAL"),
		"SQLite: NORMAL (a power cut may drop the last commits) or FULL (every commit waits for the disk) (env ATTRACT_SQLITE_SYNCHRONOUS)")
	secure := fs.Bool("secure-cookie", os.Getenv("ATTRACT_SECURE_COOKIE") == "1", "mark the session cookie Secure (served over TLS; env ATTRACT_SECURE_COOKIE=1)")
	return func() (Config, error) {
		c.AdminPassword = os.Getenv("ATTRACT_ADMIN_PASSWORD")
		c.DemoPassword = env("ATTRACT_DEMO_PASSWORD", DefaultDemoPassword)
		c.Auth.SecureCookie = *secure
		if p := os.Getenv("ATTRACT_TRUSTED_PROXIES"); p != "" {
			c.TrustedProxies = strings.Split(p, ",")
		}
		var err error
		if c.Auth.MaxFailures, err = envInt("ATTRACT_LOCKOUT_FAILURES", c.Auth.MaxFailures); err != nil {
			return c, err
		}
		for _, d := range []struct {
			name string
			dst  *time.Duration
		}{
			{"ATTRACT_LOCKOUT_WINDOW", &c.Auth.FailureWindow},
			{"ATTRACT_LOCKOUT_DURATION", &c.Auth.LockFor},
			{"ATTRACT_SESSION_IDLE", &c.Auth.IdleTimeout},
			{"ATTRACT_SESSION_MAX", &c.Auth.AbsoluteTimeout},
		} {
			if err := envDuration(d.name, d.dst); err != nil {
				return c, err
			}
		}
		return c, nil
	}
}

func envInt(name string, def int) (int, error) {
	s := os.Getenv(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s must be a positive integer, got %q", name, s)
	}
	return n, nil
}

func envDuration(name string, dst *time.Duration) error {
	s := os.Getenv(name)
	if s == "" {
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("%s must be a duration such as 15m or 12h, got %q", name, s)
	}
	*dst = d
	return nil
}
