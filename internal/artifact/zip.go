package artifact

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// File is one entry of an artifact zip.
type File struct {
	// Name is the entry path: relative, forward slashes (see ValidatePath).
	Name string
	Data []byte
}

// zipModTime is the modification time of every entry. It is fixed so that
// the same files always give the same bytes (and so the same sha256 digest).
// 1980-01-01 is the earliest time a DOS date can hold.
var zipModTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// BuildZip returns a deflated zip of files, with entries sorted by name and a
// fixed modification time: equal input gives byte-identical output (for a
// given Go version, whose compress/flate output is stable).
func BuildZip(files []File) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteZip(&buf, files); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteZip writes the zip BuildZip would return to w.
func WriteZip(w io.Writer, files []File) error {
	sorted, err := sortedFiles(files)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, f := range sorted {
		if err := writeEntry(zw, f); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write zip: %w", err)
	}
	return nil
}

func writeEntry(zw *zip.Writer, f File) error {
	hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: zipModTime}
	// Regular file, rw-r--r--: unzip would otherwise create files with
	// whatever its umask-less default is for entries without Unix mode.
	hdr.SetMode(0o644)
	fw, err := zw.CreateHeader(hdr)
	if err != nil {
		return fmt.Errorf("write zip entry %q: %w", f.Name, err)
	}
	if _, err := fw.Write(f.Data); err != nil {
		return fmt.Errorf("write zip entry %q: %w", f.Name, err)
	}
	return nil
}

// sortedFiles validates every name and returns a sorted copy. Besides exact
// duplicates it rejects a file that is also a parent directory of another
// ("a" and "a/b"), which no file system can extract.
func sortedFiles(files []File) ([]File, error) {
	if len(files) == 0 {
		return nil, errors.New("no files to archive")
	}
	names := make(map[string]bool, len(files))
	for _, f := range files {
		if err := ValidatePath(f.Name); err != nil {
			return nil, err
		}
		if names[f.Name] {
			return nil, fmt.Errorf("duplicate entry path %q", f.Name)
		}
		names[f.Name] = true
	}
	for _, f := range files {
		if dir, ok := fileParent(f.Name, names); ok {
			return nil, fmt.Errorf("entry path %q is below %q, which is a file", f.Name, dir)
		}
	}
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b File) int { return cmp.Compare(a.Name, b.Name) })
	return sorted, nil
}

// fileParent returns the first parent directory of name that is itself one
// of the file names.
func fileParent(name string, names map[string]bool) (string, bool) {
	for i := range len(name) {
		if name[i] == '/' && names[name[:i]] {
			return name[:i], true
		}
	}
	return "", false
}
