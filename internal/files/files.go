// Package files is the file access the commands and the Action share: a
// file system tests can replace, paths taken from a working directory, and
// reads confined to the repository.
package files

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// FS is the file access commands need; tests substitute a temp dir or
// memory.
type FS interface {
	ReadFile(name string) ([]byte, error)
	WriteFile(name string, data []byte) error
	Stat(name string) bool
}

// OS is the real file system.
type OS struct{}

// ReadFile reads a file.
func (OS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// WriteFile writes a file with 0644 permissions.
func (OS) WriteFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

// Create opens a file for streaming writes, so a large template is never
// held in memory whole.
func (OS) Create(name string) (io.WriteCloser, error) { return os.Create(name) }

// Stat reports whether a regular file exists.
func (OS) Stat(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

// Abs is p taken from dir, unless p is absolute or dir is empty.
func Abs(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// errOutsideRoot refuses a file that is, or links to, something outside the
// repository: ${file()} must not read the runner's secrets into a template.
var errOutsideRoot = errors.New("the file is outside the repository root (through a symbolic link)")

// Dir is the file access for loading configs from a working directory:
// paths are relative to it, and reads are confined to the repository.
type Dir struct {
	fsys     FS
	dir      string
	root     string // the repository root (see repoRoot)
	realRoot string // root with symbolic links resolved
}

// InDir returns the file access for dir.
func InDir(fsys FS, getenv func(string) (string, bool), dir string) *Dir {
	d := &Dir{fsys: fsys, dir: dir, root: repoRoot(fsys, getenv, dir)}
	var err error
	if d.realRoot, err = filepath.EvalSymlinks(d.root); err != nil {
		d.realRoot = d.root
	}
	return d
}

// Stat reports whether p is a regular file.
func (d *Dir) Stat(p string) bool { return d.fsys.Stat(Abs(d.dir, p)) }

// ReadFile reads p and refuses a file whose real path (symbolic links
// followed) leaves the repository root. The resolver already refuses "../"
// paths; links are checked here, where the real file system is known.
func (d *Dir) ReadFile(p string) ([]byte, error) {
	abs := Abs(d.dir, p)
	if _, isOS := d.fsys.(OS); isOS && d.realRoot != "" {
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, err
		}
		if rel, err := filepath.Rel(d.realRoot, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, errOutsideRoot
		}
	}
	return d.fsys.ReadFile(abs)
}

// Root is the repository root relative to the working directory.
func (d *Dir) Root() string {
	if rel, err := filepath.Rel(d.dir, d.root); err == nil && d.dir != "" {
		return rel
	}
	return d.root
}

// repoRoot bounds ${file(...)}: the workspace in Actions, else the working
// directory's git root, else the working directory.
func repoRoot(fsys FS, getenv func(string) (string, bool), dir string) string {
	if ws, ok := getenv("GITHUB_WORKSPACE"); ok && ws != "" && dir != "" && strings.HasPrefix(dir, ws) {
		return ws
	}
	for d := dir; d != "" && d != "/" && d != "."; d = filepath.Dir(d) {
		if fsys.Stat(filepath.Join(d, ".git", "HEAD")) {
			return d
		}
	}
	return dir
}
