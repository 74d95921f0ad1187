// Package files is the file access the commands and the Action share: a
// file system tests can replace, paths taken from a working directory, and
// reads confined to the repository.
package files

import (
	"io"
	"os"
	"path/filepath"

	"github.com/stream-events/stream-events/internal/confine"
	"github.com/stream-events/stream-events/internal/pathx"
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

// Dir is the file access for loading configs from a working directory:
// paths are relative to it, and reads are confined to the repository.
type Dir struct {
	fsys FS
	dir  string
	root string // the repository root (see repoRoot)
}

// InDir returns the file access for dir, confined to dir's repository.
func InDir(fsys FS, getenv func(string) (string, bool), dir string) *Dir {
	return &Dir{fsys: fsys, dir: dir, root: repoRoot(fsys, getenv, dir)}
}

// ForConfig returns the file access for dir, confined to the repository of
// config (as given, relative to dir; "" for the default in dir): a config
// named by an absolute path reads its ${file(...)} in its own repository.
func ForConfig(fsys FS, getenv func(string) (string, bool), dir, config string) *Dir {
	d := InDir(fsys, getenv, dir)
	if config == "" {
		return d
	}
	if cdir := filepath.Dir(Abs(dir, config)); !pathx.Within(d.root, cdir) {
		d.root = repoRoot(fsys, getenv, cdir)
	}
	return d
}

// Stat reports whether p is a regular file.
func (d *Dir) Stat(p string) bool { return d.fsys.Stat(Abs(d.dir, p)) }

// ReadFile reads the regular file p, of at most confine.MaxFileSize bytes,
// and refuses one that is, or leads through a symbolic link, outside the
// repository root (see confine.ReadFile). The resolver already refuses
// "../" paths; links are checked here, where the real file system is
// known. A substitute file system (tests) is read as it is.
func (d *Dir) ReadFile(p string) ([]byte, error) {
	abs := Abs(d.dir, p)
	if _, isOS := d.fsys.(OS); isOS {
		return confine.ReadFile(d.root, abs, confine.MaxFileSize)
	}
	return d.fsys.ReadFile(abs)
}

// Root is the repository root relative to the working directory, or
// absolute when it is not below it (a config named by an absolute path).
func (d *Dir) Root() string {
	if rel, ok := pathx.Rel(d.dir, d.root); ok && d.dir != "" {
		return filepath.FromSlash(rel)
	}
	return d.root
}

// repoRoot bounds ${file(...)}: the workspace in Actions, else the working
// directory's git root, else the working directory.
func repoRoot(fsys FS, getenv func(string) (string, bool), dir string) string {
	if ws, ok := getenv("GITHUB_WORKSPACE"); ok && ws != "" && dir != "" && pathx.Within(ws, dir) {
		return ws
	}
	for d := dir; d != "" && d != "/" && d != "."; d = filepath.Dir(d) {
		if fsys.Stat(filepath.Join(d, ".git", "HEAD")) {
			return d
		}
	}
	return dir
}
