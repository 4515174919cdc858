package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Filter narrows an audit search. From and To are days in Asia/Shanghai, both included.
type Filter struct {
	From, To   civil.Date
	Username   string
	Action     string // exact, or a prefix ending in "." ("unit.")
	ObjectType string
	ObjectID   string
	SigninOnly bool // only auth.* rows (the sign-in log)
	Result     string
	Limit      int
	Offset     int
}

func (f Filter) where() db.Where {
	var w db.Where
	if !f.From.IsZero() {
		w.Add("a.at >= ?", dayStart(f.From))
	}
	if !f.To.IsZero() {
		w.Add("a.at < ?", dayStart(f.To.AddDays(1)))
	}
	if f.Username != "" {
		w.Add("a.username = ?", f.Username)
	}
	switch {
	case f.Action != "" && f.Action[len(f.Action)-1] == '.':
		w.Add(`a.action LIKE ? ESCAPE '\'`, db.Like(f.Action)[1:])
	case f.Action != "":
		w.Add("a.action = ?", f.Action)
	}
	if f.ObjectType != "" {
		w.Add("a.object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		w.Add("a.object_id = ?", f.ObjectID)
	}
	if f.SigninOnly {
		switch f.Result {
		case "success":
			w.Add("a.action = 'auth.login'")
		case "failure":
			w.Add("a.action = 'auth.login_failed'")
		default:
			w.Add("a.action IN ('auth.login', 'auth.login_failed', 'auth.logout')")
		}
	}
	return w
}

// dayStart is midnight in Asia/Shanghai of a day, as a UTC instant.
func dayStart(d civil.Date) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, d.String(), civil.Shanghai)
	return t.UTC()
}

// Search returns matching rows, newest first, and their total.
func Search(ctx context.Context, q db.Querier, f Filter) ([]Row, int, error) {
	w := f.where()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log a`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "count audit")
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.at, a.user_id, a.username, a.unit_id, COALESCE(u.name, ''), a.client_addr,
		a.action, a.object_type, a.object_id, a.before_json, a.after_json, a.hash
		FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id`+w.SQL()+` ORDER BY a.id DESC LIMIT ? OFFSET ?`,
		append(w.Args(), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "search audit")
	}
	defer rows.Close()
	out := []Row{}
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.UnitID, &r.UnitName, &r.ClientAddr,
			&r.Action, &r.ObjectType, &r.ObjectID, &r.Before, &r.After, &r.Hash); err != nil {
			return nil, 0, errs.Wrap(err, "scan audit")
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	return out, total, errs.Wrap(rows.Err(), "search audit")
}

// Signin is a row of the sign-in log.
type Signin struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Username   string    `json:"username"`
	UserID     *int64    `json:"user_id"`
	UnitName   string    `json:"unit_name"`
	ClientAddr string    `json:"client_addr"`
	UserAgent  string    `json:"user_agent"`
	Event      string    `json:"event"` // login, login_failed, logout
	Result     string    `json:"result"`
	Reason     string    `json:"reason"`
}

// Signins is the sign-in log: the auth.* rows of the audit chain.
func Signins(ctx context.Context, q db.Querier, f Filter) ([]Signin, int, error) {
	f.SigninOnly = true
	rows, total, err := Search(ctx, q, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Signin, 0, len(rows))
	for _, r := range rows {
		s := Signin{ID: r.ID, At: r.At, Username: r.Username, UserID: r.UserID, UnitName: r.UnitName, ClientAddr: r.ClientAddr,
			Event: r.Action[len("auth."):], Result: "success"}
		var m map[string]string // written by auth: result, reason, user_agent
		_ = json.Unmarshal([]byte(r.After), &m)
		if m["result"] != "" {
			s.Result = m["result"]
		}
		s.Reason, s.UserAgent = m["reason"], m["user_agent"]
		out = append(out, s)
	}
	return out, total, nil
}
