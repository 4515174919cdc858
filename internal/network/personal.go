package network

import (
	"context"
	"database/sql"
	"errors"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/pii"
)

// The contact lines of advisors, partners and staff (phones, e-mails) are
// personal data: sealed at rest, masked in lists and the audit, shown in
// full to pii:read one record at a time (audited).

// contactTables are the tables holding a contact line, with the object
// type their audit entries use and the names their 404s give.
var contactTables = map[string]struct{ object, zh, en string }{
	"advisors":      {"advisor", "招商顾问", "advisor"},
	"partners":      {"partner", "合作机构", "partner"},
	"staff_members": {"staff_member", "招商人员", "staff member"},
}

// keepContact resolves an edited contact: the masked value sent back means
// "unchanged".
func keepContact(ctx context.Context, tx *db.Tx, table string, id int64, submitted string) (string, error) {
	var stored string
	if err := tx.QueryRowContext(ctx, `SELECT contact FROM `+table+` WHERE id = ?`, id).Scan(&stored); err != nil {
		return "", errs.Wrap(err, "stored contact")
	}
	return pii.Keep(submitted, stored), nil
}

// FullContact is a contact line in full.
type FullContact struct {
	Contact string `json:"contact"`
}

// Contact returns the full contact line of an advisor, partner or staff
// member (a staff member's unit must be in the caller's scope) and audits
// the view.
func (s *Service) Contact(ctx context.Context, a *org.Actor, table string, id int64) (FullContact, error) {
	t := contactTables[table]
	q := `SELECT contact FROM ` + table + ` WHERE id = ?`
	args := []any{id}
	if table == "staff_members" {
		cond, more := a.ScopeSQL("unit_id", "")
		q, args = q+" AND "+cond, append(args, more...)
	}
	var out FullContact
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var stored string
		err := tx.QueryRowContext(ctx, q, args...).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundf(t.zh, t.en)
		}
		if err != nil {
			return errs.Wrap(err, "contact")
		}
		if out.Contact, err = pii.Open(stored); err != nil {
			return errs.Wrap(err, "open contact")
		}
		return audit.Append(ctx, tx, a.Entry("pii.view", t.object, id, nil, map[string]string{"fields": "contact"}))
	})
	return out, err
}

// SealPersonalData encrypts the contact lines still in plaintext (written
// before the key existed); the server runs it on start.
func (s *Service) SealPersonalData(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, table := range []string{"advisors", "partners", "staff_members"} {
			n, err := pii.SealRows(ctx, tx, table, "contact")
			if err != nil {
				return err
			}
			if n > 0 {
				if err := audit.Append(ctx, tx, audit.Entry{Who: audit.Who{Username: "system"}, Action: "pii.seal", ObjectType: "table",
					ObjectID: table, After: map[string]int{"rows": n}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
