package project

import (
	"context"
	"strings"

	"github.com/zhaoqing/attract/internal/audit"

	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// The duplicate guard: the same project must not be registered twice by two
// units (the spreadsheets' worst habit). A registered project (never one
// merged into another) is offered as a duplicate when its investor has the
// same credit code, whatever the project is called, or the same normalised
// name (duplicate_norm.go) and the project names are close (bigram
// similarity ≥ 0.6).

// similarity is the Dice coefficient of the two strings' character bigrams.
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ba, bb := bigrams(a), bigrams(b)
	if len(ba) == 0 || len(bb) == 0 {
		return 0
	}
	common := 0
	for g, n := range ba {
		common += min(n, bb[g])
	}
	total := 0
	for _, n := range ba {
		total += n
	}
	for _, n := range bb {
		total += n
	}
	return 2 * float64(common) / float64(total)
}

func bigrams(s string) map[string]int {
	r := []rune(s)
	m := map[string]int{}
	for i := 0; i+1 < len(r); i++ {
		m[string(r[i:i+2])]++
	}
	return m
}

// Duplicate is a project that looks like the one being registered. Outside
// the caller's scope only its name and unit are shown.
type Duplicate struct {
	ID           *int64 `json:"id"`
	Name         string `json:"name"`
	UnitName     string `json:"unit_name"`
	InScope      bool   `json:"in_scope"`
	InvestorName string `json:"investor_name,omitempty"`
	Stage        string `json:"stage,omitempty"`
	// Match says why: same_credit_code or same_investor.
	Match string `json:"match"`

	unitID int64 // the duplicate's registering unit, told of an override
}

// DuplicateQuery is what the guard compares.
type DuplicateQuery struct {
	Name         string `json:"name"`
	InvestorName string `json:"investor_name"`
	InvestorUSCC string `json:"investor_uscc"`
}

// FindDuplicates looks across the whole city (not just the caller's scope:
// that is the point) and reveals details only of projects in scope.
func (s *Service) FindDuplicates(ctx context.Context, q db.Querier, a *org.Actor, in DuplicateQuery, except int64) ([]Duplicate, error) {
	inv, name := NormInvestor(in.InvestorName), NormName(in.Name)
	if inv == "" && in.InvestorUSCC == "" {
		return []Duplicate{}, nil
	}
	cond, args := scopeSQL(a)
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.name, p.name_norm, p.investor_name, p.investor_uscc, p.stage, p.owner_unit_id, u.name,
		CASE WHEN `+cond+` THEN 1 ELSE 0 END
		FROM projects p JOIN units u ON u.id = COALESCE(p.locality_unit_id, p.owner_unit_id)
		WHERE p.id <> ? AND `+NotMergedSQL+` AND ((p.investor_uscc <> '' AND p.investor_uscc = ?) OR p.investor_norm = ?) ORDER BY p.id`,
		append(args, except, in.InvestorUSCC, inv)...)
	if err != nil {
		return nil, errs.Wrap(err, "find duplicates")
	}
	defer rows.Close()
	out := []Duplicate{}
	for rows.Next() {
		var d Duplicate
		var id int64
		var norm, code string
		var inScope int
		if err := rows.Scan(&id, &d.Name, &norm, &d.InvestorName, &code, &d.Stage, &d.unitID, &d.UnitName, &inScope); err != nil {
			return nil, errs.Wrap(err, "scan duplicate")
		}
		switch {
		case in.InvestorUSCC != "" && code == in.InvestorUSCC:
			d.Match = "same_credit_code"
		case similarity(norm, name) >= 0.6:
			d.Match = "same_investor"
		default:
			continue
		}
		if d.InScope = inScope == 1; d.InScope {
			d.ID = &id
		} else {
			d.InvestorName, d.Stage = "", ""
		}
		out = append(out, d)
	}
	return out, errs.Wrap(rows.Err(), "find duplicates")
}

// overrode records a registration past the duplicate guard: the reason in
// the audit, and a notice to each other unit whose project it resembles.
func (s *Service) overrode(ctx context.Context, tx *db.Tx, a *org.Actor, p Project, dups []Duplicate, reason string) error {
	if len(dups) == 0 {
		return nil
	}
	type seen struct {
		Name, Unit, Match string
	}
	var list []seen
	units, told := []int64{}, map[int64]bool{a.UnitID: true}
	var names []string
	for _, d := range dups {
		list = append(list, seen{d.Name, d.UnitName, d.Match})
		names = append(names, "「"+d.Name+"」（"+d.UnitName+"）")
		if !told[d.unitID] {
			told[d.unitID] = true
			units = append(units, d.unitID)
		}
	}
	if err := audit.Append(ctx, tx, a.Entry("project.duplicate_override", "project", p.ID, nil,
		map[string]any{"reason": reason, "duplicates": list, "code": p.Code})); err != nil {
		return err
	}
	if s.Notify == nil || len(units) == 0 {
		return nil
	}
	body := a.DisplayName + "登记了项目「" + p.Name + "」（" + p.Code + "，投资方 " + p.InvestorName + "），与" + strings.Join(names, "、") +
		"疑似重复。登记人说明不是同一项目：" + reason + "。如为同一项目，请与登记单位联系合并。"
	return s.Notify(ctx, tx, a, units, "疑似重复项目登记提醒："+p.Name, body)
}
