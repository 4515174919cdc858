package enterprise

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/memlimit"
	"github.com/zhaoqing/attract/internal/platform/money"
	"github.com/zhaoqing/attract/internal/platform/tabular"
	"github.com/zhaoqing/attract/internal/platform/uscc"
	"github.com/zhaoqing/attract/internal/platform/valid"
	"github.com/zhaoqing/attract/internal/region"
)

// An import upserts on the credit code: a new code adds an enterprise, a
// known one updates it. Empty cells keep what the library already holds (a
// commercial data file rarely has every column), a changed name moves the old
// one among the former names, and the owner unit and courting status are the
// library's own and never imported. Rows with errors are reported and left
// out; the good rows land in one transaction on PostgreSQL, in segments on
// SQLite (import_stream.go), each counted in the job that runs the import.

// MaxErrors is how many row errors a result keeps (and a job's error file
// holds); the count is always exact.
const MaxErrors = 10000

// MaxUpload is the largest file an import takes (as uploaded).
const MaxUpload = 200 << 20

// ImportResult says what an import did (or, dry, would do).
type ImportResult struct {
	Total     int        `json:"total"`    // data rows read
	Valid     int        `json:"valid"`    // rows without errors
	Failed    int        `json:"failed"`   // rows with errors
	Inserted  int        `json:"inserted"` // new enterprises
	Updated   int        `json:"updated"`  // enterprises already in the library
	Errors    []RowError `json:"errors"`   // the first MaxErrors, by row
	Truncated bool       `json:"truncated"`
	Preview   []Record   `json:"preview"` // the first valid rows (dry run)
	DryRun    bool       `json:"dry_run"`
	Seconds   float64    `json:"seconds"`
}

// Record is one valid row, ready to write. Empty fields keep stored values.
type Record struct {
	CreditCode  string `json:"credit_code"`
	Name        string `json:"name"`
	FormerNames string `json:"former_names"` // "\n"-separated
	Industry    string `json:"industry_code"`
	Region      string `json:"region_code"`
	Capital     int64  `json:"registered_capital"` // hundredths of 万元; 0: keep
	FoundedOn   string `json:"founded_on"`
	Revenue     *int64 `json:"revenue"`
	Staff       *int64 `json:"staff"`
	Listing     string `json:"listing_code"`
	Tags        string `json:"tags"` // comma-separated codes
	ExpandedOn  string `json:"expanded_on"`
	IsTarget    bool   `json:"is_target"`
}

// Progress reports an import's phase ("read", "write", "index") and rows done.
type Progress func(phase string, done, total int)

// parser turns rows into records, collecting errors.
type parser struct {
	idx    map[string]int
	tags   map[string]string // label or code → code
	city   string
	today  string
	seen   codeMap[int] // credit code → first row
	res    *ImportResult
	locked map[string]bool // credit codes of enterprises other units court (PUT would refuse them)
	run    *jobRun         // the job importing, if any
	rowErr bool
	row    int
	cells  []string
}

func (p *parser) cell(field string) string {
	i, ok := p.idx[field]
	if !ok || i >= len(p.cells) {
		return ""
	}
	s := strings.TrimSpace(p.cells[i])
	if !valid.Text(s) {
		// One row with a NUL is that row's error, not the job's failure.
		p.fail(field, valid.TextMsg.Zh, valid.TextMsg.En)
		return ""
	}
	return s
}

func (p *parser) fail(field, zh, en string) {
	p.rowErr = true
	if len(p.res.Errors) >= MaxErrors {
		p.res.Truncated = true
		return
	}
	name := tabular.ColumnName(columns, field)
	if n := len(p.res.Errors); n > 0 && p.res.Errors[n-1].Row == p.row && p.res.Errors[n-1].Column == name {
		return // the cell's first error says it (a refused character, not also "required")
	}
	p.res.Errors = append(p.res.Errors, RowError{Row: p.row, Column: name, Message: zh, MessageEn: en})
}

