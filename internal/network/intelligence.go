package network

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/dictionary"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/platform/valid"
)

// Item is one piece of investment intelligence: news or cooperation
// information, with the enterprises and chain links it concerns. Enterprise
// names are kept as text; EnterpriseIDs link it to the enterprise library
// (intelligence_enterprises), so that an enterprise's page shows what was
// heard about it.
type Item struct {
	ID            int64      `json:"id"`
	Title         string     `json:"title"`
	PublishedOn   civil.Date `json:"published_on"`
	Source        string     `json:"source"`
	Summary       string     `json:"summary"`
	Region        string     `json:"region"`
	Enterprises   string     `json:"enterprises"`
	ChainLinks    string     `json:"chain_links"`
	EnterpriseIDs []int64    `json:"enterprise_ids"`
	CreatedByName string     `json:"created_by_name"`
	Version       int        `json:"version"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// ItemInput adds or edits an item.
type ItemInput struct {
	Title         string     `json:"title"`
	PublishedOn   civil.Date `json:"published_on"`
	Source        string     `json:"source"`
	Summary       string     `json:"summary"`
	Region        string     `json:"region"`
	Enterprises   string     `json:"enterprises"`
	ChainLinks    string     `json:"chain_links"`
	EnterpriseIDs []int64    `json:"enterprise_ids"`
	Version       int        `json:"version"`
}

// Validate checks the request.
func (in *ItemInput) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	var v errs.Validation
	text(&v, "title", in.Title, true, 200)
	if in.PublishedOn.IsZero() {
		v.Add("published_on", "日期必填", "required")
	}
	text(&v, "source", in.Source, false, 100)
	text(&v, "summary", in.Summary, false, 5000)
	text(&v, "enterprises", in.Enterprises, false, 500)
	text(&v, "chain_links", in.ChainLinks, false, 500)
	if len(in.EnterpriseIDs) > 50 {
		v.Add("enterprise_ids", "最多关联 50 家企业", "at most 50 enterprises")
	}
	for _, id := range in.EnterpriseIDs {
		if id <= 0 {
			v.Add("enterprise_ids", "企业编号无效", "invalid enterprise id")
			break
		}
	}
	return v.Err()
}

const itemCols = `i.id, i.title, i.published_on, i.source, i.summary, i.region, i.enterprises, i.chain_links,
	COALESCE(u.display_name, ''), i.version, i.updated_at`

const itemFrom = ` FROM intelligence i LEFT JOIN users u ON u.id = i.created_by`

func scanItem(sc interface{ Scan(...any) error }) (Item, error) {
	var it Item
	err := sc.Scan(&it.ID, &it.Title, &it.PublishedOn, &it.Source, &it.Summary, &it.Region, &it.Enterprises, &it.ChainLinks,
		&it.CreatedByName, &it.Version, &it.UpdatedAt)
	it.EnterpriseIDs = []int64{}
	return it, err
}

func getItem(ctx context.Context, q db.Querier, id int64) (Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemCols+itemFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, errs.NotFoundf("招商情报", "intelligence item")
	}
	if err != nil {
		return it, errs.Wrap(err, "get intelligence")
	}
	list := []Item{it}
	return list[0], fillEnterprises(ctx, q, list)
}

func fillEnterprises(ctx context.Context, q db.Querier, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	idx := map[int64]int{}
	args := make([]any, len(items))
	for i, it := range items {
		idx[it.ID], args[i] = i, it.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT intelligence_id, enterprise_id FROM intelligence_enterprises
		WHERE intelligence_id IN (`+placeholders(len(items))+`) ORDER BY enterprise_id`, args...)
	if err != nil {
		return errs.Wrap(err, "intelligence enterprises")
	}
	defer rows.Close()
	for rows.Next() {
		var iid, eid int64
		if err := rows.Scan(&iid, &eid); err != nil {
			return errs.Wrap(err, "scan intelligence enterprise")
		}
		items[idx[iid]].EnterpriseIDs = append(items[idx[iid]].EnterpriseIDs, eid)
	}
	return errs.Wrap(rows.Err(), "intelligence enterprises")
}

// ItemFilter searches the feed.
type ItemFilter struct {
	Q, Region     string
	EnterpriseID  int64
	From, To      civil.Date
	Limit, Offset int
}

