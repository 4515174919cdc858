package bench

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/zhaoqing/attract/internal/chain"
	"github.com/zhaoqing/attract/internal/enterprise"
	"github.com/zhaoqing/attract/internal/enterprise/synth"
	"github.com/zhaoqing/attract/internal/industry"
	"github.com/zhaoqing/attract/internal/platform/db"
)

// The enterprise figures: import rate, name search p95 through
// HTTP, and the chain map of a 200-link chain, each beside the reference the
// issue names, measured on the same generated rows in the same run.

func (m *measure) enterprises(ctx context.Context, city *client) error {
	n := m.sc.Enterprises
	if n == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "attract-bench-ent-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rows := synth.Rows(2026, n)
	// Two-character pieces of names for the load generator's searches.
	wr := rand.New(rand.NewPCG(9, 16))
	m.words = m.words[:0]
	for range 200 {
		m.words = append(m.words, piece(wr, rows, 2))
	}
	file := filepath.Join(dir, "enterprises.csv")
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := synth.WriteCSV(w, rows); err != nil {
		return err
	}
	w.Flush()
	f.Close()

	// The reference first (the page cache then favours neither).
	refName, refSecs, refQuery, err := m.enterpriseReference(ctx, file, rows, dir)
	if err != nil {
		m.logf("%s: enterprise reference failed: %v", m.e.t.name, err)
	}

	// The server does not hold the generated rows: they go before the import
	// (its memory is measured against the process's) and come back after it.
	rows = nil
	a := m.e.app
	actor, err := a.ActorByName(ctx, cityUser)
	if err != nil {
		return err
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	size, _ := in.Stat()
	start := time.Now()
	var res enterprise.ImportResult
	peak, err := peakDuring(func() error {
		var err error
		res, err = a.Enterprise.Import(ctx, actor, in, "enterprises.csv", false, nil)
		return err
	})
	in.Close()
	if err != nil {
		return fmt.Errorf("%s: enterprise import: %w", m.e.t.name, err)
	}
	secs := time.Since(start).Seconds()
	rows = synth.Rows(2026, n)
	m.logf("%s: imported %d enterprises in %.1fs (%d failed; load average %s)", m.e.t.name, res.Inserted, secs, res.Failed, loadAverage())
	goalSecs := float64(n) / 65000
	if m.e.app.DB.Dialect == db.Postgres {
		goalSecs = refSecs // faster than COPY + GIN
	}
	r := Result{Name: m.name(fmt.Sprintf("enterprise import, %d rows (CSV, validated, upsert, index built)", n)), Unit: "s", Value: secs, Goal: goal(round(goalSecs, 2))}
	if refName != "" {
		r.Reference = &Reference{Name: refName + " (s)", Value: refSecs}
	}
	m.add(r)
	rate := Result{Name: m.name("enterprise import rate"), Unit: "rows/s", Value: round(float64(n)/secs, 0), Goal: goal(65000), Min: true}
	if m.e.app.DB.Dialect == db.Postgres {
		rate.Goal = nil
		if refSecs > 0 {
			rate.Goal = goal(round(float64(n)/refSecs, 0)) // COPY + GIN's
		}
	}
	if refSecs > 0 {
		rate.Reference = &Reference{Name: refName + " (rows/s)", Value: round(float64(n)/refSecs, 0)}
	}
	m.add(rate)
	m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("%s: enterprise import of %d rows: %.0f rows/s, reference %s %.0f rows/s (ratio %.2f); load average after: %s",
		m.e.t.name, n, float64(n)/secs, refName, float64(n)/refSecs, refSecs/secs, loadAverage()))
	m.memory(fmt.Sprintf("enterprise import, %.0f MB CSV", mb(uint64(size.Size()))), peak)

	// Name search through HTTP: random two- and three-character pieces of
	// names, one filter, sorted, top 20 with the exact total.
	rnd := rand.New(rand.NewPCG(4, 12))
	for _, size := range []int{2, 3} {
		var ds []time.Duration
		big := 0
		for i := -10; i < m.sc.SearchCalls; i++ {
			q := url.Values{"q": {piece(rnd, rows, size)}, "page_size": {"20"}, "sort": {[]string{"capital", "name"}[rnd.IntN(2)]}}
			switch rnd.IntN(4) {
			case 0:
				q.Set("industry", synth.Trades[rnd.IntN(len(synth.Trades))].Industry[:2])
			case 1:
				q.Set("region", synth.Places[rnd.IntN(len(synth.Places))].Code)
			case 2:
				q.Set("tag", "high_tech")
			default:
				q.Set("capital_min", "10000")
			}
			body, took, err := city.get(ctx, "/api/v1/enterprises?"+q.Encode(), nil)
			if err != nil {
				return fmt.Errorf("%s: search %v: %w", m.e.t.name, q, err)
			}
			var page struct{ Total int }
			_ = json.Unmarshal(body, &page)
			if page.Total > 100000 {
				big++
			}
			if i >= 0 {
				ds = append(ds, took)
			}
		}
		r := Result{Name: m.name(fmt.Sprintf("enterprise name search, %d characters + 1 filter, sorted, top 20 + exact total, p95", size)), Unit: "ms",
			Value: pct(ds, 0.95), Goal: goal(map[bool]float64{true: 30, false: 15}[m.e.app.DB.Dialect == db.Postgres])}
		if ref, ok := refQuery[size]; ok {
			r.Reference = &Reference{Name: ref.name, Value: ref.p95}
		}
		m.add(r)
		m.rep.Breakdown = append(m.rep.Breakdown, Result{Name: m.name(fmt.Sprintf("search %d chars: queries with over 100,000 matches", size)), Unit: "queries", Value: float64(big)})
	}

	// The chain map of a chain with 200 links.
	id, err := m.bigChain(ctx)
	if err != nil {
		return err
	}
	// The first view after the library changed computes every link; later
	// views of the same chain reuse the counts until the next write.
	var ds []time.Duration
	var cold time.Duration
	for i := -1; i < 15; i++ {
		_, took, err := city.get(ctx, fmt.Sprintf("/api/v1/chains/%d/map", id), nil)
		if err != nil {
			return err
		}
		if i < 0 {
			cold = took
		} else {
			ds = append(ds, took)
		}
	}
	m.add(Result{Name: m.name(fmt.Sprintf("chain map, 200 links over %d enterprises, first view after a change", n)), Unit: "ms",
		Value: float64(cold.Microseconds()) / 1000, Goal: goal(200)})
	m.add(Result{Name: m.name(fmt.Sprintf("chain map, 200 links over %d enterprises, repeat views p95", n)), Unit: "ms", Value: pct(ds, 0.95), Goal: goal(200)})
	return nil
}

