// Package notice is the information exchange between the commission office
// and the units (R10): notices with read receipts, and the units' monthly
// feedback reports collected on a schedule, with late ones listed.
package notice

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Service is what users do with notices and feedback reports.
type Service struct {
	DB  *db.DB
	Now func() time.Time
}

// New builds the service.
func New(d *db.DB) *Service { return &Service{DB: d, Now: time.Now} }

func (s *Service) now() time.Time { return s.Now().UTC() }

// UnitRef is a recipient unit.
type UnitRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Notice is a notice as the API shows it. ReadAt is the caller's own read
// receipt (null while unread); ReadCount counts readers across recipients.
type Notice struct {
	ID           int64      `json:"id"`
	Title        string     `json:"title"`
	Body         string     `json:"body"`
	FromUnitID   int64      `json:"from_unit_id"`
	FromUnitName string     `json:"from_unit_name"`
	SentByName   string     `json:"sent_by_name"`
	SentAt       time.Time  `json:"sent_at"`
	Units        []UnitRef  `json:"units"`
	ReadAt       *time.Time `json:"read_at"`
	ReadCount    int        `json:"read_count"`
}

// Input sends a notice to units (each reaches the users of the unit and of
// the units below it).
type Input struct {
	Title   string  `json:"title"`
	Body    string  `json:"body"`
	UnitIDs []int64 `json:"unit_ids"`
}

// Validate checks the request.
func (in *Input) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	var v errs.Validation
	if n := utf8.RuneCountInString(in.Title); n == 0 || n > 200 {
		v.Add("title", "标题必填，最多 200 字", "required, at most 200 characters")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Body)); n == 0 || n > 10000 {
		v.Add("body", "正文必填，最多 10000 字", "required, at most 10,000 characters")
	}
	if len(in.UnitIDs) == 0 || len(in.UnitIDs) > 200 {
		v.Add("unit_ids", "请选择接收单位（最多 200 个）", "choose the receiving units (at most 200)")
	}
	return v.Err()
}

const noticeCols = `n.id, n.title, n.body, n.from_unit_id, fu.name, COALESCE(su.display_name, ''), n.sent_at,
	mr.read_at,
	(SELECT COUNT(*) FROM notice_reads r WHERE r.notice_id = n.id)`

// noticeFrom joins the caller's own receipt: its one placeholder is the caller's user id.
const noticeFrom = ` FROM notices n JOIN units fu ON fu.id = n.from_unit_id LEFT JOIN users su ON su.id = n.sent_by
	LEFT JOIN notice_reads mr ON mr.notice_id = n.id AND mr.user_id = ?`

// inboxSQL: the notice reaches the actor's unit (sent to it or to a unit above it).
const inboxSQL = `EXISTS (SELECT 1 FROM notice_units nu JOIN units ru ON ru.id = nu.unit_id
	WHERE nu.notice_id = n.id AND ? LIKE ru.path || '%')`

func scanNotice(sc interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	var readAt sql.NullTime
	err := sc.Scan(&n.ID, &n.Title, &n.Body, &n.FromUnitID, &n.FromUnitName, &n.SentByName, &n.SentAt, &readAt, &n.ReadCount)
	if readAt.Valid {
		t := readAt.Time.UTC()
		n.ReadAt = &t
	}
	n.Units = []UnitRef{}
	return n, err
}

// visible: in the actor's inbox, or sent from a unit of the actor's scope.
func visible(a *org.Actor) (string, []any) {
	cond, args := a.ScopeSQL("n.from_unit_id", "n.sent_by")
	return "(" + inboxSQL + " OR " + cond + ")", append([]any{a.UnitPath}, args...)
}

