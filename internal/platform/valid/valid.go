// Package valid is the one place for the input rules both database engines
// would otherwise apply differently: text PostgreSQL refuses (NUL, broken
// UTF-8) but SQLite stores, integers beyond a column's range, and years no
// calendar of the application has (0, negative, five digits). Handlers,
// imports and the database layer all ask here, so a value is refused the
// same way, naming its field, on SQLite and on PostgreSQL.
package valid

import (
	"math"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/zhaoqing/attract/internal/platform/errs"
)

// Year range of every year a user may name (statistics, targets, periods).
const (
	MinYear = 2000
	MaxYear = 2100
)

// Year reports whether y is a year the application counts in.
func Year(y int) bool { return y >= MinYear && y <= MaxYear }

// YearMsg is the message for a year outside the range, in both languages.
var YearMsg = errs.Msg{Zh: "年份应在 2000–2100 之间", En: "the year must be 2000–2100"}

// Int32 reports whether n fits an INTEGER column (32 bits on PostgreSQL).
func Int32(n int64) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }

// Int32Msg is the message for an integer beyond an INTEGER column.
var Int32Msg = errs.Msg{Zh: "数值超出允许范围（最大 2147483647）", En: "the number is out of range (at most 2147483647)"}

// TextMsg is the message for text holding a character no column stores.
var TextMsg = errs.Msg{Zh: "含有不允许的控制字符（如 NUL）或非 UTF-8 编码", En: "holds a control character (such as NUL) or is not UTF-8"}

// Text reports whether s may be stored: valid UTF-8 without NUL or other C0
// control characters except tab, line feed and carriage return.
func Text(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// Check walks a decoded request (structs, pointers, slices, maps) and
// returns a 400 naming every field whose text Text refuses or whose plain
// int does not fit 32 bits (plain int fields are the INTEGER columns:
// versions, sorts, counts; 64-bit columns are int64 in Go). nil when clean.
func Check(v any) error {
	var e errs.Validation
	walk(reflect.ValueOf(v), "", &e)
	return e.Err()
}

func walk(v reflect.Value, path string, e *errs.Validation) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), path, e)
		}
	case reflect.String:
		if !Text(v.String()) {
			e.Add(field(path), TextMsg.Zh, TextMsg.En)
		}
	case reflect.Int:
		if !Int32(v.Int()) {
			e.Add(field(path), Int32Msg.Zh, Int32Msg.En)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw bytes (json.RawMessage) are checked where they are decoded
		}
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), path, e)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if it.Key().Kind() == reflect.String && !Text(it.Key().String()) {
				e.Add(field(path), TextMsg.Zh, TextMsg.En)
			}
			walk(it.Value(), join(path, it.Key().String()), e)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				walk(v.Field(i), path, e)
				continue
			}
			if name == "" {
				name = f.Name
			}
			walk(v.Field(i), join(path, name), e)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func field(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
