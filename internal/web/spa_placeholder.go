//go:build !embedui

package web

import (
	"io/fs"
	"testing/fstest"
)

// UIEmbedded says whether this binary carries the web UI (attract version).
const UIEmbedded = false

func uiFS() fs.FS {
	return fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>attract</title>
<p>界面未编译：请运行 <code>make run</code>（会先构建前端）。The UI is not built into this binary; use <code>make run</code>.</p></html>`)}}
}
