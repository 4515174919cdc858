package app

import (
	"context"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/project"
	"github.com/zhaoqing/attract/internal/web"
	"github.com/zhaoqing/attract/internal/webhook"
)

// The wiring of outgoing webhooks, in a file of its own.

// warningRuleZh names the warning rules in the messages sent to groups.
var warningRuleZh = map[string]string{
	"signed_not_registered":      "签约后超期未落户",
	"registered_no_construction": "落户后超期未动工",
	"no_tracking":                "长期未跟踪",
	"handover_overdue":           "移交超期未承接",
}

func (a *App) newWebhooks() {
	a.Webhook = webhook.New(a.DB)
	webhook.StageZh = project.StageZh
	// The scan reads every warning in the city, as an actor of scope all.
	scan := &org.Actor{Username: "webhook", Scope: org.ScopeAll, Perms: map[string]bool{"project:read": true}}
	a.Webhook.Warnings = func(ctx context.Context) ([]webhook.Warning, error) {
		list, err := a.Project.Warnings(ctx, scan, "", 0)
		out := make([]webhook.Warning, 0, len(list))
		for _, w := range list {
			zh := warningRuleZh[w.Rule]
			if zh == "" {
				zh = w.Rule
			}
			out = append(out, webhook.Warning{Rule: w.Rule, RuleZh: zh, ProjectID: w.ProjectID, ProjectCode: w.ProjectCode,
				ProjectName: w.ProjectName, UnitName: w.UnitName, Since: w.Since, Detail: w.Detail})
		}
		return out, err
	}
}

func (a *App) serveWebhooks(srv *web.Server) { srv.Webhook = a.Webhook }
