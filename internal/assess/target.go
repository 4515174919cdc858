package assess

import (
	"context"
	"sort"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// Target is one annual target of the city (UnitID nil) or of a unit. Values
// are hundredths: 万元 for amounts, projects for counts, percent for rates.
type Target struct {
	UnitID   *int64      `json:"unit_id"`
	UnitName string      `json:"unit_name"`
	Metric   string      `json:"metric"`
	Value    money.Cents `json:"value"`
}

// TargetSet is a year's targets.
type TargetSet struct {
	Year  int      `json:"year"`
	Items []Target `json:"items"`
}

// Metrics names the targets a year may hold; band targets are "band:CODE".
func Metrics(r Rules) []string {
	out := append([]string{"contract_investment", "count", "foreign_capital"}, bandMetrics(r)...)
	return append(out, "registered_rate", "construction_rate", "production_rate")
}

// bandMetrics are the band targets' metric names.
func bandMetrics(r Rules) []string {
	var out []string
	for _, b := range r.Bands {
		out = append(out, "band:"+b.Code)
	}
	return out
}

// loadTargets maps unit id (0: the city) to one metric's value for a year.
func loadTargets(ctx context.Context, q db.Querier, year int, metric string) (map[int64]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(unit_id, 0), value FROM targets WHERE year = ? AND metric = ?`, year, metric)
	if err != nil {
		return nil, errs.Wrap(err, "targets")
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, errs.Wrap(err, "targets")
		}
		out[id] = v
	}
	return out, errs.Wrap(rows.Err(), "targets")
}

// Targets returns a year's targets, city first, then by unit.
func (s *Service) Targets(ctx context.Context, year int) (TargetSet, error) {
	return targetSet(ctx, s.DB.Reader(), year)
}

func targetSet(ctx context.Context, q db.Querier, year int) (TargetSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.unit_id, COALESCE(u.name, '全市'), t.metric, t.value FROM targets t
		LEFT JOIN units u ON u.id = t.unit_id WHERE t.year = ? ORDER BY t.metric`, year)
	if err != nil {
		return TargetSet{}, errs.Wrap(err, "targets")
	}
	defer rows.Close()
	set := TargetSet{Year: year, Items: []Target{}}
	for rows.Next() {
		var t Target
		if err := rows.Scan(&t.UnitID, &t.UnitName, &t.Metric, &t.Value); err != nil {
			return set, errs.Wrap(err, "targets")
		}
		set.Items = append(set.Items, t)
	}
	if err := rows.Err(); err != nil {
		return set, errs.Wrap(err, "targets")
	}
	rows.Close()
	units, err := loadUnits(ctx, q)
	if err != nil {
		return set, err
	}
	// The city first, then the organisation's order; the metric order as read.
	sort.SliceStable(set.Items, func(i, j int) bool {
		a, b := set.Items[i].UnitID, set.Items[j].UnitID
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case *a == *b:
			return false
		}
		return unitLess(units[*a], units[*b])
	})
	return set, nil
}

// SetTargets replaces a year's targets as a whole (the office sets them once
// a year, from one table).
func (s *Service) SetTargets(ctx context.Context, a *org.Actor, in TargetSet) (TargetSet, error) {
	if in.Year < 2000 || in.Year > 2100 {
		return in, errs.E(errs.Invalid, "年度无效", "invalid year").Field("year", "年度无效", "invalid year")
	}
	if err := s.refusePublished(ctx, in.Year); err != nil {
		return in, err
	}
	var out TargetSet
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := loadRules(ctx, tx, in.Year)
		if err != nil {
			return err
		}
		if err := validateTargets(ctx, tx, r, in.Items); err != nil {
			return err
		}
		before, err := targetSet(ctx, tx, in.Year)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM targets WHERE year = ?`, in.Year); err != nil {
			return errs.Wrap(err, "clear targets")
		}
		for _, t := range in.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO targets (year, unit_id, metric, value, version, updated_at) VALUES (?, ?, ?, ?, 1, ?)`,
				in.Year, t.UnitID, t.Metric, t.Value, s.now()); err != nil {
				return errs.Wrap(err, "insert target")
			}
		}
		if out, err = targetSet(ctx, tx, in.Year); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "target.set", ObjectType: "target_year", ObjectID: itoa(int64(in.Year)), Before: before, After: out})
	})
	return out, err
}

func validateTargets(ctx context.Context, q db.Querier, r Rules, items []Target) error {
	metrics := map[string]bool{}
	for _, m := range Metrics(r) {
		metrics[m] = true
	}
	seen := map[string]bool{}
	var v errs.Validation
	for i, t := range items {
		key := itoa(0) + "/" + t.Metric
		if t.UnitID != nil {
			key = itoa(*t.UnitID) + "/" + t.Metric
			var n int
			_ = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ?`, *t.UnitID).Scan(&n)
			if n == 0 {
				v.Add("items", "第 "+itoa(int64(i+1))+" 项：单位不存在", "item "+itoa(int64(i+1))+": no such unit")
			}
		}
		switch {
		case !metrics[t.Metric]:
			v.Add("items", "第 "+itoa(int64(i+1))+" 项：指标无效 "+t.Metric, "item "+itoa(int64(i+1))+": unknown metric "+t.Metric)
		case t.Value < 0:
			v.Add("items", "第 "+itoa(int64(i+1))+" 项：目标不能为负数", "item "+itoa(int64(i+1))+": negative target")
		case seen[key]:
			v.Add("items", "第 "+itoa(int64(i+1))+" 项：同一单位同一指标重复", "item "+itoa(int64(i+1))+": repeated unit and metric")
		}
		seen[key] = true
	}
	return v.Err()
}
