package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryLockReleasedByDefer reads the whole code base: every Lock() or
// RLock() is followed on the next line by the deferred unlock, so a panic
// between the two (a bad parameter once caused one) cannot leave it held.
func TestEveryLockReleasedByDefer(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "web" && p != filepath.Join(root, "internal", "web")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := strings.Split(string(src), "\n")
		for i, l := range lines {
			l = strings.TrimSpace(l)
			if !strings.HasSuffix(l, ".Lock()") && !strings.HasSuffix(l, ".RLock()") || strings.HasPrefix(l, "//") {
				continue
			}
			unlock := strings.TrimSuffix(strings.Replace(l, "RLock()", "RUnlock()", 1), ".Lock()")
			if strings.HasSuffix(l, ".Lock()") {
				unlock += ".Unlock()"
			}
			if i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) != "defer "+unlock {
				t.Errorf("%s:%d: %s is not followed by defer %s", p, i+1, l, unlock)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