// piece is a random substring of a random name.
func piece(r *rand.Rand, rows []synth.Row, size int) string {
	name := []rune(rows[r.IntN(len(rows))].Name)
	at := r.IntN(len(name) - size + 1)
	return string(name[at : at+size])
}

// bigChain makes a chain of 4 segments × 50 links over industry classes and
// the trades' words.
func (m *measure) bigChain(ctx context.Context) (int64, error) {
	a := m.e.app
	actor, err := a.ActorByName(ctx, cityUser)
	if err != nil {
		return 0, err
	}
	c, err := a.Chain.CreateChain(ctx, actor, chain.ChainInput{Code: "bench200", Name: "基准测试产业链"})
	if err != nil {
		return 0, err
	}
	codes := industry.Search("3", 400)
	var classes []string
	for _, code := range codes {
		if len(code.Code) == 4 {
			classes = append(classes, code.Code)
		}
	}
	k := 0
	for s := 0; s < 4; s++ {
		seg, err := a.Chain.AddNode(ctx, actor, c.ID, chain.NodeInput{Kind: "segment", Stage: chain.Stages[s%3], Name: fmt.Sprintf("段%d", s)})
		if err != nil {
			return 0, err
		}
		for l := 0; l < 50; l++ {
			tr := synth.Trades[k%len(synth.Trades)]
			in := chain.NodeInput{ParentID: &seg.ID, Kind: "link", Name: fmt.Sprintf("环节%d", k),
				IndustryCodes: []string{classes[k%len(classes)], tr.Industry[:3]}, Keywords: []string{tr.Words[k%len(tr.Words)]}}
			if _, err := a.Chain.AddNode(ctx, actor, c.ID, in); err != nil {
				return 0, err
			}
			k++
		}
	}
	return c.ID, nil
}

type refQ struct {
	name string
	p95  float64
}

