// Package httpx holds the HTTP helpers every handler uses: strict JSON
// decoding, the one error shape, list paging and the caller's language.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/valid"
)

// MaxBody is the largest JSON body accepted (uploads have their own limit).
const MaxBody = 1 << 20

// Handler is an http handler that returns its error instead of writing it.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Serve adapts a Handler: a returned error is written in the one error shape.
func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		WriteError(w, r, err)
	}
}

// Lang is the caller's language: "en" or "zh".
func Lang(r *http.Request) string {
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(al, "en") {
		return "en"
	}
	return "zh"
}

// Decode reads a JSON body into dst: unknown fields, wrong types, trailing
// data and bodies over MaxBody are refused with a message naming the field.
func Decode(w http.ResponseWriter, r *http.Request, dst any) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			// A field's own parser (amount, date) refused its value: find which.
			return namedFieldError(raw, dst, e)
		}
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.E(errs.Invalid, "请求体只能包含一个 JSON 对象", "the body must hold a single JSON object")
	}
	return valid.Check(dst)
}

func decodeError(err error) error {
	var mbe *http.MaxBytesError
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &mbe):
		return errs.E(errs.TooLarge, fmt.Sprintf("请求体超过 %d 字节上限", mbe.Limit), fmt.Sprintf("the body exceeds the %d-byte limit", mbe.Limit))
	case errors.As(err, &ute):
		return errs.E(errs.Invalid, "字段类型错误", "a field has the wrong type").
			Field(ute.Field, "应为 "+typeZh(ute.Type.Kind().String()), "must be "+ute.Type.String())
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Invalid, "请求体不是合法的 JSON", "the body is not valid JSON")
	case errors.Is(err, io.EOF):
		return errs.E(errs.Invalid, "请求体为空", "the body is empty")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.E(errs.Invalid, "包含未知字段", "unknown field").Field(f, "未知字段", "unknown field")
	}
	// Errors from a field's own UnmarshalJSON (dates, amounts) end up here.
	return errs.E(errs.Invalid, "请求体有误："+err.Error(), "invalid body: "+err.Error())
}

// namedFieldError finds the top-level field whose value a custom parser
// refused, by decoding the body's fields one at a time (only on this error
// path), so the answer names the field like every other input error.
func namedFieldError(raw []byte, dst any, e *errs.Error) error {
	out := errs.E(errs.Invalid, "字段格式有误："+e.Msg.Zh, "a field is malformed: "+e.Msg.En)
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return out
	}
	t := reflect.TypeOf(dst).Elem()
	for name, val := range fields {
		one, _ := json.Marshal(map[string]json.RawMessage{name: val})
		if err := json.Unmarshal(one, reflect.New(t).Interface()); err != nil {
			return out.Field(name, e.Msg.Zh, e.Msg.En)
		}
	}
	return out
}

func typeZh(kind string) string {
	switch kind {
	case "string":
		return "文本"
	case "bool":
		return "布尔值"
	case "slice":
		return "数组"
	case "struct", "map":
		return "对象"
	}
	return "数字"
}