func (p *parser) amount(field string) (int64, bool) {
	s := strings.ReplaceAll(p.cell(field), ",", "")
	if s == "" {
		return 0, false
	}
	c, err := money.Parse(s)
	if err != nil || c < 0 {
		p.fail(field, "应为不小于 0、最多两位小数的数字", "must be a number ≥ 0 with at most two decimals")
		return 0, false
	}
	return int64(c), true
}

var dateSeparators = strings.NewReplacer("/", "-", ".", "-") // built once: a million dates would build it a million times

func (p *parser) date(field string) string {
	s := p.cell(field)
	if s == "" {
		return ""
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 1000 && n < 100000 {
		// An Excel date serial: days since 1899-12-30.
		s = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)).Format("2006-01-02")
	}
	s = dateSeparators.Replace(s)
	d, err := civil.Parse(s)
	if err != nil {
		p.fail(field, "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		return ""
	}
	if d.String() > p.today {
		p.fail(field, "日期不能晚于今天", "must not be in the future")
		return ""
	}
	return d.String()
}

// parse reads one data row; ok is false when it has errors.
func (p *parser) parse(row int, cells []string) (Record, bool) {
	p.row, p.cells, p.rowErr = row, cells, false
	var r Record
	r.CreditCode = strings.ToUpper(p.cell("credit_code"))
	switch {
	case r.CreditCode == "":
		p.fail("credit_code", "统一社会信用代码必填", "credit code is required")
	case !uscc.Valid(r.CreditCode):
		p.fail("credit_code", "统一社会信用代码格式或校验位有误", "not a valid unified social credit code (GB 32100)")
	case p.locked[r.CreditCode]:
		p.fail("credit_code", "该企业由其他单位负责对接，不能通过导入修改", "another unit courts this enterprise; an import cannot change it")
	default:
		if first, dup := p.seen.get(r.CreditCode); dup {
			p.fail("credit_code", fmt.Sprintf("与第 %d 行的统一社会信用代码重复", first), fmt.Sprintf("same credit code as row %d", first))
		} else {
			p.seen.put(r.CreditCode, row)
		}
	}
	r.Name = p.cell("name")
	if r.Name == "" || len([]rune(r.Name)) > 100 {
		p.fail("name", "企业名称必填，最多 100 个字", "name is required, at most 100 characters")
	}
	if f := p.cell("former_names"); f != "" {
		parts := strings.FieldsFunc(f, func(c rune) bool { return c == ';' || c == '；' || c == '\n' })
		var keep []string
		for _, s := range parts {
			if s = strings.TrimSpace(s); s != "" && s != r.Name {
				keep = append(keep, s)
			}
		}
		r.FormerNames = strings.Join(keep, "\n")
	}
	if r.Industry = p.cell("industry_code"); r.Industry != "" {
		r.Industry = strings.TrimLeft(r.Industry, "ABCDEFGHIJKLMNOPQRST") // "C3612" → "3612"
		if _, ok := industry.Lookup(r.Industry); !ok {
			p.fail("industry_code", "行业代码不在国民经济行业分类（GB/T 4754-2017）中", "not a GB/T 4754-2017 code")
		}
	}
	if r.Region = p.cell("region_code"); r.Region != "" {
		if _, ok := region.Lookup(r.Region); !ok {
			p.fail("region_code", "行政区划代码不存在", "unknown administrative division code")
		}
	}
	r.IsTarget = !region.Within(r.Region, p.city)
	r.Capital, _ = p.amount("registered_capital")
	if v, ok := p.amount("revenue"); ok {
		r.Revenue = &v
	}
	if s := p.cell("staff"); s != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil || n < 0 || !valid.Int32(n) {
			p.fail("staff", "从业人数应为不小于 0 的整数", "must be a whole number ≥ 0")
		} else {
			r.Staff = &n
		}
	}
	r.FoundedOn = p.date("founded_on")
	r.ExpandedOn = p.date("expanded_on")
	r.Listing = p.cell("listing_code")
	if t := p.cell("tags"); t != "" {
		var codes []string
		for _, s := range strings.FieldsFunc(t, func(c rune) bool { return c == ',' || c == '，' || c == ';' || c == '；' || c == '、' }) {
			code, ok := p.tags[strings.TrimSpace(s)]
			if !ok {
				p.fail("tags", "未知的企业标签："+s, "unknown tag: "+s)
				continue
			}
			codes = append(codes, code)
		}
		r.Tags = strings.Join(codes, ",")
	}
	return r, !p.rowErr
}

