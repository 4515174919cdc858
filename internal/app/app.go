package app

import (
	"context"
	"fmt"
	"github.com/zhaoqing/attract/internal/assess"
	"github.com/zhaoqing/attract/internal/audit"
	"log/slog"
	"time"

	"github.com/zhaoqing/attract/internal/auth"
	"github.com/zhaoqing/attract/internal/backup"
	"github.com/zhaoqing/attract/internal/campaign"
	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/demo"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/evaluation"
	"github.com/zhaoqing/attract/internal/network"
	"github.com/zhaoqing/attract/internal/notice"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/pii"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/web"
	"github.com/zhaoqing/attract/internal/webhook"
)

// App is attract with its database open and services built.
type App struct {
	Cfg     Config
	DB      *db.DB
	Org     *org.Service
	Auth    *auth.Service
	Dict    *dictionary.Service
	Project *project.Service
	Assess  *assess.Service

	Evaluation *evaluation.Service
	Enterprise *enterprise.Service
	Chain      *chain.Service

	// Campaigns, notices and feedback, the promotion network.
	Campaign *campaign.Service
	Notice   *notice.Service
	Network  *network.Service
	// Outgoing webhooks (webhooks.go).
	Webhook *webhook.Service

	DemoLoaded bool // Open loaded the demo data set (Options.Demo on an empty database)

	stopCheckpoints func() // the audit head's periodic anchoring (Open)
	// Ready is what /readyz waits for besides the database.
	Ready *web.Readiness
	// Backups runs the scheduled backups (nil when none are set).
	Backups *backup.Schedule
}

// Options change what Open does on a new database.
type Options struct {
	// Demo loads the demo data set when the database has no user yet
	// (serve --demo, which `make run` uses).
	Demo bool
	// KeepSchema refuses to migrate a database that already has a schema
	// older than this binary's (serve without --migrate): an upgrade
	// migrates only when the operator says so, after a backup. A new,
	// empty database is always set up.
	KeepSchema bool
}

// Open connects, checks the database, migrates, and makes sure the built-in
// roles, dictionary defaults and (on an empty database) the admin account
// exist. On PostgreSQL the migrations and that first-start setup hold an
// advisory lock, so servers started together do them one after the other.
func Open(ctx context.Context, cfg Config, opt Options) (*App, error) {
	d, err := db.OpenWith(ctx, cfg.DB, db.Options{Synchronous: cfg.SQLiteSynchronous})
	if err != nil {
		return nil, err
	}
	if err := d.Check(ctx, db.Quick); err != nil {
		d.Close()
		return nil, fmt.Errorf("%s: %w", db.Redact(cfg.DB), err)
	}
	if err := audit.Configure(cfg.AuditKeyFile, cfg.AuditCheckpoint, true); err != nil {
		d.Close()
		return nil, err
	}
	if err := pii.Configure(cfg.PIIKeyFile, true); err != nil {
		d.Close()
		return nil, err
	}
	a := New(d, cfg)
	if cfg.BackupDir != "" {
		a.Backups = &backup.Schedule{DB: d, Dir: cfg.BackupDir, Every: cfg.BackupEvery, Keep: cfg.BackupKeep}
	}
	if err := d.WithLock(ctx, db.LockStartup, func() error { return a.setUp(ctx, opt) }); err != nil {
		d.Close()
		return nil, err
	}
	if cfg.AuditCheckpointEvery > 0 {
		a.stopCheckpoints = audit.StartCheckpoints(d, cfg.AuditCheckpointEvery)
	}
	return a, nil
}

// setUp migrates and sets up what a database starts with.
func (a *App) setUp(ctx context.Context, opt Options) error {
	d, cfg := a.DB, a.Cfg
	applied, known, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if applied > known {
		return fmt.Errorf("the database's schema version %d is newer than this attract's (%d): a newer attract migrated it; run that release (see docs/运维手册.md, 升级)", applied, known)
	}
	if opt.KeepSchema && applied > 0 && applied < known {
		return fmt.Errorf("the database's schema version is %d, this attract needs %d: back it up (attract backup FILE), then migrate with attract migrate or start once with serve --migrate (ATTRACT_MIGRATE=1)", applied, known)
	}
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	var users int
	if err := d.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&users); err != nil {
		return err
	}
	demoNow := opt.Demo && users == 0
	var since civil.Date
	if demoNow {
		since = demo.Since
	}
	pw, err := a.Org.Bootstrap(ctx, cfg.AdminPassword, since)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if err := a.SeedReference(ctx); err != nil {
		return err
	}
	if err := a.SealPersonalData(ctx); err != nil {
		return fmt.Errorf("personal data: %w", err)
	}
	if demoNow {
		if err := demo.Load(ctx, a.Org, a.Project, a.Assess, a.Evaluation, a.Enterprise, cfg.DemoPassword); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if err := a.LoadCampaignDemo(ctx); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		a.DemoLoaded = true
		slog.Info("loaded the demo data set; demo users sign in with ATTRACT_DEMO_PASSWORD (see README)")
	}
	if pw != "" && cfg.AdminPassword == "" {
		slog.Warn("created the first user: admin (system administrator) with a random password; change it after signing in", "username", "admin", "password", pw)
	} else if pw != "" {
		slog.Info("created the first user: admin (system administrator) with the password in ATTRACT_ADMIN_PASSWORD")
	}
	return nil
}

