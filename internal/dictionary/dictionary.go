// Package dictionary keeps the enumerations the rest of attract uses
// (channels, source regions, tags…) as data administrators can edit. Codes
// are stable identifiers stored on records; labels may change.
package dictionary

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Item is one entry of a dictionary.
type Item struct {
	ID      int64  `json:"id"`
	Type    string `json:"type"`
	Code    string `json:"code"`
	LabelZh string `json:"label_zh"`
	LabelEn string `json:"label_en"`
	Sort    int    `json:"sort"`
	Enabled bool   `json:"enabled"`
	Version int    `json:"version"`
}

// Input is the request to add or change an item.
type Input struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	LabelZh string `json:"label_zh"`
	LabelEn string `json:"label_en"`
	Sort    int    `json:"sort"`
	Enabled *bool  `json:"enabled"`
	Version int    `json:"version"`
}

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,39}$`)

// Validate checks an input; creating also checks type and code.
func (in *Input) Validate(creating bool) error {
	var v errs.Validation
	if creating {
		if _, ok := typeNames[in.Type]; !ok {
			v.Add("type", "字典类型无效", "unknown dictionary type")
		}
		if !codeRe.MatchString(in.Code) {
			v.Add("code", "编码为小写字母、数字、下划线，最多 40 位", "lower-case letters, digits and _, at most 40")
		}
	}
	if strings.TrimSpace(in.LabelZh) == "" || len([]rune(in.LabelZh)) > 60 {
		v.Add("label_zh", "中文名称必填，最多 60 个字", "required, at most 60 characters")
	}
	if strings.TrimSpace(in.LabelEn) == "" || len(in.LabelEn) > 100 {
		v.Add("label_en", "英文名称必填，最多 100 个字符", "required, at most 100 characters")
	}
	return v.Err()
}

// Service reads and maintains the dictionary.
type Service struct {
	DB  *db.DB
	Now func() time.Time
}

// New builds the service.
func New(d *db.DB) *Service { return &Service{DB: d, Now: time.Now} }

const cols = `id, type, code, label_zh, label_en, sort, enabled, version`

func scan(sc interface{ Scan(...any) error }) (Item, error) {
	var it Item
	err := sc.Scan(&it.ID, &it.Type, &it.Code, &it.LabelZh, &it.LabelEn, &it.Sort, &it.Enabled, &it.Version)
	return it, err
}

func get(ctx context.Context, q db.Querier, id int64) (Item, error) {
	it, err := scan(q.QueryRowContext(ctx, `SELECT `+cols+` FROM dict_items WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, errs.NotFoundf("字典项", "dictionary item")
	}
	return it, errs.Wrap(err, "get dict item")
}

// List returns the items of one type (all types when typ is "").
func (s *Service) List(ctx context.Context, typ string) ([]Item, error) {
	var w db.Where
	if typ != "" {
		w.Add("type = ?", typ)
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+cols+` FROM dict_items`+w.SQL()+` ORDER BY type, sort, id`, w.Args()...)
	if err != nil {
		return nil, errs.Wrap(err, "list dictionary")
	}
	defer rows.Close()
	out := []Item{}
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return nil, errs.Wrap(err, "scan dict item")
		}
		out = append(out, it)
	}
	return out, errs.Wrap(rows.Err(), "list dictionary")
}

// Create adds an item.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Item, error) {
	if err := in.Validate(true); err != nil {
		return Item{}, err
	}
	enabled := in.Enabled == nil || *in.Enabled
	var out Item
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if out, err = insert(ctx, tx, in, enabled, s.Now().UTC()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("dictionary.create", "dict_item", out.ID, nil, out))
	})
	return out, err
}

func insert(ctx context.Context, tx *db.Tx, in Input, enabled bool, now time.Time) (Item, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO dict_items (type, code, label_zh, label_en, sort, enabled, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, in.Type, in.Code, in.LabelZh, in.LabelEn, in.Sort, enabled, now, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Item{}, errs.E(errs.Conflict, "该类型下编码已存在", "the code exists in this dictionary").Field("code", "已存在", "already exists")
	}
	if err != nil {
		return Item{}, errs.Wrap(err, "insert dict item")
	}
	return get(ctx, tx, id)
}

// Update changes labels, order and whether the item is offered.
func (s *Service) Update(ctx context.Context, a *org.Actor, id int64, in Input) (Item, error) {
	if err := in.Validate(false); err != nil {
		return Item{}, err
	}
	return audit.Update(ctx, s.DB, a, "dictionary.update", "dict_item", id, get, func(tx *db.Tx, before Item) (sql.Result, error) {
		enabled := before.Enabled
		if in.Enabled != nil {
			enabled = *in.Enabled
		}
		return tx.ExecContext(ctx, `UPDATE dict_items SET label_zh = ?, label_en = ?, sort = ?, enabled = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, in.LabelZh, in.LabelEn, in.Sort, enabled, s.Now().UTC(), id, in.Version)
	})
}

// Seed adds the default items of every type that has none yet.
func (s *Service) Seed(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, t := range Types {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dict_items WHERE type = ?`, t.Type).Scan(&n); err != nil {
				return errs.Wrap(err, "count dictionary")
			}
			if n > 0 {
				continue
			}
			for i, d := range defaults[t.Type] {
				it, err := insert(ctx, tx, Input{Type: t.Type, Code: d[0], LabelZh: d[1], LabelEn: d[2], Sort: (i + 1) * 10}, true, s.Now().UTC())
				if err != nil {
					return err
				}
				if err := audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "dictionary.create",
					ObjectType: "dict_item", ObjectID: itoa(it.ID), After: it}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Exists reports whether an enabled item with this code exists in a
// dictionary; capabilities call it to validate the codes they store.
func Exists(ctx context.Context, q db.Querier, typ, code string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dict_items WHERE type = ? AND code = ? AND enabled = ?`, typ, code, true).Scan(&n)
	return n > 0, errs.Wrap(err, "dictionary lookup")
}
