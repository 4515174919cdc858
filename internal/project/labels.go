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

// Labels turn stored codes into the reader's words: stages, statuses and
// the dictionary's channels and source regions. A code without a label is
// written as it is.
type Labels struct {
	en   bool
	dict map[string]map[string]string // type → code → label
}

// Of is the label of a code of a kind: "stage", "status" or a dictionary type.
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
