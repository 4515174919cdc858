//go:build embedui

package web

import (
	"embed"
	"io/fs"
)

// The built UI (npm run build in web/ writes it here); `make build` sets the
// embedui tag. Without the tag a placeholder page is served, so `go build`
// and `go test` work without Node.
//
//go:embed all:dist
var dist embed.FS

// UIEmbedded says whether this binary carries the web UI (attract version).
const UIEmbedded = true

func uiFS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}