// JSON writes v with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// NoContent writes 204.
func NoContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type errorDetail struct {
	Code    errs.Code         `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// RequestID names the request in the server's log, for a report to the operator.
	RequestID string `json:"request_id,omitempty"`
}

// WriteError writes err in the one error shape, in the caller's language.
// Internal errors are logged and shown without their cause.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	lang := Lang(r)
	if e.Code == errs.Internal {
		slog.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r.Context()), "err", err)
	}
	d := errorDetail{Code: e.Code, Message: e.Msg.In(lang), RequestID: RequestID(r.Context())}
	if len(e.Fields) > 0 {
		d.Fields = map[string]string{}
		for f, m := range e.Fields {
			d.Fields[f] = m.In(lang)
		}
	}
	body := map[string]any{"error": d}
	for k, v := range e.Extra {
		body[k] = v
	}
	_ = JSON(w, e.Code.Status(), body)
}

// Page is the paging of a list request.
type Page struct {
	Page, Size int
}

// Offset is the number of rows to skip.
func (p Page) Offset() int { return (p.Page - 1) * p.Size }

// List is the answer of every list route.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// PageOf reads page and page_size (default 20, max 200).
func PageOf(r *http.Request) (Page, error) {
	p := Page{Page: 1, Size: 20}
	var v errs.Validation
	if s := r.URL.Query().Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			v.Add("page", "页码应为正整数", "must be a positive integer")
		}
		p.Page = n
	}
	if s := r.URL.Query().Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			v.Add("page_size", "每页条数应为 1–200", "must be 1–200")
		}
		p.Size = n
	}
	return p, v.Err()
}

// QueryDate reads an optional YYYY-MM-DD query parameter.
func QueryDate(r *http.Request, name string) (civil.Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return civil.Date{}, nil
	}
	d, err := civil.Parse(s)
	if err != nil {
		return d, errs.E(errs.Invalid, "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD").Field(name, "日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD")
	}
	return d, nil
}

// QueryInt reads an optional integer query parameter that must lie within
// [min, max]; def when it is absent.
func QueryInt(r *http.Request, name string, def, min, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		zh, en := fmt.Sprintf("应为 %d–%d 的整数", min, max), fmt.Sprintf("must be a whole number %d–%d", min, max)
		return 0, errs.E(errs.Invalid, name+" "+zh, name+" "+en).Field(name, zh, en)
	}
	return n, nil
}

// QueryYear reads an optional year (valid.MinYear–valid.MaxYear).
func QueryYear(r *http.Request, name string, def int) (int, error) {
	return QueryInt(r, name, def, valid.MinYear, valid.MaxYear)
}

// PathID reads a positive integer path parameter.
func PathID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n < 1 {
		return 0, errs.E(errs.NotFound, "记录不存在", "not found")
	}
	return n, nil
}

// ClientAddr is the caller's IP address. Behind a reverse proxy the operator
// lists the proxy in TrustedProxies, and X-Forwarded-For is believed from it
// only, read from the right: each trusted proxy appends the address it saw,
// so the rightmost entry that is not a trusted proxy is the client (entries
// further left are whatever the client chose to send).
func ClientAddr(r *http.Request, trustedProxies []string) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	trusted := func(a string) bool {
		for _, p := range trustedProxies {
			if p == a {
				return true
			}
		}
		return false
	}
	if !trusted(host) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a := strings.TrimSpace(hops[i])
		if ip := net.ParseIP(a); ip == nil {
			return host // a malformed hop: believe no further
		}
		if !trusted(a) {
			return a
		}
		host = a
	}
	return host
}

// WithID runs fn with the {id} path value (404 when it is not a positive integer).
func WithID(r *http.Request, fn func(id int64) error) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	return fn(id)
}

// Body decodes the request into a T, runs fn and writes its result with status.
func Body[T any, R any](w http.ResponseWriter, r *http.Request, status int, fn func(in T) (R, error)) error {
	var in T
	if err := Decode(w, r, &in); err != nil {
		return err
	}
	out, err := fn(in)
	if err != nil {
		return err
	}
	return JSON(w, status, out)
}

// FormFile reads the multipart field "file" of a request of at most max
// bytes: its content, its name, and the other form values. A body over the
// limit answers 413, a missing file 400 naming the field.
func FormFile(w http.ResponseWriter, r *http.Request, max int64) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", errs.E(errs.TooLarge, fmt.Sprintf("文件超过 %d MB", max>>20), fmt.Sprintf("the file exceeds %d MB", max>>20))
		}
		return nil, "", errs.E(errs.Invalid, "请以 multipart/form-data 上传文件", "upload the file as multipart/form-data")
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, "", errs.E(errs.Invalid, "缺少文件", "no file").Field("file", "必填", "required")
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		return nil, "", errs.Wrap(err, "read upload")
	}
	return data, hdr.Filename, nil
}

// Send answers 200 with v, or returns err (which the error middleware
// answers): the end of most read handlers.
func Send[T any](w http.ResponseWriter, v T, err error) error {
	if err != nil {
		return err
	}
	return JSON(w, 200, v)
}

// SendAll answers 200 with every item (the total is their number), or
// returns err.
func SendAll[T any](w http.ResponseWriter, items []T, err error) error {
	return SendList(w, items, len(items), err)
}

// SendList answers 200 with a page of items and the total, or returns err.
func SendList[T any](w http.ResponseWriter, items []T, total int, err error) error {
	if err != nil {
		return err
	}
	return JSON(w, 200, List[T]{Items: items, Total: total})
}
