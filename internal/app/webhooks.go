package app

import (
	"context"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/web"
	"github.com/zhaoqing/attract/internal/webhook"
)

// The wiring of outgoing webhooks, in a file of its own.

func (a *App) newWebhooks() {
	a.Webhook = webhook.New(a.DB)
	webhook.StageZh = project.StageZh
	// The scan reads every warning in the city, as an actor of scope all.
	scan := &org.Actor{Username: "webhook", Scope: org.ScopeAll, Perms: map[string]bool{"project:read": true}}
	a.Webhook.Warnings = func(ctx context.Context) ([]webhook.Warning, error) {
		list, err := a.Project.Warnings(ctx, scan, "", 0)
		out := make([]webhook.Warning, 0, len(list))
		for _, w := range list {
			out = append(out, webhook.Warning{Rule: w.Rule, RuleZh: project.Labels{}.Of("warning", w.Rule), ProjectID: w.ProjectID, ProjectCode: w.ProjectCode,
				ProjectName: w.ProjectName, UnitName: w.UnitName, Since: w.Since, Detail: w.Detail})
		}
		return out, err
	}
}

func (a *App) serveWebhooks(srv *web.Server) { srv.Webhook = a.Webhook }
