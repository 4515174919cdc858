package evaluation

import (
	"context"
	_ "embed"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// negative_list_2024.csv is the outline of the 2024 negative list (29
// items) from shared/data (see its PROVENANCE.md: a paraphrase, with items
// marked recall_unverified to be checked against the official text). It is
// seeded once and then kept as editable data.
//
//go:embed negative_list_2024.csv
var negativeCSV string

// NegativeItem is one item of the negative list.
type NegativeItem struct {
	ID           int64  `json:"id"`
	Edition      string `json:"edition"`
	No           int    `json:"no"`
	Sector       string `json:"sector"`
	Measure      string `json:"measure"`
	Section      string `json:"section"`
	Kind         string `json:"kind"` // 禁止 prohibited, 限制 restricted
	Verification string `json:"verification"`
	// Classes are the GB/T 4754 classes (4 digits) the item covers: a
	// foreign-funded project is matched on its class (matchNegative).
	Classes []string `json:"classes"`
	Enabled bool     `json:"enabled"`
	Version int      `json:"version"`
}

// SeedNegativeList loads the 2024 outline when the table is empty.
func (s *Service) SeedNegativeList(ctx context.Context) error {
	rows, err := csv.NewReader(strings.NewReader(negativeCSV)).ReadAll()
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM negative_list`).Scan(&n); err != nil {
			return errs.Wrap(err, "negative list")
		}
		if n > 0 {
			return backfillClasses(ctx, tx, rows[1:])
		}
		for _, r := range rows[1:] {
			no, _ := strconv.Atoi(r[0])
			if _, err := tx.ExecContext(ctx, `INSERT INTO negative_list (edition, no, sector, measure, section, kind, verification, classes, enabled, version, updated_at)
				VALUES ('2024', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`, no, r[1], r[2], r[3], r[4], r[5], r[6], true, s.now()); err != nil {
				return errs.Wrap(err, "seed negative list")
			}
		}
		return audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "negative_list.seed", ObjectType: "negative_list",
			ObjectID: "2024", After: map[string]int{"items": len(rows) - 1}})
	})
}

// backfillClasses gives the items seeded before items had classes those
// of the 2024 outline (a list whose classes were set by hand keeps them).
func backfillClasses(ctx context.Context, tx *db.Tx, rows [][]string) error {
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, `UPDATE negative_list SET classes = ? WHERE edition = '2024' AND no = ? AND classes = ''`, r[6], r[0]); err != nil {
			return errs.Wrap(err, "negative list classes")
		}
	}
	return nil
}

const negCols = `id, edition, no, sector, measure, section, kind, verification, classes, enabled, version`

func scanNeg(sc interface{ Scan(...any) error }) (NegativeItem, error) {
	var n NegativeItem
	var classes string
	err := sc.Scan(&n.ID, &n.Edition, &n.No, &n.Sector, &n.Measure, &n.Section, &n.Kind, &n.Verification, &classes, &n.Enabled, &n.Version)
	n.Classes = strings.Fields(classes)
	return n, err
}

// NegativeList lists the items.
func (s *Service) NegativeList(ctx context.Context) ([]NegativeItem, error) {
	out, err := db.All(ctx, s.DB.Reader(), scanNeg, `SELECT `+negCols+` FROM negative_list ORDER BY edition DESC, no`)
	return out, errs.Wrap(err, "negative list")
}

// UpdateNegative corrects an item (its wording against the official text,
// its section, whether it is in use); verifying an item clears its flag.
func (s *Service) UpdateNegative(ctx context.Context, a *org.Actor, id int64, in NegativeItem) (NegativeItem, error) {
	var v errs.Validation
	if strings.TrimSpace(in.Measure) == "" {
		v.Add("measure", "内容必填", "required")
	}
	if in.Kind != "禁止" && in.Kind != "限制" {
		v.Add("kind", "应为禁止或限制", "禁止 or 限制")
	}
	if len(in.Section) != 1 || in.Section[0] < 'A' || in.Section[0] > 'T' {
		v.Add("section", "应为国民经济行业门类字母 A–T", "a GB/T 4754 section letter A–T")
	}
	for _, c := range in.Classes {
		if code, ok := industry.Lookup(c); !ok || len(code.Code) != 4 {
			v.Add("classes", "应为国民经济行业小类（4 位）代码："+c, "must be GB/T 4754 classes (4 digits): "+c)
		}
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	var out NegativeItem
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := scanNeg(tx.QueryRowContext(ctx, `SELECT `+negCols+` FROM negative_list WHERE id = ?`, id))
		if err != nil {
			return errs.NotFoundf("负面清单条目", "negative-list item")
		}
		res, err := tx.ExecContext(ctx, `UPDATE negative_list SET sector = ?, measure = ?, section = ?, kind = ?, verification = ?, classes = ?, enabled = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, in.Sector, in.Measure, in.Section, in.Kind, in.Verification,
			strings.Join(in.Classes, " "), in.Enabled, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if out, err = scanNeg(tx.QueryRowContext(ctx, `SELECT `+negCols+` FROM negative_list WHERE id = ?`, id)); err != nil {
			return errs.Wrap(err, "reload")
		}
		return audit.Append(ctx, tx, a.Entry("negative_list.update", "negative_list", id, before, out))
	})
	return out, err
}
