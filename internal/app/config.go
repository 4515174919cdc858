// Package app wires attract together: it reads attract's settings from flags and ATTRACT_* variables
// (flags win). Defaults are what a city runs on one machine.
package app

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
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
	// The audit chain's key and checkpoint files, outside the database
	// (defaults: next to the SQLite file, or in ./data), and how often the
	// server anchors the chain's head (0: only on verify).
	AuditKeyFile, AuditCheckpoint string
	AuditCheckpointEvery          time.Duration
	// PIIKeyFile is the key personal data is sealed with (AES-256-GCM),
	// outside the database like the audit key (default pii.key beside it).
	PIIKeyFile string

	// SQLiteSynchronous is NORMAL (default) or FULL; see docs/operations.md.
	SQLiteSynchronous string
	// MinFreeBytes is the free disk a SQLite database's folder keeps before
	// /readyz says not ready (ATTRACT_MIN_FREE_MB, default 256).
	MinFreeBytes uint64
	// LogLevel is debug, info (default), warn or error (ATTRACT_LOG_LEVEL);
	// LogFormat json (default) or text (ATTRACT_LOG_FORMAT).
	LogLevel, LogFormat string
	// Scheduled backups: into BackupDir every BackupEvery, the newest
	// BackupKeep kept (ATTRACT_BACKUP_DIR, _EVERY, _KEEP); off without a dir.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
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
		dir := "./data"
		if p, ok := strings.CutPrefix(c.DB, "sqlite:"); ok {
			dir = filepath.Dir(p)
		}
		c.AuditKeyFile = env("ATTRACT_AUDIT_KEY_FILE", filepath.Join(dir, "audit.key"))
		c.AuditCheckpoint = env("ATTRACT_AUDIT_CHECKPOINT", filepath.Join(dir, "audit.checkpoint"))
		c.AuditCheckpointEvery = time.Minute
		c.PIIKeyFile = env("ATTRACT_PII_KEY_FILE", filepath.Join(dir, "pii.key"))
		c.DemoPassword = env("ATTRACT_DEMO_PASSWORD", DefaultDemoPassword)
		c.Auth.SecureCookie = *secure
		switch v := os.Getenv("ATTRACT_ADMIN_TOTP"); v {
		case "", "required":
		case "optional":
			c.Auth.AdminTOTPOptional = true
			slog.Warn("ATTRACT_ADMIN_TOTP=optional: administrators sign in without a second factor (test and demonstration servers only)")
		default:
			return c, fmt.Errorf("ATTRACT_ADMIN_TOTP must be required (default) or optional, got %q", v)
		}
		if p := os.Getenv("ATTRACT_TRUSTED_PROXIES"); p != "" {
			c.TrustedProxies = strings.Split(p, ",")
		}
		var err error
		if c.Auth.MaxFailures, err = envInt("ATTRACT_LOCKOUT_FAILURES", c.Auth.MaxFailures); err != nil {
			return c, err
		}
		if err := c.operations(); err != nil {
			return c, err
		}
		if c.Auth.SSO, err = ssoConfig(); err != nil {
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

// ssoConfig reads single sign-on (off without ATTRACT_SSO_ISSUER): the
// client secret from a file, like the other keys, never from a variable.
func ssoConfig() (auth.SSOConfig, error) {
	c := auth.SSOConfig{Issuer: os.Getenv("ATTRACT_SSO_ISSUER"), ClientID: os.Getenv("ATTRACT_SSO_CLIENT_ID"),
		RedirectURL: os.Getenv("ATTRACT_SSO_REDIRECT_URL"), UsernameClaim: env("ATTRACT_SSO_USERNAME_CLAIM", "preferred_username"),
		BindByUsername: os.Getenv("ATTRACT_SSO_BIND_BY_USERNAME") == "1", Label: os.Getenv("ATTRACT_SSO_LABEL")}
	if c.Issuer == "" {
		return auth.SSOConfig{}, nil
	}
	for _, u := range []struct{ name, v string }{{"ATTRACT_SSO_ISSUER", c.Issuer}, {"ATTRACT_SSO_REDIRECT_URL", c.RedirectURL}} {
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return c, fmt.Errorf("%s must be an http(s) URL, got %q", u.name, u.v)
		}
	}
	file := os.Getenv("ATTRACT_SSO_CLIENT_SECRET_FILE")
	if c.ClientID == "" || file == "" {
		return c, fmt.Errorf("single sign-on (ATTRACT_SSO_ISSUER) needs ATTRACT_SSO_CLIENT_ID and ATTRACT_SSO_CLIENT_SECRET_FILE")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return c, fmt.Errorf("ATTRACT_SSO_CLIENT_SECRET_FILE: %w", err)
	}
	if c.ClientSecret = strings.TrimSpace(string(b)); c.ClientSecret == "" {
		return c, fmt.Errorf("ATTRACT_SSO_CLIENT_SECRET_FILE %s is empty", file)
	}
	return c, nil
}

// operations reads the settings of logs, readiness and scheduled backups.
func (c *Config) operations() error {
	c.LogLevel, c.LogFormat = env("ATTRACT_LOG_LEVEL", "info"), env("ATTRACT_LOG_FORMAT", "json")
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("ATTRACT_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return fmt.Errorf("ATTRACT_LOG_FORMAT must be json or text, got %q", c.LogFormat)
	}
	free, err := envInt("ATTRACT_MIN_FREE_MB", 256)
	if err != nil {
		return err
	}
	c.MinFreeBytes = uint64(free) << 20
	c.BackupDir = os.Getenv("ATTRACT_BACKUP_DIR")
	c.BackupEvery = 24 * time.Hour
	if err := envDuration("ATTRACT_BACKUP_EVERY", &c.BackupEvery); err != nil {
		return err
	}
	c.BackupKeep, err = envInt("ATTRACT_BACKUP_KEEP", 14)
	return err
}

// Logger is the process's logger for these settings.
func (c Config) Logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}
