package project

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/audit"
	"github.com/zhaoqing/attract/internal/org"
	"github.com/zhaoqing/attract/internal/platform/db"
	"github.com/zhaoqing/attract/internal/platform/errs"
)

// MaxAttachment is the largest file accepted (scanned agreements run to a
// few MB; 20 MB leaves room for photos).
const MaxAttachment = 20 << 20

// AttachmentKinds are the evidence and document kinds.
var AttachmentKinds = []string{"agreement", "registration", "land_contract", "production_proof", "photo", "other"}

// allowedTypes maps a file's sniffed content to the extensions it may carry.
// The type is decided from the bytes, not from what the browser claims.
var allowedTypes = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
	"application/zip": {".docx", ".xlsx"}, // OOXML documents are zip files
}

// Attachment is a stored file's record.
type Attachment struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	Filename      string    `json:"filename"`
	ContentType   string    `json:"content_type"`
	Size          int64     `json:"size"`
	CreatedAt     time.Time `json:"created_at"`
	CreatedByName string    `json:"created_by_name"`
}

// Upload is a file sent by a user.
type Upload struct {
	Kind     string
	Filename string
	Data     []byte
}

// checkUpload decides the type from the content and checks kind, name and size.
func checkUpload(u Upload) (string, error) {
	if !contains(AttachmentKinds, u.Kind) {
		return "", errs.E(errs.Invalid, "附件类型无效", "unknown attachment kind").Field("kind", "取值无效", "invalid")
	}
	if len(u.Data) == 0 {
		return "", errs.E(errs.Invalid, "文件为空", "the file is empty").Field("file", "文件为空", "empty")
	}
	if len(u.Data) > MaxAttachment {
		return "", errs.E(errs.TooLarge, "文件超过 20 MB", "the file exceeds 20 MB")
	}
	ct := http.DetectContentType(u.Data)
	ext := strings.ToLower(filepath.Ext(u.Filename))
	if !contains(allowedTypes[ct], ext) {
		return "", errs.E(errs.Invalid, "只接受 PDF、JPG、PNG、DOCX、XLSX 文件，且扩展名须与内容一致",
			"only PDF, JPEG, PNG, DOCX and XLSX files whose extension matches their content").Field("file", "文件类型不允许", "type not allowed")
	}
	if ct == "application/zip" {
		ct = map[string]string{".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[ext]
	}
	return ct, nil
}

// Attach stores a file on a project in scope.
func (s *Service) Attach(ctx context.Context, a *org.Actor, projectID int64, u Upload) (Attachment, error) {
	ct, err := checkUpload(u)
	if err != nil {
		return Attachment{}, err
	}
	name := filepath.Base(strings.ReplaceAll(u.Filename, `\`, "/"))
	if len([]rune(name)) > 120 {
		name = string([]rune(name)[:120])
	}
	sum := sha256.Sum256(u.Data)
	var out Attachment
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := s.get(ctx, tx, a, projectID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO project_attachments (project_id, kind, filename, content_type, size, sha256, data, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, projectID, u.Kind, name, ct, len(u.Data), hex.EncodeToString(sum[:]), u.Data,
			db.NullID(a.UserID), s.now()).Scan(&id)
		if err != nil {
			return errs.Wrap(err, "insert attachment")
		}
		out = Attachment{ID: id, Kind: u.Kind, Filename: name, ContentType: ct, Size: int64(len(u.Data)), CreatedAt: s.now(), CreatedByName: a.DisplayName}
		return audit.Append(ctx, tx, a.Entry("project.attach", "project", projectID, nil,
			map[string]any{"attachment_id": id, "kind": u.Kind, "filename": name, "size": len(u.Data), "sha256": hex.EncodeToString(sum[:])}))
	})
	return out, err
}

// Attachments lists a project's files.
func (s *Service) Attachments(ctx context.Context, a *org.Actor, projectID int64) ([]Attachment, error) {
	q := s.DB.Reader()
	if _, err := s.get(ctx, q, a, projectID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.kind, f.filename, f.content_type, f.size, f.created_at, COALESCE(u.display_name, '')
		FROM project_attachments f LEFT JOIN users u ON u.id = f.created_by WHERE f.project_id = ? ORDER BY f.id DESC`, projectID)
	if err != nil {
		return nil, errs.Wrap(err, "list attachments")
	}
	defer rows.Close()
	out := []Attachment{}
	for rows.Next() {
		var f Attachment
		if err := rows.Scan(&f.ID, &f.Kind, &f.Filename, &f.ContentType, &f.Size, &f.CreatedAt, &f.CreatedByName); err != nil {
			return nil, errs.Wrap(err, "scan attachment")
		}
		out = append(out, f)
	}
	return out, errs.Wrap(rows.Err(), "list attachments")
}

// File returns an attachment's bytes when its project is in scope.
func (s *Service) File(ctx context.Context, a *org.Actor, id int64) (Attachment, []byte, error) {
	q := s.DB.Reader()
	var f Attachment
	var pid int64
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT id, project_id, kind, filename, content_type, size, data FROM project_attachments WHERE id = ?`, id).
		Scan(&f.ID, &pid, &f.Kind, &f.Filename, &f.ContentType, &f.Size, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, errs.NotFoundf("附件", "attachment")
	}
	if err != nil {
		return f, nil, errs.Wrap(err, "get attachment")
	}
	if _, err := s.get(ctx, q, a, pid); err != nil {
		return f, nil, errs.NotFoundf("附件", "attachment")
	}
	return f, data, nil
}
