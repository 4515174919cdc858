package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"sort"
	"strings"

	"github.com/zhaoqing/attract/internal/bench"
)

// benchCmd runs the performance benchmark (internal/bench) and prints its
// table; --json also writes the figures to a file.
func benchCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	scale := fs.String("scale", "small", "small (10,000 projects, under a minute) or full (100,000 projects, 1,000,000 tracking records)")
	jsonOut := fs.String("json", "", "also write the results as JSON to this file")
	pg := fs.String("pg", os.Getenv("ATTRACT_BENCH_POSTGRES"), "PostgreSQL server to measure on too, in a scratch schema (env ATTRACT_BENCH_POSTGRES)")
	keep := fs.Bool("keep", false, "keep the scratch databases afterwards (to EXPLAIN queries by hand)")
	only := fs.String("only", "", "sqlite or postgres: measure on that database only")
	part := fs.String("part", "", "projects, ledger or enterprises: take those figures only (ledger: the projects' data, then the ledger imports alone)")
	enterprises := fs.Int("enterprises", 0, "rows of the enterprise import (0: the scale's; 1000000 is the issue's figure)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The servers under measurement log warnings only, unless
	// ATTRACT_LOG_LEVEL says otherwise: a line per request would drown the
	// table and be written inside the timed requests.
	if os.Getenv("ATTRACT_LOG_LEVEL") == "" {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	}
	sc, ok := bench.Scales[*scale]
	if !ok {
		names := make([]string, 0, len(bench.Scales))
		for n := range bench.Scales {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("unknown scale %q (one of %s)", *scale, strings.Join(names, ", "))
	}
	if *enterprises > 0 {
		sc.Enterprises = *enterprises
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := bench.Run(ctx, bench.Options{Scale: sc, Postgres: *pg, Keep: *keep, Only: *only, Part: *part, Log: os.Stderr})
	if rep != nil {
		rep.Print(os.Stdout)
		if *jsonOut != "" {
			if werr := rep.WriteJSON(*jsonOut); werr != nil && err == nil {
				err = werr
			}
		}
	}
	return err
}
