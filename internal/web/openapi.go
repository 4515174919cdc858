package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/errs"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/money"
)

// IO describes, for the OpenAPI document, a route that has more than a
// JSON body: a Route's Body is either the request's Go type or an IO.
//   - Body: the JSON request's type (nil: none).
//   - Query: a struct whose fields, tagged `query:"name"`, are the query
//     parameters; `enum:"a|b"` lists the values a parameter takes.
//   - Resp: the Go type the route answers with (JSON).
//   - Or: the other type it answers with under some query (?as_of=, say).
//   - Status: the success status when not 200 (201 created, 202 accepted).
//   - Multipart: the form fields of a multipart upload, the file first.
type IO struct {
	Body, Query, Resp, Or any
	Status                int
	Multipart             []string
}

// csrfAnswer and endedAnswer are the shapes of two small answers the auth
// handlers write as maps: a new CSRF token after a password change (204 when
// the session stays), and how many sessions were ended.
type csrfAnswer struct {
	CSRFToken string `json:"csrf_token"`
}

type endedAnswer struct {
	Ended int64 `json:"ended"`
}

// shapedType is a type whose JSON is another type's (see schemas.of).
var shapedType = reflect.TypeOf((*interface{ APIShape() any })(nil)).Elem()

func ioOf(body any) IO {
	if io, ok := body.(IO); ok {
		return io
	}
	return IO{Body: body}
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// pathParamSchemas types the path parameters by name.
var pathParamSchemas = map[string]map[string]any{
	"id":     {"type": "integer", "format": "int64", "minimum": 1},
	"year":   {"type": "integer", "minimum": 2000, "maximum": 2100},
	"period": {"type": "string", "pattern": `^\d{4}-(0[1-9]|1[0-2])$`, "example": "2025-03", "description": "a month, YYYY-MM"},
}

// errorStatuses are the failures every route may answer with, each as the
// one error body (platform/errs).
var errorStatuses = []errs.Code{errs.Invalid, errs.Unauthenticated, errs.Forbidden, errs.NotFound, errs.Conflict,
	errs.TooLarge, errs.Unprocessable, errs.RateLimited, errs.Unavailable}

// binaryTypes are the files a route answers with, by the end of its path.
var binaryTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	// the exports and import templates are XLSX too
	"export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "template": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"errors": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// OpenAPI builds the document from the route table, so a route cannot exist
// without being described.
func (s *Server) OpenAPI() map[string]any {
	sc := schemas{defs: map[string]any{}}
	paths := map[string]any{}
	for _, rt := range s.Routes() {
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		io := ioOf(rt.Body)
		status := "200"
		if io.Status != 0 {
			status = itoa(io.Status)
		}
		ok := map[string]any{"description": http.StatusText(atoi(status))}
		switch {
		case io.Or != nil:
			ok["content"] = jsonContent(map[string]any{"oneOf": []any{sc.of(reflect.TypeOf(io.Resp), true), sc.of(reflect.TypeOf(io.Or), true)}})
		case io.Resp != nil:
			ok["content"] = jsonContent(sc.of(reflect.TypeOf(io.Resp), true))
		case binaryTypes[lastSegment(rt.Path)] != "":
			ok["content"] = map[string]any{binaryTypes[lastSegment(rt.Path)]: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		}
		responses := map[string]any{status: ok}
		for _, c := range errorStatuses {
			responses[itoa(c.Status())] = map[string]any{"$ref": "#/components/responses/Error"}
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_", "-", "_").Replace(rt.Path),
			"responses":   responses,
		}
		if rt.Perm == Public {
			op["security"] = []any{}
		} else {
			op["x-permission"] = rt.Perm
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			schema := pathParamSchemas[m[1]]
			if schema == nil {
				schema = map[string]any{"type": "string"}
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema})
		}
		if io.Query != nil {
			params = append(params, queryParams(reflect.TypeOf(io.Query))...)
		}
		if params != nil {
			op["parameters"] = params
		}
		switch {
		case io.Body != nil:
			op["requestBody"] = map[string]any{"required": true, "content": jsonContent(sc.of(reflect.TypeOf(io.Body), false))}
		case len(io.Multipart) > 0:
			props := map[string]any{io.Multipart[0]: map[string]any{"type": "string", "format": "binary"}}
			for _, f := range io.Multipart[1:] {
				props[f] = map[string]any{"type": "string"}
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
				"schema": map[string]any{"type": "object", "required": io.Multipart[:1], "properties": props}}}}
		}
		item[strings.ToLower(rt.Method)] = op
	}
	sc.defs["Error"] = errorSchema
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "attract 招商引资全流程管理平台 API", "version": "1"},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "attract_session"},
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
			},
			"responses": map[string]any{"Error": map[string]any{"description": "The one error body: a code, a message in the caller's language, the fields at fault",
				"content": jsonContent(map[string]any{"$ref": "#/components/schemas/Error"})}},
			"schemas": sc.defs,
		},
		"security": []any{map[string]any{"session": []any{}}, map[string]any{"bearer": []any{}}},
	}
}

