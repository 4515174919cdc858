// Package errs is the one error type of attract. Every error that reaches a
// user carries a code (mapped to an HTTP status in one place) and a message in
// both languages, so the caller's language can be chosen at the edge.
package errs

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is the kind of failure, as the API names it.
type Code string

const (
	Invalid         Code = "invalid"         // 400: malformed or wrong input
	Unauthenticated Code = "unauthenticated" // 401
	Forbidden       Code = "forbidden"       // 403
	NotFound        Code = "not_found"       // 404, also for records outside the caller's scope
	Conflict        Code = "conflict"        // 409: stale version, duplicate key
	TooLarge        Code = "too_large"       // 413
	Unprocessable   Code = "unprocessable"   // 422: valid input that breaks a business rule
	Locked          Code = "locked"          // 423: account locked
	RateLimited     Code = "rate_limited"    // 429
	Internal        Code = "internal"        // 500
	Unavailable     Code = "unavailable"     // 503: the database cannot answer now; try again
)

var statuses = map[Code]int{
	Invalid: http.StatusBadRequest, Unauthenticated: http.StatusUnauthorized,
	Forbidden: http.StatusForbidden, NotFound: http.StatusNotFound, Conflict: http.StatusConflict,
	TooLarge: http.StatusRequestEntityTooLarge, Unprocessable: http.StatusUnprocessableEntity,
	Locked: http.StatusLocked, RateLimited: http.StatusTooManyRequests, Internal: http.StatusInternalServerError,
	Unavailable: http.StatusServiceUnavailable,
}

// Status is the HTTP status for a code.
func (c Code) Status() int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Msg is a message in Chinese and English.
type Msg struct{ Zh, En string }

// In picks the message for a language tag ("en…" → English, anything else Chinese).
func (m Msg) In(lang string) string {
	if len(lang) >= 2 && lang[:2] == "en" && m.En != "" {
		return m.En
	}
	return m.Zh
}

// Error is the error type every package returns for failures a user can act on.
type Error struct {
	Code   Code
	Msg    Msg
	Fields map[string]Msg
	Extra  map[string]any // more top-level keys of the error body ("current", "duplicates")
	Err    error          // the cause, never shown to users
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Msg.En
	for f, m := range e.Fields {
		s += fmt.Sprintf(" [%s: %s]", f, m.En)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a bilingual message.
func E(code Code, zh, en string) *Error { return &Error{Code: code, Msg: Msg{zh, en}} }

// Field adds a message for one input field and returns the error for chaining.
func (e *Error) Field(name, zh, en string) *Error {
	if e.Fields == nil {
		e.Fields = map[string]Msg{}
	}
	e.Fields[name] = Msg{zh, en}
	return e
}

// HasFields reports whether any field message was added.
func (e *Error) HasFields() bool { return len(e.Fields) > 0 }

// Wrap marks an unexpected failure (database down, bug) as internal.
func Wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, Msg: Msg{"服务器内部错误", "internal server error"}, Err: fmt.Errorf("%s: %w", what, err)}
}

// Unreachable marks a failure to reach the database where nothing in the
// request is wrong: the caller should try again later (503), not sign in
// again or report a bug.
func Unreachable(err error, what string) error {
	return &Error{Code: Unavailable, Msg: Msg{"数据库暂时无法访问，请稍后重试", "the database cannot be reached right now; try again shortly"},
		Err: fmt.Errorf("%s: %w", what, err)}
}

// As returns the *Error in err's chain, or an Internal one wrapping err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Msg: Msg{"服务器内部错误", "internal server error"}, Err: err}
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Validation collects field errors and returns nil when there are none.
type Validation struct{ e *Error }

// Add records a field error.
func (v *Validation) Add(field, zh, en string) {
	if v.e == nil {
		v.e = E(Invalid, "输入有误，请检查标注的字段", "some fields are invalid")
	}
	v.e.Field(field, zh, en)
}

// Err returns the collected error or nil.
func (v *Validation) Err() error {
	if v.e == nil {
		return nil
	}
	return v.e
}

// NotFoundf is the standard 404 for a kind of record.
func NotFoundf(zhKind, enKind string) *Error {
	return E(NotFound, zhKind+"不存在或无权访问", enKind+" not found")
}

// Stale is the standard 409 for an update made against an old version.
func Stale(current any) *Error {
	e := E(Conflict, "记录已被他人修改，请刷新后重试", "the record was changed by someone else; reload and try again")
	e.Extra = map[string]any{"current": current}
	return e
}