// tagLookup maps a tag's code and both its labels to its code.
func (s *Service) tagLookup(ctx context.Context) (map[string]string, error) {
	labels, err := TagLabels(ctx, s.DB.Reader())
	m := map[string]string{}
	for code, l := range labels {
		m[code], m[l[0]], m[l[1]] = code, code, code
	}
	return m, err
}

// Import reads a CSV or XLSX of enterprises and, unless dry, writes its
// valid rows. The audit log records the import as one entry (file, counts).
func (s *Service) Import(ctx context.Context, a *org.Actor, r io.Reader, filename string, dry bool, progress Progress) (ImportResult, error) {
	return s.importAs(ctx, a, r, filename, dry, progress, nil)
}

// importAs is Import, counted in run's row when it is a job's.
func (s *Service) importAs(ctx context.Context, a *org.Actor, r io.Reader, filename string, dry bool, progress Progress, run *jobRun) (ImportResult, error) {
	started := time.Now()
	if progress == nil {
		progress = func(string, int, int) {}
	}
	res := ImportResult{Errors: []RowError{}, Preview: []Record{}, DryRun: dry}
	hint := rowsHint(r, filename)
	src, err := openTable(r, filename)
	if err != nil {
		return res, err
	}
	defer src.Close()
	header, _, err := src.Next()
	if errors.Is(err, io.EOF) {
		return res, errs.E(errs.Invalid, "文件是空的", "the file is empty").Field("file", "没有表头", "no header row")
	} else if err != nil {
		return res, err
	}
	idx, headErrs := headerIndex(header)
	if len(headErrs) > 0 {
		res.Errors = headErrs
		res.Failed = 0
		return res, errs.E(errs.Invalid, "表头缺少必填列", "the header lacks required columns").Field("file", headErrs[0].Message, headErrs[0].MessageEn)
	}
	tags, err := s.tagLookup(ctx)
	if err != nil {
		return res, err
	}
	locked, err := lockedCodes(ctx, s.DB.Reader(), a)
	if err != nil {
		return res, err
	}
	p := &parser{idx: idx, tags: tags, city: s.City, today: s.today().String(), res: &res, locked: locked, run: run}
	each := func(fn func(Record) error) error { return p.each(ctx, src, progress, fn) }
	if !dry && hint >= largeImport {
		defer memlimit.During(int64(hint) * indexBytesPerRow)()
	}
	switch {
	case dry:
		err = each(func(Record) error { return nil })
	case s.DB.Dialect == db.Postgres:
		// Rows are written as they are read (import_stream.go).
		err = s.streamPostgres(ctx, a, each, hint, filename, &res, progress, run)
	default:
		err = s.stream(ctx, a, each, hint, filename, &res, progress, run)
	}
	res.Seconds = time.Since(started).Seconds()
	return res, err
}

// largeImport is the expected rows from which an import runs the
// collector with less headroom (platform/memlimit); indexBytesPerRow is
// what a row adds to the search index (488 MB of heap for 2,000,000 rows,
// docs/performance.md).
const (
	largeImport      = 50_000
	indexBytesPerRow = 256
)

// rowsHint is the rows a CSV that can say its size is expected to hold
// (the next index is sized by it); 0 for anything else.
func rowsHint(r io.Reader, filename string) int {
	sk, ok := r.(io.Seeker)
	if !ok || !strings.HasSuffix(strings.ToLower(filename), ".csv") {
		return 0
	}
	at, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0
	}
	end, err := sk.Seek(0, io.SeekEnd)
	if _, err2 := sk.Seek(at, io.SeekStart); err != nil || err2 != nil {
		return 0
	}
	return int(min((end-at)*rowsPerMB>>20, int64(tabular.EnterpriseLimits.Rows)))
}