// OpenAPIJSON is the document as the committed file holds it (docs/openapi.json).
func (s *Server) OpenAPIJSON() ([]byte, error) {
	b, err := json.MarshalIndent(s.OpenAPI(), "", "  ")
	return append(b, '\n'), err
}

var errorSchema = map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{
	"error": map[string]any{"type": "object", "required": []string{"code", "message"}, "properties": map[string]any{
		"code": map[string]any{"type": "string", "enum": errorCodes()}, "message": map[string]any{"type": "string"},
		"request_id": map[string]any{"type": "string", "description": "the request's X-Request-Id, as in the server's log"},
		"fields":     map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}}}}}

func errorCodes() []string {
	out := []string{string(errs.Internal)}
	for _, c := range errorStatuses {
		out = append(out, string(c))
	}
	sort.Strings(out)
	return out
}

func lastSegment(path string) string { return path[strings.LastIndex(path, "/")+1:] }

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func atoi(s string) int {
	var n int
	_ = json.Unmarshal([]byte(s), &n)
	return n
}

// queryParams are the query parameters of a struct's `query` fields (an
// embedded struct's among them).
func queryParams(t reflect.Type) []any {
	var out []any
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, queryParams(f.Type)...)
			continue
		}
		name := f.Tag.Get("query")
		if name == "" {
			continue
		}
		schema := (&schemas{defs: map[string]any{}}).of(f.Type, false)
		if enum := f.Tag.Get("enum"); enum != "" {
			var values []any
			for _, v := range strings.Split(enum, "|") {
				if schema["type"] == "integer" {
					values = append(values, atoi(v))
				} else {
					values = append(values, v)
				}
			}
			schema["enum"] = values
		}
		p := map[string]any{"name": name, "in": "query", "schema": schema}
		if d := f.Tag.Get("doc"); d != "" {
			p["description"] = d
		}
		out = append(out, p)
	}
	return out
}

func jsonContent(schema any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

var (
	dateType  = reflect.TypeOf(civil.Date{})
	moneyType = reflect.TypeOf(money.Cents(0))
	timeType  = reflect.TypeOf(time.Time{})
	rawType   = reflect.TypeOf(json.RawMessage{})
)

// schemas describes Go types from their JSON tags. A response's named
// struct types become components (referred to by $ref, their fields
// without omitempty required); a request's are written inline, every
// field optional, as a request may leave any out.
type schemas struct{ defs map[string]any }

func (sc *schemas) of(t reflect.Type, resp bool) map[string]any {
	if t.Kind() == reflect.Pointer {
		s := sc.of(t.Elem(), resp)
		if resp && s["$ref"] == nil {
			s["nullable"] = true
		}
		return s
	}
	switch {
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == moneyType:
		return map[string]any{"type": "number", "multipleOf": 0.01, "description": "exact decimal, at most two places"}
	case t == rawType:
		return map[string]any{}
	case t.Implements(shapedType):
		// a type with its own MarshalJSON says what it writes
		return sc.of(reflect.TypeOf(reflect.Zero(t).Interface().(interface{ APIShape() any }).APIShape()), resp)
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Int8, reflect.Int16, reflect.Uint:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": sc.of(t.Elem(), resp)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": sc.of(t.Elem(), resp)}
	case reflect.Struct:
		name := componentName(t)
		if !resp || name == "" {
			return sc.object(t, resp)
		}
		if _, ok := sc.defs[name]; !ok {
			sc.defs[name] = map[string]any{} // a type that holds itself refers to its component
			sc.defs[name] = sc.object(t, resp)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// object is a struct's schema, embedded structs' fields among its own.
func (sc *schemas) object(t reflect.Type, resp bool) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft)
					continue
				}
			}
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = sc.of(f.Type, resp)
			if resp && !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	out := map[string]any{"type": "object", "properties": props}
	if !resp {
		out["additionalProperties"] = false
	}
	if len(required) > 0 {
		sort.Strings(required)
		out["required"] = required
	}
	return out
}

// componentName is a named type's component: "project.Project"; generic
// instances (httpx.List[T]) are written inline.
func componentName(t reflect.Type) string {
	if t.Name() == "" || strings.Contains(t.Name(), "[") {
		return ""
	}
	pkg := t.PkgPath()
	return pkg[strings.LastIndex(pkg, "/")+1:] + "." + t.Name()
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, 200, s.OpenAPI())
}
