// Command openapi writes the API's OpenAPI document (the one GET
// /api/v1/openapi.json serves) to stdout, indented, so that it can be kept in
// the repository and the UI's TypeScript types generated from it
// (cd web && npm run api:types). The document is built from the route table
// alone, so a server without services describes it.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/zhaoqing/attract/internal/web"
)

func main() {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode((&web.Server{}).OpenAPI()); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}
