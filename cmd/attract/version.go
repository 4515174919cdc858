package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/zhaoqing/attract/internal/web"
)

// version and commit are set at build time (make: -ldflags "-X
// main.version=… -X main.commit=…", from git); a plain go build says "dev"
// and takes the commit from Go's build information when it has one.
var version, commit = "dev", ""

// versionText is what `attract version` prints: the release, the commit and
// its time, the Go toolchain, the platform and whether the UI is inside.
func versionText() string {
	rev, when, modified := commit, "", false
	if bi, ok := debug.ReadBuildInfo(); ok && rev == "" {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if rev == "" {
		rev = "unknown"
	}
	if modified {
		rev += " (modified)"
	}
	ui := "embedded"
	if !web.UIEmbedded {
		ui = "not embedded (built without the embedui tag: / shows a placeholder)"
	}
	return fmt.Sprintf("attract %s\ncommit   %s %s\ngo       %s %s/%s\nweb UI   %s\n", version, rev, when, runtime.Version(), runtime.GOOS, runtime.GOARCH, ui)
}