// SealPersonalData encrypts the personal data still stored in plaintext
// (a database from before the key, or rows an operator typed in by hand).
func (a *App) SealPersonalData(ctx context.Context) error {
	if err := a.Org.SealPersonalData(ctx); err != nil {
		return err
	}
	if err := a.Webhook.SealSecrets(ctx); err != nil {
		return err
	}
	return a.Network.SealPersonalData(ctx)
}

// New builds the services over an open, migrated database.
func New(d *db.DB, cfg Config) *App {
	o := org.NewService(d)
	ps := project.New(d)
	es := enterprise.New(d, ps)
	a := &App{Cfg: cfg, DB: d, Org: o, Auth: auth.New(d, o, cfg.Auth), Dict: dictionary.New(d), Project: ps, Assess: assess.New(d, ps),
		Evaluation: evaluation.New(d, ps), Enterprise: es, Chain: chain.New(d, es), Ready: web.NewReadiness(cfg.MinFreeBytes)}
	a.Campaign, a.Notice, a.Network = campaign.New(d, ps), notice.New(d), network.New(d)
	// A project signs only with an approved screening and starts
	// construction only with its energy review (screening's gates).
	ps.SigningGate, ps.ConstructionGate = a.Evaluation.SigningGate, a.Evaluation.ConstructionGate
	a.newWebhooks()
	// A duplicate override tells the other project's unit by notice.
	ps.Notify = func(ctx context.Context, tx *db.Tx, act *org.Actor, units []int64, title, body string) error {
		_, err := a.Notice.SendIn(ctx, tx, act, notice.Input{Title: title, Body: body, UnitIDs: units})
		return err
	}
	return a
}

// Server is the HTTP server over the app's services.
func (a *App) Server() *web.Server {
	srv := &web.Server{DB: a.DB, Org: a.Org, Auth: a.Auth, Dict: a.Dict, Project: a.Project, Assess: a.Assess, Evaluation: a.Evaluation,
		Enterprise: a.Enterprise, Chain: a.Chain, TrustedProxies: a.Cfg.TrustedProxies, Ready: a.Ready}
	if a.Backups != nil {
		srv.Backups = a.Backups
	}
	srv.Campaign, srv.Notice, srv.Network = a.Campaign, a.Notice, a.Network
	a.serveWebhooks(srv)
	return srv
}

// Warm loads the project mirror and the enterprise search index now rather
// than on the first request, and marks each ready for /readyz.
func (a *App) Warm(ctx context.Context) error {
	a.Enterprise.WarmLater() // searches go to SQL until the index is built
	start := time.Now()
	if err := a.Project.Mirror().Warm(ctx); err != nil {
		return fmt.Errorf("project mirror: %w", err)
	}
	a.Ready.MirrorLoaded()
	slog.Info("project mirror ready", "seconds", time.Since(start).Seconds())
	start = time.Now()
	if err := a.Enterprise.Warm(ctx); err != nil {
		return fmt.Errorf("enterprise search index: %w", err)
	}
	a.Ready.IndexLoaded()
	slog.Info("enterprise search index ready", "seconds", time.Since(start).Seconds())
	return nil
}

// Close closes the database.
func (a *App) Close() error {
	if a.stopCheckpoints != nil {
		a.stopCheckpoints()
		_ = audit.WriteCheckpoint(context.Background(), a.DB.Reader())
	}
	a.Enterprise.Wait()
	return a.DB.Close()
}

// ActorByName is a user acting from the command line (imports).
func (a *App) ActorByName(ctx context.Context, username string) (*org.Actor, error) {
	var id int64
	if err := a.DB.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id); err != nil {
		return nil, fmt.Errorf("no user %q", username)
	}
	act, err := a.Org.LoadActor(ctx, id)
	if err != nil {
		return nil, err
	}
	act.ClientAddr = "cli"
	return act, nil
}

// SeedReference adds the reference data every database starts with: dictionary
// defaults, the default baseline set and the negative list. Each seeds only
// what is missing, so it runs at every start.
func (a *App) SeedReference(ctx context.Context) error {
	if err := a.Dict.Seed(ctx); err != nil {
		return fmt.Errorf("dictionary defaults: %w", err)
	}
	if err := a.Evaluation.SeedDefaults(ctx); err != nil {
		return fmt.Errorf("baseline defaults: %w", err)
	}
	if err := a.Evaluation.SeedNegativeList(ctx); err != nil {
		return fmt.Errorf("negative list: %w", err)
	}
	if err := a.Chain.SeedDefaults(ctx); err != nil {
		return fmt.Errorf("default chains: %w", err)
	}
	if err := a.Project.Renormalise(ctx); err != nil {
		return fmt.Errorf("project names: %w", err)
	}
	return nil
}

// LoadCampaignDemo adds the campaigns' and the network's demo records after the demo projects.
func (a *App) LoadCampaignDemo(ctx context.Context) error {
	if err := demo.LoadCampaigns(ctx, a.Org, a.Campaign, a.Project); err != nil {
		return err
	}
	return demo.LoadNetwork(ctx, a.Org, a.Notice, a.Network, a.Project)
}
