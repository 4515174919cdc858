package web

import (
	"bytes"
	"os"
	"testing"
)

// TestOpenAPIFileCurrent: the committed docs/openapi.json, which the front
// end's types are generated from, is the document the code builds.
// Regenerate with: go run ./cmd/attract openapi > docs/openapi.json
func TestOpenAPIFileCurrent(t *testing.T) {
	want, err := (&Server{}).OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/openapi.json differs from the routes: go run ./cmd/attract openapi > docs/openapi.json")
	}
}
