// Package webhook pushes key events to outside systems: a city's own
// receiver (JSON signed with HMAC-SHA256) or the group robots of WeCom and
// DingTalk. An event is written to an outbox (webhook_deliveries) in the
// transaction of the change that raised it, so it is sent exactly when the
// change committed; a background worker on every server claims due rows
// one at a time across servers, sends them and retries with backoff.
package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// The events a subscription can ask for.
const (
	ProjectSigned   = "project.signed"
	StageChanged    = "project.stage_changed"
	WarningRaised   = "warning.raised"
	HandoverWaiting = "handover.waiting"
	PeriodClosed    = "period.closed"
	// Test is what "send test" sends; no subscription asks for it.
	Test = "webhook.test"
)

// Events are the subscribable events with their names in both languages.
var Events = []EventInfo{
	{ProjectSigned, "项目签约", "Project signed"},
	{StageChanged, "项目阶段变化", "Project stage changed"},
	{WarningRaised, "项目预警", "Warning raised"},
	{HandoverWaiting, "项目移交待承接", "Hand-over waiting"},
	{PeriodClosed, "月度关账", "Month closed"},
}

// EventInfo names an event.
type EventInfo struct {
	Code string `json:"code"`
	Zh   string `json:"zh"`
	En   string `json:"en"`
}

func eventZh(code string) string {
	for _, e := range Events {
		if e.Code == code {
			return e.Zh
		}
	}
	return "测试消息"
}

// Payload is what every format carries: the generic format sends it as
// JSON, the robots' formats render Title and Lines as markdown.
type Payload struct {
	Event      string         `json:"event"`
	OccurredAt time.Time      `json:"occurred_at"`
	Title      string         `json:"title"`
	Lines      []string       `json:"lines"`
	Data       map[string]any `json:"data"`
}

// Now is the clock of events and deliveries; tests may replace it.
var Now = func() time.Time { return time.Now().UTC() }

// Emit writes the event into the outbox of every active subscription that
// asks for it, inside tx: rolled back with the change, committed with it.
// With no subscription it is one indexed read.
func Emit(ctx context.Context, tx *db.Tx, event, title string, lines []string, data map[string]any) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, events FROM webhook_subscriptions WHERE active = TRUE`)
	if err != nil {
		return errs.Wrap(err, "webhook subscriptions")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var events string
		if err := rows.Scan(&id, &events); err != nil {
			rows.Close()
			return errs.Wrap(err, "webhook subscriptions")
		}
		if wants(events, event) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return errs.Wrap(err, "webhook subscriptions")
	}
	now := Now()
	raw, err := json.Marshal(Payload{Event: event, OccurredAt: now, Title: title, Lines: lines, Data: data})
	if err != nil {
		return errs.Wrap(err, "webhook payload")
	}
	for _, id := range ids {
		if err := enqueue(ctx, tx, id, event, string(raw), now); err != nil {
			return err
		}
	}
	return nil
}

func enqueue(ctx context.Context, tx *db.Tx, sub int64, event, payload string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (subscription_id, event, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?)`,
		sub, event, payload, now, now)
	return errs.Wrap(err, "webhook outbox")
}

func wants(events, event string) bool {
	for _, e := range strings.Split(events, ",") {
		if e == event {
			return true
		}
	}
	return false
}

// ProjectRef is the project an event is about.
type ProjectRef struct {
	ID   int64
	Code string
	Name string
}

func (p ProjectRef) data() map[string]any {
	return map[string]any{"project_id": p.ID, "project_code": p.Code, "project_name": p.Name}
}

func (p ProjectRef) line() string { return fmt.Sprintf("项目：%s（%s）", p.Name, p.Code) }

// StageZh is the stages' Chinese names (set by the caller's package, the
// owner of stages, so that this package does not repeat them).
var StageZh = map[string]string{}

func stageName(s string) string {
	if zh, ok := StageZh[s]; ok {
		return zh
	}
	return s
}

// ProjectMoved is called where a project's transition is decided: a stage
// change raises project.stage_changed, a signing project.signed as well.
func ProjectMoved(ctx context.Context, tx *db.Tx, p ProjectRef, from, to string, on civil.Date) error {
	if from == to {
		return nil
	}
	data := p.data()
	data["from_stage"], data["to_stage"], data["on"] = from, to, on.String()
	lines := []string{p.line(), fmt.Sprintf("阶段：%s → %s", stageName(from), stageName(to)), "日期：" + on.String()}
	if err := Emit(ctx, tx, StageChanged, "项目阶段变化", lines, data); err != nil {
		return err
	}
	if to != "signed" {
		return nil
	}
	return Emit(ctx, tx, ProjectSigned, "项目签约", lines, data)
}

// HandoverStarted is called where a hand-over is sent to a locality.
func HandoverStarted(ctx context.Context, tx *db.Tx, p ProjectRef, toUnitID int64, deadline civil.Date) error {
	data := p.data()
	data["to_unit_id"], data["deadline"] = toUnitID, deadline.String()
	var unit string
	_ = tx.QueryRowContext(ctx, `SELECT name FROM units WHERE id = ?`, toUnitID).Scan(&unit)
	data["to_unit_name"] = unit
	return Emit(ctx, tx, HandoverWaiting, "项目移交待承接", []string{p.line(), "承接单位：" + unit, "答复期限：" + deadline.String()}, data)
}

// MonthClosed is called where a month's statistics are closed.
func MonthClosed(ctx context.Context, tx *db.Tx, period string, figures map[string]any) error {
	data := map[string]any{"period": period}
	lines := []string{"月份：" + period}
	for k, v := range figures {
		data[k] = v
	}
	if n, ok := figures["city_ytd_count"]; ok {
		lines = append(lines, fmt.Sprintf("全市年度累计签约项目：%v 个", n))
	}
	if a, ok := figures["city_ytd_amount"]; ok {
		lines = append(lines, fmt.Sprintf("全市年度累计签约金额：%v 万元", a))
	}
	return Emit(ctx, tx, PeriodClosed, "月度统计已关账", lines, data)
}
