package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

type benchResult struct {
	Name      string         `json:"name"`
	Unit      string         `json:"unit"`
	Value     float64        `json:"value"`
	Goal      *float64       `json:"goal"`
	Reference map[string]any `json:"reference,omitempty"`
}

// benchCmd measures the foundation's hot paths on a scratch database. Later
// issues add their figures (search, statistics) with goals.
func benchCmd(ctx context.Context, args []string) error {
	var scale, jsonOut string
	cfg, _, err := parse("bench", args, func(fs *flag.FlagSet) {
		fs.StringVar(&scale, "scale", "small", "small or full")
		fs.StringVar(&jsonOut, "json", "", "write results as JSON to this file")
	})
	if err != nil {
		return err
	}
	if os.Getenv("ATTRACT_DB") == "" && !flagGiven(args, "db") {
		dir, err := os.MkdirTemp("", "attract-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.DB = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	cfg.AdminPassword = "Bench-admin-2026"
	a, err := app.Open(ctx, cfg, app.Options{Demo: true})
	if err != nil {
		return err
	}
	defer a.Close()
	n := 2000
	if scale == "full" {
		n = 20000
	}
	all := &org.Actor{Scope: org.ScopeAll}
	results := []benchResult{
		timeIt("user list page (scope all, 20 rows)", n, func() error {
			_, _, err := a.Org.Users(ctx, all, org.UserFilter{Page: httpx.Page{Page: 1, Size: 20}})
			return err
		}),
		timeIt("sign-in (argon2id + session + audit)", max(20, n/100), func() error {
			_, err := a.Auth.Login(ctx, auth.Credentials{Username: "admin", Password: cfg.AdminPassword}, auth.Client{Addr: "bench"})
			return err
		}),
	}
	for _, r := range results {
		fmt.Printf("%-45s %10.3f %s\n", r.Name, r.Value, r.Unit)
	}
	if jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"results": results}, "", "  ")
		return os.WriteFile(jsonOut, b, 0o644)
	}
	return nil
}

func timeIt(name string, n int, fn func() error) benchResult {
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := fn(); err != nil {
			return benchResult{Name: name + " (failed: " + err.Error() + ")", Unit: "ms/op"}
		}
	}
	return benchResult{Name: name, Unit: "ms/op", Value: float64(time.Since(start).Microseconds()) / 1000 / float64(n)}
}

func flagGiven(args []string, name string) bool {
	for _, a := range args {
		if a == "--"+name || a == "-"+name || len(a) > len(name)+2 && (a[:len(name)+3] == "--"+name+"=") {
			return true
		}
	}
	return false
}
