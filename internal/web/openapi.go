package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/zhaoqing/attract/internal/platform/civil"
	"github.com/zhaoqing/attract/internal/platform/httpx"
	"github.com/zhaoqing/attract/internal/platform/money"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI builds the document from the route table, so a route cannot exist
// without being described.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.Routes() {
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(rt.Path),
			"responses": map[string]any{
				"200":     map[string]any{"description": "OK"},
				"503":     map[string]any{"description": "The database cannot be reached now; try again (/readyz: not ready, each failed check named)"},
				"default": map[string]any{"description": "Error", "content": jsonContent(map[string]any{"$ref": "#/components/schemas/Error"})},
			},
		}
		if rt.Perm == Public {
			op["security"] = []any{}
		} else {
			op["x-permission"] = rt.Perm
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "integer"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": jsonContent(schemaOf(reflect.TypeOf(rt.Body)))}
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "attract 招商引资全流程管理平台 API", "version": "1"},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "attract_session"},
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
			},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "properties": map[string]any{
					"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"},
					"request_id": map[string]any{"type": "string", "description": "the request's X-Request-Id, as in the server's log"},
					"fields":     map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}}}}}},
		},
		"security": []any{map[string]any{"session": []any{}}, map[string]any{"bearer": []any{}}},
	}
}

func jsonContent(schema any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

var (
	dateType  = reflect.TypeOf(civil.Date{})
	moneyType = reflect.TypeOf(money.Cents(0))
	timeType  = reflect.TypeOf(time.Time{})
)

// schemaOf describes a request type from its JSON tags.
func schemaOf(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		return schemaOf(t.Elem())
	}
	switch {
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == moneyType:
		return map[string]any{"type": "number", "multipleOf": 0.01, "description": "exact decimal, at most two places"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			props[name] = schemaOf(f.Type)
		}
		return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	}
	return map[string]any{}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	return httpx.JSON(w, 200, s.OpenAPI())
}
