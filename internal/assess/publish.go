package assess

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
)

// Publication says that a year's evaluation is published: frozen like a
// closed month (scores, lists and the document), until the security
// administrator reopens it with a reason.
type Publication struct {
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
}

// published is the live publication of a year, with what it froze.
type published struct {
	id     int64
	info   Publication
	annual Annual
	docx   []byte
}

// loadPublished reads a year's live publication; ok is false when the year
// is not published.
func loadPublished(ctx context.Context, q db.Querier, year int, withDoc bool) (published, bool, error) {
	var p published
	var raw string
	doc := "NULL"
	if withDoc {
		doc = "p.docx"
	}
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT p.id, p.published_at, COALESCE(u.display_name, ''), p.annual_json, `+doc+`
		FROM annual_publications p LEFT JOIN users u ON u.id = p.published_by WHERE p.year = ? AND p.reopened_at IS NULL`, year).
		Scan(&p.id, &p.info.PublishedAt, &p.info.PublishedBy, &raw, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, errs.Wrap(err, "publication")
	}
	p.docx = data
	if err := json.Unmarshal([]byte(raw), &p.annual); err != nil {
		return p, false, errs.Wrap(err, "stored evaluation")
	}
	p.annual.Published = &p.info
	return p, true, nil
}

// refusePublished refuses a change to what a published year rests on.
func (s *Service) refusePublished(ctx context.Context, year int) error {
	_, ok, err := loadPublished(ctx, s.DB.Reader(), year, false)
	if err != nil || !ok {
		return err
	}
	return errs.E(errs.Conflict, itoa(int64(year))+" 年度考评已发布，不能再修改；如确需更正，请安全管理员先撤销发布",
		"the "+itoa(int64(year))+" evaluation is published and can no longer change; the security administrator must reopen it first")
}

// Publish freezes a year's evaluation: its scores and lists as they stand
// and the document's bytes. The year's December must be closed (months
// close in order, so the whole year is).
func (s *Service) Publish(ctx context.Context, a *org.Actor, year int) (Annual, error) {
	if err := validYear(year); err != nil {
		return Annual{}, err
	}
	if err := cityWideOnly(a); err != nil {
		return Annual{}, err
	}
	var out Annual
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPeriods(ctx, tx); err != nil {
			return err
		}
		closed, err := loadClosed(ctx, tx)
		if err != nil {
			return err
		}
		if _, ok := closed.ids[Period{year, 12}]; !ok {
			return errs.E(errs.Unprocessable, "须先关账 "+itoa(int64(year))+" 年 12 月，才能发布年度考评",
				"close December "+itoa(int64(year))+" before publishing the evaluation")
		}
		if _, ok, err := loadPublished(ctx, tx, year, false); err != nil || ok {
			if err == nil {
				err = errs.E(errs.Conflict, itoa(int64(year))+" 年度考评已发布", "the "+itoa(int64(year))+" evaluation is already published")
			}
			return err
		}
		if out, err = s.evaluateAt(ctx, sqlSource{tx}, Period{year, 12}); err != nil {
			return err
		}
		rep, err := s.report(ctx, sqlSource{tx}, Period{year, 12})
		if err != nil {
			return err
		}
		data, err := annualDoc(out, rep).Bytes()
		if err != nil {
			return errs.Wrap(err, "document")
		}
		raw, _ := json.Marshal(out)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO annual_publications (year, published_at, published_by, annual_json, docx) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			year, s.now(), db.NullID(a.UserID), string(raw), data).Scan(&id); err != nil {
			return errs.Wrap(err, "publish")
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "annual.publish", ObjectType: "annual_evaluation", ObjectID: itoa(int64(year)),
			After: map[string]any{"publication_id": id, "commended": out.Commended, "explanation_required": out.Explain, "major_reward": out.MajorReward}})
	})
	if err != nil {
		return Annual{}, err
	}
	return s.Evaluate(ctx, a, year)
}

// Unpublish reopens a published evaluation (the security administrator,
// with a reason); the publication stays on record.
func (s *Service) Unpublish(ctx context.Context, a *org.Actor, year int, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errs.E(errs.Invalid, "请填写撤销发布的原因", "a reason is required").Field("reason", "必填", "required")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, ok, err := loadPublished(ctx, tx, year, false)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Unprocessable, itoa(int64(year))+" 年度考评未发布", "the "+itoa(int64(year))+" evaluation is not published")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE annual_publications SET reopened_at = ?, reopened_by = ?, reason = ? WHERE id = ?`,
			s.now(), db.NullID(a.UserID), reason, p.id); err != nil {
			return errs.Wrap(err, "reopen evaluation")
		}
		return audit.Append(ctx, tx, audit.Entry{Who: a.Who(), Action: "annual.reopen", ObjectType: "annual_evaluation", ObjectID: itoa(int64(year)),
			After: map[string]any{"publication_id": p.id, "reason": reason}})
	})
}

// AnnualDocument is the evaluation's document: the published bytes once
// the year is published, else written from the figures as they stand.
func (s *Service) AnnualDocument(ctx context.Context, a *org.Actor, year int) ([]byte, error) {
	if err := cityWideOnly(a); err != nil {
		return nil, err
	}
	p, ok, err := loadPublished(ctx, s.DB.Reader(), year, true)
	if err != nil {
		return nil, err
	}
	if ok {
		return p.docx, nil
	}
	d, err := s.AnnualDoc(ctx, a, year)
	if err != nil {
		return nil, err
	}
	return d.Bytes()
}

// pathYear reads the {year} of the path.
func pathYear(r *http.Request) (int, error) {
	var year int
	if _, err := fmt.Sscanf(r.PathValue("year"), "%d", &year); err != nil || len(r.PathValue("year")) != 4 {
		return 0, errs.E(errs.Invalid, "年度应为四位数字", "the year is four digits").Field("year", "应为四位数字", "four digits")
	}
	return year, validYear(year)
}

// PublishAnnual answers POST /api/v1/stats/annual/{year}/publish.
func (h Handlers) PublishAnnual(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	out, err := h.S.Publish(r.Context(), actor(r), year)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, out)
}

// ReopenAnnual answers POST /api/v1/stats/annual/{year}/reopen.
func (h Handlers) ReopenAnnual(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	var in ReopenInput
	if err := httpx.Decode(w, r, &in); err != nil {
		return err
	}
	if err := h.S.Unpublish(r.Context(), actor(r), year, in.Reason); err != nil {
		return err
	}
	return httpx.NoContent(w)
}
