package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// FormFileTemp is FormFile for a file too large to hold in memory (an
// import of a million rows): the multipart field "file" is copied, as it
// streams in, to a temporary file the caller owns and removes (release).
func FormFileTemp(w http.ResponseWriter, r *http.Request, max int64) (*os.File, string, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", nil, errs.E(errs.Invalid, "请以 multipart/form-data 上传文件", "upload the file as multipart/form-data")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", nil, errs.E(errs.Invalid, "缺少文件", "no file").Field("file", "必填", "required")
		}
		if err != nil {
			return nil, "", nil, tooLargeOr(err, max)
		}
		if part.FormName() != "file" {
			continue
		}
		f, err := os.CreateTemp("", "attract-upload-*")
		if err != nil {
			return nil, "", nil, errs.Wrap(err, "store upload")
		}
		release := func() {
			f.Close()
			os.Remove(f.Name())
		}
		if _, err := io.Copy(f, part); err != nil {
			release()
			return nil, "", nil, tooLargeOr(err, max)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			release()
			return nil, "", nil, errs.Wrap(err, "store upload")
		}
		return f, part.FileName(), release, nil
	}
}

func tooLargeOr(err error, max int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.E(errs.TooLarge, fmt.Sprintf("文件超过 %d MB", max>>20), fmt.Sprintf("the file exceeds %d MB", max>>20))
	}
	return errs.E(errs.Invalid, "上传中断或格式有误", "the upload was cut short or malformed")
}
