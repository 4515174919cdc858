package project

import (
	"context"

	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// StageEn names the stages in English (GLOSSARY).
var StageEn = map[string]string{"lead": "lead", "negotiating": "negotiating", "signed": "signed", "registered": "registered",
	"construction": "construction started", "production": "in production"}

// StatusZh and StatusEn name the statuses (GLOSSARY).
var (
	StatusZh = map[string]string{"active": "正常", "on_hold": "暂缓", "terminated": "终止"}
	StatusEn = map[string]string{"active": "active", "on_hold": "on hold", "terminated": "terminated"}
)

// WarningZh and WarningEn name the warning rules, in the words of the
// warning list's screen (web/src/i18n/project.*.ts, warningRule), for what
// leaves the browser: group messages and exports.
var (
	WarningZh = map[string]string{"signed_not_registered": "签约未落户", "registered_no_construction": "落户未动工",
		"no_tracking": "长期未跟踪", "handover_overdue": "移交超期未承接", "request_overdue": "诉求超期未办结"}
	WarningEn = map[string]string{"signed_not_registered": "signed, not registered", "registered_no_construction": "registered, no construction",
		"no_tracking": "no tracking record", "handover_overdue": "hand-over not accepted", "request_overdue": "request overdue"}
)

// Labels turn stored codes into the reader's words: stages, statuses and
// the dictionary's channels and source regions. A code without a label is
// written as it is.
type Labels struct {
	en   bool
	dict map[string]map[string]string // type → code → label
}

// Of is the label of a code of a kind: "stage", "status", "warning" or a
// dictionary type.
func (l Labels) Of(kind, code string) string {
	var m map[string]string
	switch {
	case kind == "stage" && l.en:
		m = StageEn
	case kind == "stage":
		m = StageZh
	case kind == "status" && l.en:
		m = StatusEn
	case kind == "status":
		m = StatusZh
	case kind == "warning" && l.en:
		m = WarningEn
	case kind == "warning":
		m = WarningZh
	default:
		m = l.dict[kind]
	}
	if s, ok := m[code]; ok {
		return s
	}
	return code
}

// LoadLabels reads the dictionary labels of the reader's language.
func LoadLabels(ctx context.Context, q db.Querier, en bool) (Labels, error) {
	l := Labels{en: en, dict: map[string]map[string]string{}}
	rows, err := q.QueryContext(ctx, `SELECT type, code, label_zh, label_en FROM dict_items WHERE type IN ('channel', 'source_region')`)
	if err != nil {
		return l, errs.Wrap(err, "labels")
	}
	defer rows.Close()
	for rows.Next() {
		var typ, code, zh, enl string
		if err := rows.Scan(&typ, &code, &zh, &enl); err != nil {
			return l, errs.Wrap(err, "labels")
		}
		if l.dict[typ] == nil {
			l.dict[typ] = map[string]string{}
		}
		l.dict[typ][code] = zh
		if en {
			l.dict[typ][code] = enl
		}
	}
	return l, errs.Wrap(rows.Err(), "labels")
}
