package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/region"
)

const selectEnterprise = `SELECT e.id, e.credit_code, e.name, e.former_names, e.industry_code, e.region_code,
	e.registered_capital, e.founded_on, e.revenue, e.staff, e.listing_code, e.tags, e.is_target,
	e.owner_unit_id, COALESCE(u.name, ''), e.status, e.expanded_on, e.archived, e.version, e.created_at, e.updated_at
	FROM enterprises e LEFT JOIN units u ON u.id = e.owner_unit_id`

func scanEnterprise(sc interface{ Scan(...any) error }) (Enterprise, error) {
	var e Enterprise
	var former, tags string
	var revenue, staff sql.NullInt64
	var owner sql.NullInt64
	err := sc.Scan(&e.ID, &e.CreditCode, &e.Name, &former, &e.IndustryCode, &e.RegionCode, &e.RegisteredCapital,
		&e.FoundedOn, &revenue, &staff, &e.ListingCode, &tags, &e.IsTarget, &owner, &e.OwnerUnitName, &e.Status,
		&e.ExpandedOn, &e.Archived, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	if err != nil {
		return e, err
	}
	e.FormerNames = splitLines(former)
	e.Tags = splitComma(tags)
	if revenue.Valid {
		r := money.Cents(revenue.Int64)
		e.Revenue = &r
	}
	if staff.Valid {
		e.Staff = &staff.Int64
	}
	if owner.Valid {
		e.OwnerUnitID = &owner.Int64
	}
	if c, ok := industry.Lookup(e.IndustryCode); ok {
		e.IndustryName = c.Name
	}
	e.RegionName = region.FullName(e.RegionCode)
	return e, nil
}

func splitLines(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

func splitComma(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func get(ctx context.Context, q db.Querier, id int64) (Enterprise, error) {
	e, err := scanEnterprise(q.QueryRowContext(ctx, selectEnterprise+` WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.NotFoundf("企业", "enterprise")
	}
	return e, err
}

// byIDs returns the enterprises in the order of ids.
func byIDs(ctx context.Context, q db.Querier, ids []int64) ([]Enterprise, error) {
	out := []Enterprise{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, selectEnterprise+` WHERE e.id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[int64]Enterprise{}
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, err
		}
		got[e.ID] = e
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if e, ok := got[id]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// enterpriseGen numbers the writes to enterprises (the protocol is
// db.Generation). It is serial on PostgreSQL too: an import reads back the
// rows others wrote around its own generation (import_write.go), which
// needs generations visible in commit order, and enterprise writes (edits,
// imports) are too few for the counter row to queue anyone.
var enterpriseGen = db.Generation{Name: "enterprise", Table: "enterprises", Serial: true}

// nextGen takes the next generation number for the rows a transaction writes.
func nextGen(ctx context.Context, tx *db.Tx) (int64, error) { return enterpriseGen.Next(ctx, tx) }

// currentGen is the generation every committed write is at or below.
func currentGen(ctx context.Context, q db.Querier) (int64, error) {
	m, _, err := enterpriseGen.Since(ctx, q, db.Mark{})
	return m.Newest(), err
}

func nullCents(c *money.Cents) any {
	if c == nil {
		return nil
	}
	return int64(*c)
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func insert(ctx context.Context, tx *db.Tx, in Input, gen int64, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO enterprises (credit_code, name, former_names, industry_code, region_code,
		registered_capital, founded_on, revenue, staff, listing_code, tags, is_target, owner_unit_id, status, expanded_on,
		gen, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		in.CreditCode, in.Name, strings.Join(in.FormerNames, "\n"), in.IndustryCode, in.RegionCode, in.RegisteredCapital,
		in.FoundedOn, nullCents(in.Revenue), nullInt(in.Staff), in.ListingCode, strings.Join(in.Tags, ","), *in.IsTarget,
		nullInt(in.OwnerUnitID), in.Status, in.ExpandedOn, gen, now, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, errs.E(errs.Conflict, "该统一社会信用代码的企业已在库中", "an enterprise with this credit code is already in the library").
			Field("credit_code", "已存在", "already in the library")
	}
	return id, err
}

func update(ctx context.Context, tx *db.Tx, id int64, in Input, gen int64, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE enterprises SET credit_code = ?, name = ?, former_names = ?, industry_code = ?,
		region_code = ?, registered_capital = ?, founded_on = ?, revenue = ?, staff = ?, listing_code = ?, tags = ?,
		is_target = ?, owner_unit_id = ?, status = ?, expanded_on = ?, gen = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`,
		in.CreditCode, in.Name, strings.Join(in.FormerNames, "\n"), in.IndustryCode, in.RegionCode, in.RegisteredCapital,
		in.FoundedOn, nullCents(in.Revenue), nullInt(in.Staff), in.ListingCode, strings.Join(in.Tags, ","), *in.IsTarget,
		nullInt(in.OwnerUnitID), in.Status, in.ExpandedOn, gen, now, id, in.Version)
	if db.IsUniqueViolation(err) {
		return errs.E(errs.Conflict, "该统一社会信用代码的企业已在库中", "an enterprise with this credit code is already in the library").
			Field("credit_code", "已存在", "already in the library")
	}
	return db.OneRow(res, err, nil)
}

// loadDocs reads the rows written after generation since, for the index.
func loadDocs(ctx context.Context, q db.Querier, since int64) (docs []doc, archived []int64, gen int64, err error) {
	return loadDocsWhere(ctx, q, since, `gen > ?`, since)
}

// loadDocsWhere reads the rows meeting cond; gen starts at since.
func loadDocsWhere(ctx context.Context, q db.Querier, since int64, cond string, args ...any) (docs []doc, archived []int64, gen int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, former_names, industry_code, region_code, registered_capital,
		revenue, staff, status, owner_unit_id, tags, is_target, expanded_on, archived, gen
		FROM enterprises WHERE `+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, nil, 0, err
	}
	defer rows.Close()
	gen = since
	for rows.Next() {
		var d doc
		var name, former, tags string
		var revenue, staff, owner sql.NullInt64
		var expanded civil.Date
		var arch bool
		var g int64
		if err := rows.Scan(&d.ID, &name, &former, &d.Industry, &d.Region, &d.Capital, &revenue, &staff, &d.Status, &owner,
			&tags, &d.Target, &expanded, &arch, &g); err != nil {
			return nil, nil, 0, err
		}
		if g > gen {
			gen = g
		}
		if arch {
			archived = append(archived, d.ID)
			continue
		}
		d.Text = normalise(name)
		if former != "" {
			d.Text += "\x00" + normalise(strings.ReplaceAll(former, "\n", "\x00"))
		}
		d.Revenue, d.Staff = -1, -1
		if revenue.Valid {
			d.Revenue = revenue.Int64
		}
		if staff.Valid {
			d.Staff = staff.Int64
		}
		d.Owner = owner.Int64
		d.Tags = splitComma(tags)
		if !expanded.IsZero() {
			d.Expanded = uint32(expanded.Year()*10000 + expanded.Month()*100 + expanded.Day())
		}
		docs = append(docs, d)
	}
	return docs, archived, gen, rows.Err()
}
