package backup

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

const manifestName = "manifest.json"

// dataName is the archive entry holding the data, by dialect.
var dataName = map[string]string{"sqlite": "attract.db", "postgres": "attract.pgdump"}

// writeArchive writes file (which must not exist) from the manifest and
// the data file, through a temporary name, synced, then renamed: a backup
// is there whole or not at all.
func writeArchive(file string, m Manifest, data string) (err error) {
	tmp := file + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(mj)), ModTime: m.TakenAt}); err != nil {
		return err
	}
	if _, err := tw.Write(mj); err != nil {
		return err
	}
	if err := addFile(tw, dataName[string(m.Dialect)], data, m.TakenAt); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup file: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s already exists; a backup never overwrites a file", file)
	}
	if err := os.Rename(tmp, file); err != nil {
		return err
	}
	return syncDir(filepath.Dir(file))
}

func addFile(tw *tar.Writer, name, path string, at time.Time) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: at}); err != nil {
		return err
	}
	_, err = io.Copy(tw, src)
	return err
}

// readArchive reads a backup's manifest and writes its data to dst (which
// must not exist), synced.
func readArchive(file, dst string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(file)
	if err != nil {
		return m, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return m, fmt.Errorf("%s is not an attract backup (not gzip): %w", file, err)
	}
	tr := tar.NewReader(zr)
	h, err := tr.Next()
	if err != nil || h.Name != manifestName || h.Size > 64<<20 {
		return m, fmt.Errorf("%s is not an attract backup (no manifest first)", file)
	}
	if err := json.NewDecoder(tr).Decode(&m); err != nil {
		return m, fmt.Errorf("%s: manifest: %w", file, err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("%s: backup format %d; this attract reads format %d", file, m.Format, Format)
	}
	h, err = tr.Next()
	if err != nil || h.Name != dataName[string(m.Dialect)] {
		return m, fmt.Errorf("%s: the %s data is missing", file, m.Dialect)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return m, err
	}
	if _, err := io.Copy(out, tr); err != nil {
		out.Close()
		return m, fmt.Errorf("%s: truncated or damaged: %w", file, err)
	}
	if _, err := tr.Next(); !errors.Is(err, io.EOF) {
		out.Close()
		return m, fmt.Errorf("%s: unexpected data after the backup", file)
	}
	// Reading to the end checks gzip's CRC of the whole file.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		out.Close()
		return m, fmt.Errorf("%s: damaged: %w", file, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return m, err
	}
	return m, out.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