// enterpriseReference loads the same rows the way the reference did
// (SQLite: the sqlite3 shell's .import, an FTS5 trigram index and two B-tree
// indexes; PostgreSQL: COPY and a pg_trgm GIN index) and times its queries.
func (m *measure) enterpriseReference(ctx context.Context, file string, rows []synth.Row, dir string) (string, float64, map[int]refQ, error) {
	out := map[int]refQ{}
	rnd := rand.New(rand.NewPCG(4, 12))
	if m.e.app.DB.Dialect == db.Postgres {
		return m.pgReference(ctx, rows, rnd)
	}
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		return "", 0, out, fmt.Errorf("no sqlite3 shell: %w", err)
	}
	path := filepath.Join(dir, "reference.db")
	script := ".mode csv\n.import " + file + " t\n" +
		"CREATE VIRTUAL TABLE fts USING fts5(name, tokenize='trigram');\n" +
		"INSERT INTO fts(rowid, name) SELECT rowid, \"企业名称\" FROM t;\n" +
		"CREATE UNIQUE INDEX t_code ON t(\"统一社会信用代码\");\nCREATE INDEX t_industry ON t(\"行业代码\");\n"
	cmd := exec.CommandContext(ctx, shell, path)
	cmd.Stdin = strings.NewReader(script)
	start := time.Now()
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", 0, out, fmt.Errorf("sqlite3: %v: %s", err, b)
	}
	secs := time.Since(start).Seconds()
	d, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		return "", 0, out, err
	}
	defer d.Close()
	time2 := func(q string, args ...any) (time.Duration, error) {
		s := time.Now()
		rs, err := d.QueryContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		for rs.Next() {
		}
		rs.Close()
		return time.Since(s), rs.Err()
	}
	var scan, fts []time.Duration
	for i := 0; i < 20; i++ {
		t, err := time2(`SELECT COUNT(*) FROM t WHERE "企业名称" LIKE ?`, "%"+piece(rnd, rows, 2)+"%")
		if err != nil {
			return "", 0, out, err
		}
		scan = append(scan, t)
		ind := synth.Trades[rnd.IntN(len(synth.Trades))].Industry[:2]
		q := `"` + piece(rnd, rows, 3) + `"`
		t1, err := time2(`SELECT t.rowid FROM fts JOIN t ON t.rowid = fts.rowid WHERE fts MATCH ? AND t."行业代码" LIKE ? ORDER BY CAST(t."注册资本（万元）" AS REAL) DESC LIMIT 20`, q, ind+"%")
		if err != nil {
			return "", 0, out, err
		}
		t2, err := time2(`SELECT COUNT(*) FROM fts JOIN t ON t.rowid = fts.rowid WHERE fts MATCH ? AND t."行业代码" LIKE ?`, q, ind+"%")
		if err != nil {
			return "", 0, out, err
		}
		fts = append(fts, t1+t2)
	}
	out[2] = refQ{"2-char LIKE scan p95 (ms)", pct(scan, 0.95)}
	out[3] = refQ{"FTS5 trigram + filter + ORDER BY capital, top 20 + count p95 (ms)", pct(fts, 0.95)}
	return "sqlite3 .import + FTS5 trigram + 2 B-tree indexes", secs, out, nil
}

func (m *measure) pgReference(ctx context.Context, rows []synth.Row, rnd *rand.Rand) (string, float64, map[int]refQ, error) {
	out := map[int]refQ{}
	d := m.e.app.DB
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return "", 0, out, err
	}
	defer conn.Close()
	start := time.Now()
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		// The extension may live in another schema than the scratch one.
		if _, err := c.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
			return err
		}
		var opsSchema string
		if err := c.QueryRow(ctx, `SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'`).Scan(&opsSchema); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, `CREATE TABLE ref_enterprises (credit_code text, name text, industry_code text, region_code text, capital numeric)`); err != nil {
			return err
		}
		i := 0
		_, err := c.CopyFrom(ctx, pgx.Identifier{"ref_enterprises"}, []string{"credit_code", "name", "industry_code", "region_code", "capital"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == len(rows) {
					return nil, nil
				}
				r := rows[i]
				i++
				return []any{r.CreditCode, r.Name, r.Industry, r.Region, r.Capital}, nil
			}))
		if err != nil {
			return err
		}
		_, err = c.Exec(ctx, `CREATE INDEX ref_enterprises_name ON ref_enterprises USING gin (name `+opsSchema+`.gin_trgm_ops)`)
		return err
	})
	if err != nil {
		return "", 0, out, err
	}
	secs := time.Since(start).Seconds()
	defer d.W.ExecContext(context.Background(), `DROP TABLE IF EXISTS ref_enterprises`)
	var scan, qs []time.Duration
	for i := 0; i < 10; i++ {
		s := time.Now()
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM ref_enterprises WHERE name LIKE $1`, "%"+piece(rnd, rows, 2)+"%").Scan(&n); err != nil {
			return "", 0, out, err
		}
		scan = append(scan, time.Since(s))
	}
	out[2] = refQ{"2-char LIKE scan p95 (ms)", pct(scan, 0.95)}
	for i := 0; i < 20; i++ {
		s := time.Now()
		var n int
		ind := synth.Trades[rnd.IntN(len(synth.Trades))].Industry[:2]
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM ref_enterprises WHERE name LIKE $1 AND industry_code LIKE $2`,
			"%"+piece(rnd, rows, 3)+"%", ind+"%").Scan(&n); err != nil {
			return "", 0, out, err
		}
		qs = append(qs, time.Since(s))
	}
	out[3] = refQ{"pg_trgm GIN: 3-char LIKE + filter, count p95 (ms)", pct(qs, 0.95)}
	return "COPY + pg_trgm GIN index", secs, out, nil
}