// Items searches the feed, newest first. Intelligence is shared city-wide.
func (s *Service) Items(ctx context.Context, f ItemFilter) ([]Item, int, error) {
	q := s.DB.Reader()
	var w db.Where
	if f.Q != "" {
		l := db.Like(f.Q)
		w.Add(`(i.title LIKE ? ESCAPE '\' OR i.summary LIKE ? ESCAPE '\' OR i.enterprises LIKE ? ESCAPE '\' OR i.chain_links LIKE ? ESCAPE '\' OR i.source LIKE ? ESCAPE '\')`, l, l, l, l, l)
	}
	if f.Region != "" {
		w.Add("i.region = ?", f.Region)
	}
	if f.EnterpriseID > 0 {
		w.Add("i.id IN (SELECT intelligence_id FROM intelligence_enterprises WHERE enterprise_id = ?)", f.EnterpriseID)
	}
	if !f.From.IsZero() {
		w.Add("i.published_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.Add("i.published_on <= ?", f.To)
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM intelligence i`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "count intelligence")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+itemCols+itemFrom+w.SQL()+` ORDER BY i.published_on DESC, i.id DESC LIMIT ? OFFSET ?`, append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "list intelligence")
	}
	defer rows.Close()
	out := []Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, 0, errs.Wrap(err, "scan intelligence")
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, errs.Wrap(err, "list intelligence")
	}
	return out, total, fillEnterprises(ctx, q, out)
}

func checkRegion(ctx context.Context, q db.Querier, region string) error {
	if region == "" {
		return nil
	}
	ok, err := dictionary.Exists(ctx, q, "source_region", region)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Invalid, "地区不在数据字典中", "region not in the dictionary").Field("region", "不在数据字典中："+region, "not in the dictionary: "+region)
	}
	return nil
}

func (s *Service) insertItem(ctx context.Context, tx *db.Tx, a *org.Actor, in ItemInput) (int64, error) {
	now := s.now()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO intelligence (title, published_on, source, summary, region, enterprises, chain_links,
		created_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		in.Title, in.PublishedOn, in.Source, in.Summary, in.Region, in.Enterprises, in.ChainLinks, db.NullID(a.UserID), now, now).Scan(&id); err != nil {
		return 0, errs.Wrap(err, "insert intelligence")
	}
	return id, writeLinks(ctx, tx, id, in.EnterpriseIDs, in.Enterprises)
}

// writeLinks links an item to the enterprises it names: those chosen by id
// (each must be in the library) and those whose exact name appears in its
// enterprise text (so that an imported feed links itself).
func writeLinks(ctx context.Context, tx *db.Tx, id int64, ids []int64, names string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM intelligence_enterprises WHERE intelligence_id = ?`, id); err != nil {
		return errs.Wrap(err, "clear intelligence links")
	}
	for _, e := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, e).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.E(errs.Invalid, "关联的企业不在企业库中", "a linked enterprise is not in the library").Field("enterprise_ids", "企业不存在", "no such enterprise")
		}
	}
	for _, name := range strings.FieldsFunc(names, func(r rune) bool { return strings.ContainsRune("、,，;；\n", r) }) {
		e, err := enterpriseNamed(ctx, tx, strings.TrimSpace(name))
		if err != nil {
			return err
		}
		if e > 0 {
			ids = append(ids, e)
		}
	}
	seen := map[int64]bool{}
	for _, e := range ids {
		if seen[e] {
			continue
		}
		seen[e] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO intelligence_enterprises (intelligence_id, enterprise_id) VALUES (?, ?)`, id, e); err != nil {
			return errs.Wrap(err, "insert intelligence link")
		}
	}
	return nil
}

// enterpriseNamed finds the library's enterprise a text names: by its exact
// name, else the only one whose name begins with it (news says 宁德时代 for
// 宁德时代新能源科技股份有限公司); 0 when none or several.
func enterpriseNamed(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	if utf8.RuneCountInString(name) < 2 {
		return 0, nil
	}
	var e int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM enterprises WHERE name = ? AND archived = ?`, name, false).Scan(&e)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return e, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM enterprises WHERE name LIKE ? ESCAPE '\' AND archived = ? LIMIT 2`, db.Like(name)[1:], false)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var found []int64
	for rows.Next() {
		if err := rows.Scan(&e); err != nil {
			return 0, err
		}
		found = append(found, e)
	}
	if len(found) != 1 {
		return 0, rows.Err()
	}
	return found[0], rows.Err()
}

// CreateItem adds an item to the feed.
func (s *Service) CreateItem(ctx context.Context, a *org.Actor, in ItemInput) (Item, error) {
	if err := in.Validate(); err != nil {
		return Item{}, err
	}
	var out Item
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := checkRegion(ctx, tx, in.Region); err != nil {
			return err
		}
		id, err := s.insertItem(ctx, tx, a, in)
		if err != nil {
			return err
		}
		if out, err = getItem(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("intelligence.create", "intelligence", id, nil, out))
	})
	return out, err
}

// UpdateItem edits an item.
func (s *Service) UpdateItem(ctx context.Context, a *org.Actor, id int64, in ItemInput) (Item, error) {
	if err := in.Validate(); err != nil {
		return Item{}, err
	}
	var out Item
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		before, err := getItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkRegion(ctx, tx, in.Region); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE intelligence SET title = ?, published_on = ?, source = ?, summary = ?, region = ?, enterprises = ?,
			chain_links = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Title, in.PublishedOn, in.Source, in.Summary, in.Region, in.Enterprises, in.ChainLinks, s.now(), id, in.Version)
		if err := db.OneRow(res, err, before); err != nil {
			return err
		}
		if err := writeLinks(ctx, tx, id, in.EnterpriseIDs, in.Enterprises); err != nil {
			return err
		}
		if out, err = getItem(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("intelligence.update", "intelligence", id, before, out))
	})
	return out, err
}

