// Command attract is the investment-promotion management system: the server,
// its command-line tools and the web UI in one binary. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zhaoqing/attract/internal/app"
	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/web"
)

const usage = `attract — 招商引资全流程管理平台 (investment promotion management)

usage:
  attract serve   [--addr ADDR] [--db DSN] [--demo] [--migrate]
                                                     run the server (--demo: load demo data on first start;
                                                     --migrate: migrate an older schema, else refuse to start)
  attract migrate [--db DSN]                         bring the schema up to date
  attract demo    [--db DSN] [--force]               load the demo data set
  attract audit verify [--db DSN]                    recompute the audit hash chain
  attract audit purge YYYY-MM-DD [--db OWNER-DSN]    remove audit rows older than the date (at least 184 days ago)
  attract user reset-password USERNAME [--db DSN]    set a new password (read from ATTRACT_NEW_PASSWORD)
  attract import KIND FILE [--db DSN]                import a CSV/XLSX file
  attract bench [--scale small] [--json FILE]        performance benchmark
  attract backup FILE [--db DSN]                     consistent online backup (servers may keep running)
  attract restore FILE [--db DSN]                    restore into an empty database, checked before done
  attract check [--db DSN]                           full integrity check of the database
  attract version                                    release, commit, platform, whether the UI is embedded
  attract openapi                                    print the OpenAPI document (docs/openapi.json)

Every command takes --db (env ATTRACT_DB, default sqlite:./data/attract.db).
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "attract:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, args []string) error {
	switch cmd {
	case "serve":
		return serve(ctx, args)
	case "migrate":
		return migrate(ctx, args)
	case "demo":
		return loadDemo(ctx, args)
	case "audit":
		return auditCmd(ctx, args)
	case "user":
		return userCmd(ctx, args)
	case "import":
		return importCmd(ctx, args)
	case "bench":
		return benchCmd(ctx, args)
	case "backup":
		return backupCmd(ctx, args)
	case "restore":
		return restoreCmd(ctx, args)
	case "check":
		return checkCmd(ctx, args)
	case "openapi":
		// The API's OpenAPI document, as committed in docs/openapi.json:
		// go run ./cmd/attract openapi > docs/openapi.json
		b, err := (&web.Server{}).OpenAPIJSON()
		if err == nil {
			_, err = os.Stdout.Write(b)
		}
		return err
	case "version", "--version":
		fmt.Print(versionText())
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// parse reads the common flags plus extra ones a command adds.
func parse(name string, args []string, extra func(fs *flag.FlagSet)) (app.Config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	finish := app.Flags(fs)
	if extra != nil {
		extra(fs)
	}
	// Allow flags after positional arguments ("import enterprises f.csv --db …").
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return app.Config{}, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	cfg, err := finish()
	return cfg, pos, err
}

func serve(ctx context.Context, args []string) error {
	var withDemo, migrate bool
	cfg, _, err := parse("serve", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&withDemo, "demo", os.Getenv("ATTRACT_DEMO") == "1", "load the demo data set when the database has no user yet (env ATTRACT_DEMO=1)")
		fs.BoolVar(&migrate, "migrate", os.Getenv("ATTRACT_MIGRATE") == "1", "migrate a database whose schema is older than this release at start; without it the server refuses to start on one (env ATTRACT_MIGRATE=1)")
	})
	if err != nil {
		return err
	}
	slog.SetDefault(cfg.Logger())
	a, err := app.Open(ctx, cfg, app.Options{Demo: withDemo, KeepSchema: !migrate})
	if err != nil {
		return err
	}
	defer a.Close()
	// Load the project mirror and the enterprise index now rather than on
	// the first request; /readyz says 503 until the mirror is loaded, and
	// searches are answered from SQL until the index is built.
	go func() {
		if err := a.Warm(ctx); err != nil {
			slog.Error("warm up", "err", err)
		}
	}()
	// Outgoing webhooks: due deliveries every 2 s, new warnings every 10 min.
	go a.Webhook.Run(ctx, 2*time.Second, 10*time.Minute)
	if a.Backups != nil {
		go a.Backups.Run(ctx)
		slog.Info("scheduled backups", "dir", cfg.BackupDir, "every", cfg.BackupEvery.String(), "keep", cfg.BackupKeep)
	}
	srv := &http.Server{Addr: cfg.Addr, Handler: a.Server().Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("attract is serving", "url", "http://"+cfg.Addr+"/", "db", db.Redact(cfg.DB))
	fmt.Printf("\n  attract 招商引资全流程管理平台: http://%s/\n  sign in as admin (password: ATTRACT_ADMIN_PASSWORD, or the one logged above on first start)", cfg.Addr)
	if withDemo {
		fmt.Printf("\n  demo users (sysadmin, secadmin, auditadmin, zsb_staff, wg_nev, dz_staff, gy_staff, leader, dept_staff …): password ATTRACT_DEMO_PASSWORD (default %s)", app.DefaultDemoPassword)
	}
	fmt.Print("\n\n")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

func migrate(ctx context.Context, args []string) error {
	cfg, _, err := parse("migrate", args, nil)
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Println("schema is up to date:", db.Redact(cfg.DB))
	return nil
}

func loadDemo(ctx context.Context, args []string) error {
	var force bool
	cfg, _, err := parse("demo", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "load even when the database already holds data")
	})
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, app.Options{Demo: true})
	if err != nil {
		return err
	}
	defer a.Close()
	if a.DemoLoaded {
		fmt.Println("demo data loaded into", db.Redact(cfg.DB))
		return nil
	}
	held, err := demo.HoldsData(ctx, a.Org)
	if err != nil {
		return err
	}
	if held && !force {
		return errors.New("the database already holds data; use --force to add the demo data set anyway")
	}
	if err := demo.Load(ctx, a.Org, a.Project, a.Assess, a.Evaluation, a.Enterprise, cfg.DemoPassword); err != nil {
		return err
	}
	if err := a.LoadCampaignDemo(ctx); err != nil {
		return err
	}
	fmt.Println("demo data loaded into", db.Redact(cfg.DB))
	return nil
}

func auditCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "purge" {
		return auditPurgeCmd(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: attract audit verify [--db DSN] | attract audit purge YYYY-MM-DD [--db DSN of the table's owner]")
	}
	d, _, _, err := openDB(ctx, "audit verify", args[1:])
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := audit.Verify(ctx, d.Reader())
	if err != nil {
		return err
	}
	fmt.Println(res.Message)
	if !res.OK {
		return errors.New("audit chain broken: " + res.Message)
	}
	return audit.WriteCheckpoint(ctx, d.Reader())
}

func userCmd(ctx context.Context, args []string) error {
	if len(args) < 2 || args[0] != "reset-password" {
		return errors.New("usage: ATTRACT_NEW_PASSWORD=… attract user reset-password USERNAME [--db DSN]")
	}
	cfg, pos, err := parse("user reset-password", args[1:], nil)
	if err != nil {
		return err
	}
	pw := os.Getenv("ATTRACT_NEW_PASSWORD")
	if len(pos) != 1 || pw == "" {
		return errors.New("usage: ATTRACT_NEW_PASSWORD=… attract user reset-password USERNAME [--db DSN]")
	}
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Org.OperatorResetPassword(ctx, pos[0], pw); err != nil {
		return err
	}
	fmt.Printf("password of %s reset; they must change it at next sign-in\n", pos[0])
	return nil
}

func importCmd(ctx context.Context, args []string) error {
	var mode, as string
	var dry bool
	cfg, pos, err := parse("import", args, func(fs *flag.FlagSet) {
		fs.StringVar(&mode, "mode", "all_or_nothing", "all_or_nothing or valid_only")
		fs.StringVar(&as, "as", "admin", "the user the import acts as (its unit registers the projects)")
		fs.BoolVar(&dry, "dry-run", false, "check and preview only; write nothing")
	})
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errors.New("usage: attract import KIND FILE [--mode all_or_nothing|valid_only] [--as USERNAME] [--dry-run] [--db DSN]")
	}
	if pos[0] != "projects" && pos[0] != "enterprises" {
		return fmt.Errorf("unknown import kind %q: available: projects, enterprises", pos[0])
	}
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if pos[0] == "enterprises" {
		return importEnterprises(ctx, a, pos[1], as, dry)
	}
	return importProjects(ctx, a, pos[1], as, project.ImportMode(mode), dry)
}

// importEnterprises upserts on the credit code; bad rows are reported and
// left out, the good ones land (the rules of the UI's import).
func importEnterprises(ctx context.Context, a *app.App, file, as string, dry bool) error {
	actor, err := a.ActorByName(ctx, as)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := a.Enterprise.Import(ctx, actor, f, file, dry, func(phase string, done, total int) {
		fmt.Fprintf(os.Stderr, "\r%s %d/%d   ", phase, done, total)
	})
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("%d rows, %d valid, %d new, %d updated, %d with errors (%.1fs, %.0f rows/s)\n", res.Total, res.Valid, res.Inserted, res.Updated,
		res.Failed, res.Seconds, float64(res.Total)/res.Seconds)
	if len(res.Errors) == 0 {
		return nil
	}
	report := file + ".errors.csv"
	errs := make([]project.RowError, len(res.Errors))
	for i, e := range res.Errors {
		errs[i] = project.RowError(e)
	}
	if err := project.WriteErrorsCSV(report, errs); err != nil {
		return err
	}
	fmt.Println("row errors written to", report)
	if res.Valid == 0 && !dry {
		return errors.New("nothing was imported")
	}
	return nil
}

func importProjects(ctx context.Context, a *app.App, file, as string, mode project.ImportMode, dry bool) error {
	actor, err := a.ActorByName(ctx, as)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	res, err := a.Project.ImportLedger(ctx, actor, f, file, mode, dry)
	if err != nil {
		return err
	}
	fmt.Printf("%d rows, %d valid, %d imported, %d errors (%s, %.1fs)\n", res.Rows, res.Valid, res.Imported, len(res.Errors), mode, time.Since(start).Seconds())
	if len(res.Errors) == 0 {
		return nil
	}
	report := file + ".errors.csv"
	if err := project.WriteErrorsCSV(report, res.Errors); err != nil {
		return err
	}
	fmt.Println("row errors written to", report)
	if res.Imported == 0 && !dry {
		return errors.New("nothing was imported")
	}
	return nil
}