// each reads the data rows, calling fn with each valid one; errors are
// collected in the result, a row that cannot be read at all ends the import.
func (p *parser) each(ctx context.Context, src tabular.Source, progress Progress, fn func(Record) error) error {
	res := p.res
	for {
		cells, row, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err // the tabular package's, naming the row
		}
		if tabular.Blank(cells) {
			continue
		}
		res.Total++
		rec, ok := p.parse(row, cells)
		if !ok {
			res.Failed++
			continue
		}
		res.Valid++
		if len(res.Preview) < 20 {
			res.Preview = append(res.Preview, rec)
		}
		if err := fn(rec); err != nil {
			return err
		}
		if res.Total%chunkRows == 0 {
			progress("read", res.Total, 0)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	p.run.read(res.Total, res.Failed)
	progress("read", res.Total, res.Total)
	return nil
}

func importSummary(filename string, res *ImportResult) map[string]any {
	return map[string]any{"file": filename, "total": res.Total, "valid": res.Valid, "failed": res.Failed,
		"inserted": res.Inserted, "updated": res.Updated}
}

// upsertOn is the conflict clause both databases share: empty cells keep the
// stored value, a new name pushes the old one into the former names.
const upsertOn = ` ON CONFLICT (credit_code) DO UPDATE SET
	name = excluded.name,
	former_names = CASE WHEN excluded.name = enterprises.name
		THEN CASE WHEN excluded.former_names = '' THEN enterprises.former_names ELSE excluded.former_names END
		ELSE %[2]s(CASE WHEN excluded.former_names = '' THEN enterprises.former_names ELSE excluded.former_names END || %[1]s || enterprises.name, %[1]s) END,
	industry_code = CASE WHEN excluded.industry_code = '' THEN enterprises.industry_code ELSE excluded.industry_code END,
	region_code = CASE WHEN excluded.region_code = '' THEN enterprises.region_code ELSE excluded.region_code END,
	registered_capital = CASE WHEN excluded.registered_capital = 0 THEN enterprises.registered_capital ELSE excluded.registered_capital END,
	founded_on = COALESCE(excluded.founded_on, enterprises.founded_on),
	revenue = COALESCE(excluded.revenue, enterprises.revenue),
	staff = COALESCE(excluded.staff, enterprises.staff),
	listing_code = CASE WHEN excluded.listing_code = '' THEN enterprises.listing_code ELSE excluded.listing_code END,
	tags = CASE WHEN excluded.tags = '' THEN enterprises.tags ELSE excluded.tags END,
	expanded_on = COALESCE(excluded.expanded_on, enterprises.expanded_on),
	gen = excluded.gen, version = enterprises.version + 1, updated_at = excluded.updated_at`

const insertCols = `credit_code, name, former_names, industry_code, region_code, registered_capital, founded_on, revenue, staff,
	listing_code, tags, is_target, expanded_on, gen, created_at, updated_at`

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// MarshalJSON writes a record's amounts in 万元, as the rest of the API does.
func (r Record) MarshalJSON() ([]byte, error) {
	type plain Record
	var revenue *money.Cents
	if r.Revenue != nil {
		c := money.Cents(*r.Revenue)
		revenue = &c
	}
	return json.Marshal(struct {
		plain
		Capital money.Cents  `json:"registered_capital"`
		Revenue *money.Cents `json:"revenue"`
	}{plain(r), money.Cents(r.Capital), revenue})
}

// UnmarshalJSON reads what MarshalJSON writes (a job's stored result).
func (r *Record) UnmarshalJSON(b []byte) error {
	type plain Record
	var v struct {
		plain
		Capital money.Cents  `json:"registered_capital"`
		Revenue *money.Cents `json:"revenue"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Record(v.plain)
	r.Capital, r.Revenue = int64(v.Capital), nil
	if v.Revenue != nil {
		c := int64(*v.Revenue)
		r.Revenue = &c
	}
	return nil
}
