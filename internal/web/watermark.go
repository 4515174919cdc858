package web

import (
	"net/http"
	"time"

	"github.com/zhaoqing/attract/internal/org"
)

// shanghai is the offices' clock for the watermark.
var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// stampWriter tells the report package whose download this is
// (report.Stamper): every generated XLSX and DOCX names the user and the
// time in its headers and footers.
type stampWriter struct {
	http.ResponseWriter
	text string
}

func (s stampWriter) WatermarkText() string { return s.text }

// Unwrap lets http.ResponseController reach the underlying writer.
func (s stampWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func stamp(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := org.ActorFrom(r.Context())
		if a == nil {
			next.ServeHTTP(w, r)
			return
		}
		text := a.DisplayName + " (" + a.Username + ") " + time.Now().In(shanghai).Format("2006-01-02 15:04")
		next.ServeHTTP(stampWriter{w, text}, r)
	})
}