// RowError is one refused row of an import (row 1 is the header).
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported int        `json:"imported"`
	Errors   []RowError `json:"errors"`
}

// importColumns: header (Chinese or field name) → field.
var importColumns = map[string]string{
	"标题": "title", "title": "title", "日期": "published_on", "发布日期": "published_on", "published_on": "published_on",
	"来源": "source", "source": "source", "摘要": "summary", "summary": "summary", "地区": "region", "来源地区": "region", "region": "region",
	"涉及企业": "enterprises", "enterprises": "enterprises", "产业链环节": "chain_links", "chain_links": "chain_links",
}

// ImportCSV adds the valid rows of a CSV file (UTF-8 or GBK) to the feed and
// names the refused ones; regions may be codes or Chinese names.
func (s *Service) ImportCSV(ctx context.Context, a *org.Actor, data []byte) (ImportResult, error) {
	rows, err := readCSV(data)
	if err != nil {
		return ImportResult{}, err
	}
	if len(rows) < 2 {
		return ImportResult{}, errs.E(errs.Invalid, "文件没有数据行", "the file has no data rows").Field("file", "没有数据行", "no data rows")
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		if f, ok := importColumns[strings.TrimSpace(h)]; ok {
			idx[f] = i
		}
	}
	if _, ok := idx["title"]; !ok {
		return ImportResult{}, errs.E(errs.Invalid, "缺少“标题”列", "the title column is missing").Field("file", "缺少“标题”列", "no title column")
	}
	if _, ok := idx["published_on"]; !ok {
		return ImportResult{}, errs.E(errs.Invalid, "缺少“日期”列", "the date column is missing").Field("file", "缺少“日期”列", "no date column")
	}
	out := ImportResult{Errors: []RowError{}}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		regions, err := regionCodes(ctx, tx)
		if err != nil {
			return err
		}
		for n, rec := range rows[1:] {
			in, rowErrs := parseRow(rec, idx, regions, n+2)
			for i, c := range rec {
				if !valid.Text(c) && i < len(rows[0]) {
					rowErrs = append(rowErrs, RowError{Row: n + 2, Field: rows[0][i], Message: valid.TextMsg.Zh})
				}
			}
			if len(rowErrs) > 0 {
				out.Errors = append(out.Errors, rowErrs...)
				continue
			}
			if _, err := s.insertItem(ctx, tx, a, in); err != nil {
				return err
			}
			out.Imported++
		}
		sort.SliceStable(out.Errors, func(i, j int) bool { return out.Errors[i].Row < out.Errors[j].Row })
		return audit.Append(ctx, tx, a.Entry("intelligence.import", "intelligence", 0, nil, map[string]any{"imported": out.Imported, "refused": len(out.Errors)}))
	})
	return out, err
}

// readCSV reads the whole file (a feed is some thousands of rows), within
// tabular.IntelligenceLimits.
func readCSV(data []byte) ([][]string, error) {
	src, err := tabular.Open(bytes.NewReader(data), "intelligence.csv", tabular.IntelligenceLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return tabular.ReadAll(src)
}

// regionCodes maps a region's code and Chinese and English names to its code.
func regionCodes(ctx context.Context, q db.Querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, label_zh, label_en FROM dict_items WHERE type = 'source_region' AND enabled = ?`, true)
	if err != nil {
		return nil, errs.Wrap(err, "regions")
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var c, zh, en string
		if err := rows.Scan(&c, &zh, &en); err != nil {
			return nil, errs.Wrap(err, "scan region")
		}
		m[c], m[zh], m[strings.ToLower(en)] = c, c, c
	}
	return m, errs.Wrap(rows.Err(), "regions")
}

func parseRow(rec []string, idx map[string]int, regions map[string]string, row int) (ItemInput, []RowError) {
	cell := func(f string) string {
		if i, ok := idx[f]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	in := ItemInput{Title: cell("title"), Source: cell("source"), Summary: cell("summary"), Enterprises: cell("enterprises"), ChainLinks: cell("chain_links")}
	var out []RowError
	if d, err := civil.Parse(strings.ReplaceAll(cell("published_on"), "/", "-")); err == nil {
		in.PublishedOn = d
	} else {
		out = append(out, RowError{row, "published_on", "日期应为 YYYY-MM-DD"})
	}
	if r := cell("region"); r != "" {
		code, ok := regions[r]
		if !ok {
			code, ok = regions[strings.ToLower(r)]
		}
		if !ok {
			out = append(out, RowError{row, "region", "地区不在数据字典中：" + r})
		}
		in.Region = code
	}
	if err := in.Validate(); err != nil {
		for f, m := range errs.As(err).Fields {
			if f != "published_on" || len(out) == 0 || out[0].Field != "published_on" {
				out = append(out, RowError{row, f, m.Zh})
			}
		}
	}
	return in, out
}