func (s *Service) get(ctx context.Context, q db.Querier, a *org.Actor, id int64, cond string, args []any) (Notice, error) {
	n, err := scanNotice(q.QueryRowContext(ctx, `SELECT `+noticeCols+noticeFrom+` WHERE n.id = ? AND `+cond,
		append([]any{a.UserID, id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return n, errs.NotFoundf("通知", "notice")
	}
	if err != nil {
		return n, errs.Wrap(err, "get notice")
	}
	list := []Notice{n}
	return list[0], fillUnits(ctx, q, list)
}

func fillUnits(ctx context.Context, q db.Querier, ns []Notice) error {
	if len(ns) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph, args := make([]string, len(ns)), make([]any, len(ns))
	for i, n := range ns {
		idx[n.ID], ph[i], args[i] = i, "?", n.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT nu.notice_id, u.id, u.name FROM notice_units nu JOIN units u ON u.id = nu.unit_id
		WHERE nu.notice_id IN (`+strings.Join(ph, ",")+`) ORDER BY u.sort, u.id`, args...)
	if err != nil {
		return errs.Wrap(err, "notice units")
	}
	defer rows.Close()
	for rows.Next() {
		var nid int64
		var u UnitRef
		if err := rows.Scan(&nid, &u.ID, &u.Name); err != nil {
			return errs.Wrap(err, "scan notice unit")
		}
		ns[idx[nid]].Units = append(ns[idx[nid]].Units, u)
	}
	return errs.Wrap(rows.Err(), "notice units")
}

// Get returns a notice the actor received or sent (404 otherwise).
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Notice, error) {
	cond, args := visible(a)
	return s.get(ctx, s.DB.Reader(), a, id, cond, args)
}

// Send sends a notice from the actor's unit.
func (s *Service) Send(ctx context.Context, a *org.Actor, in Input) (Notice, error) {
	if err := in.Validate(); err != nil {
		return Notice{}, err
	}
	var out Notice
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = s.SendIn(ctx, tx, a, in)
		return err
	})
	return out, err
}

// SendIn sends a notice inside another capability's transaction (a
// project's duplicate override tells the other unit); in is valid.
func (s *Service) SendIn(ctx context.Context, tx *db.Tx, a *org.Actor, in Input) (Notice, error) {
	var out Notice
	seen := map[int64]bool{}
	for _, u := range in.UnitIDs {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = ? AND status = 'active'`, u).Scan(&n); err != nil {
			return out, errs.Wrap(err, "check unit")
		}
		if n == 0 {
			return out, errs.E(errs.Invalid, "接收单位不存在或已撤销", "a receiving unit does not exist or is closed").Field("unit_ids", "单位无效", "invalid unit")
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO notices (title, body, from_unit_id, sent_by, sent_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		in.Title, in.Body, a.UnitID, db.NullID(a.UserID), s.now()).Scan(&id)
	if err != nil {
		return out, errs.Wrap(err, "insert notice")
	}
	for _, u := range in.UnitIDs {
		if seen[u] {
			continue
		}
		seen[u] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_units (notice_id, unit_id) VALUES (?, ?)`, id, u); err != nil {
			return out, errs.Wrap(err, "insert notice unit")
		}
	}
	if out, err = s.get(ctx, tx, a, id, "1=1", nil); err != nil {
		return out, err
	}
	return out, audit.Append(ctx, tx, a.Entry("notice.send", "notice", id, nil, out))
}

// MarkRead records that the actor read a notice addressed to them (once;
// reading again keeps the first time).
func (s *Service) MarkRead(ctx context.Context, a *org.Actor, id int64) (Notice, error) {
	var out Notice
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		n, err := s.get(ctx, tx, a, id, inboxSQL, []any{a.UnitPath})
		if err != nil {
			return err
		}
		if n.ReadAt != nil {
			out = n
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_reads (notice_id, user_id, unit_id, read_at) VALUES (?, ?, ?, ?)`,
			id, a.UserID, a.UnitID, s.now()); err != nil {
			return errs.Wrap(err, "read receipt")
		}
		if out, err = s.get(ctx, tx, a, id, "1=1", nil); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a.Entry("notice.read", "notice", id, nil, map[string]any{"read_at": out.ReadAt}))
	})
	return out, err
}

// Filter of the notice list: box "inbox" (default) or "sent"; unread only.
type Filter struct {
	Box           string
	Unread        bool
	Limit, Offset int
}

// List returns the actor's notices, newest first.
func (s *Service) List(ctx context.Context, a *org.Actor, f Filter) ([]Notice, int, error) {
	var w db.Where
	switch f.Box {
	case "", "inbox":
		w.Add(inboxSQL, a.UnitPath)
		if f.Unread {
			w.Add(`NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.notice_id = n.id AND r.user_id = ?)`, a.UserID)
		}
	case "sent":
		cond, args := a.ScopeSQL("n.from_unit_id", "n.sent_by")
		w.Add(cond, args...)
	default:
		return nil, 0, errs.E(errs.Invalid, "box 应为 inbox 或 sent", "box is inbox or sent").Field("box", "应为 inbox 或 sent", "inbox or sent")
	}
	q := s.DB.Reader()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices n`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "count notices")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+noticeCols+noticeFrom+w.SQL()+` ORDER BY n.sent_at DESC, n.id DESC LIMIT ? OFFSET ?`,
		append(append([]any{a.UserID}, w.Args()...), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "list notices")
	}
	defer rows.Close()
	out := []Notice{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, errs.Wrap(err, "scan notice")
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, errs.Wrap(err, "list notices")
	}
	return out, total, fillUnits(ctx, q, out)
}

// Receipt is one recipient unit and who there read the notice, when.
type Receipt struct {
	UnitID   int64    `json:"unit_id"`
	UnitName string   `json:"unit_name"`
	Read     bool     `json:"read"`
	Readers  []Reader `json:"readers"`
}

// Reader is one read receipt.
type Reader struct {
	UserName string    `json:"user_name"`
	UnitName string    `json:"unit_name"`
	ReadAt   time.Time `json:"read_at"`
}

// Receipts: for the sender's side (scope over the sending unit), each
// recipient unit with its readers.
func (s *Service) Receipts(ctx context.Context, a *org.Actor, id int64) ([]Receipt, error) {
	q := s.DB.Reader()
	cond, args := a.ScopeSQL("n.from_unit_id", "n.sent_by")
	n, err := s.get(ctx, q, a, id, cond, args)
	if err != nil {
		return nil, err
	}
	out := make([]Receipt, len(n.Units))
	for i, u := range n.Units {
		out[i] = Receipt{UnitID: u.ID, UnitName: u.Name, Readers: []Reader{}}
	}
	rows, err := q.QueryContext(ctx, `SELECT ru.id, us.display_name, uu.name, r.read_at FROM notice_reads r
		JOIN users us ON us.id = r.user_id JOIN units uu ON uu.id = r.unit_id
		JOIN notice_units nu ON nu.notice_id = r.notice_id JOIN units ru ON ru.id = nu.unit_id AND uu.path LIKE ru.path || '%'
		WHERE r.notice_id = ? ORDER BY r.read_at`, id)
	if err != nil {
		return nil, errs.Wrap(err, "receipts")
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var r Reader
		if err := rows.Scan(&uid, &r.UserName, &r.UnitName, &r.ReadAt); err != nil {
			return nil, errs.Wrap(err, "scan receipt")
		}
		r.ReadAt = r.ReadAt.UTC()
		for i := range out {
			if out[i].UnitID == uid {
				out[i].Read = true
				out[i].Readers = append(out[i].Readers, r)
			}
		}
	}
	return out, errs.Wrap(rows.Err(), "receipts")
}
