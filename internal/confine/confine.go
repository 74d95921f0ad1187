// Package confine reads and writes files only inside a root directory, on
// the real file system: symbolic links and ".." are followed by os.Root,
// which refuses every step that leaves the root, so a link in a repository
// cannot make the tool read the runner's secrets or write over its files.
// Reads take regular files only, without blocking on a named pipe or a
// device, and up to a size limit.
//
// Errors for what is refused are typed (OutsideError, NotRegularError,
// TooLargeError) and their messages do not repeat the path, so callers can
// name the file in a positioned finding. A missing file stays
// fs.ErrNotExist.
//
// os.Root refuses absolute symbolic links even when they point inside the
// root: a checked-out repository has no business holding one, and its
// target would be a path on another machine anyway.
package confine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/stream-events/stream-events/internal/pathx"
)

// Size limits for what is read: far above any real serverless.yml or file
// it includes, far below what would exhaust the runner's memory.
const (
	MaxConfigSize int64 = 10 << 20 // the configuration file
	MaxFileSize   int64 = 10 << 20 // each ${file(...)} target and .env file
)

// OutsideError refuses a path that is, or leads through a symbolic link,
// outside Root.
type OutsideError struct {
	Root string // as the caller gave it
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("outside the root %q (symbolic links followed)", filepath.ToSlash(e.Root))
}

// NotRegularError refuses a directory, named pipe, socket or device: only
// regular files are read or written.
type NotRegularError struct {
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return "not a regular file (" + kind(e.Mode) + ")"
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "an irregular file"
}

// GitDirError refuses to read a file in a .git directory: actions/checkout
// leaves the job's token in .git/config (http.extraheader, base64), and a
// ${file()} of it would carry the token into the template and the summary,
// a character at a time (${file(.git/config):42}) if need be, which no
// redaction can recognise. No configuration has a reason to read it.
type GitDirError struct{}

func (e *GitDirError) Error() string {
	return "inside a .git directory, which holds the checkout's credentials; it is never read"
}

// inGitDir reports whether p (absolute and clean), as written or with its
// symbolic links followed, has a .git part below root (absolute, clean).
// Case is ignored: on a case-insensitive file system .GIT is .git.
func inGitDir(root, p string) bool {
	for _, q := range []struct{ root, p string }{{root, p}, {realPath(root, 0), realPath(p, 0)}} {
		rel, ok := pathx.Rel(q.root, q.p)
		if !ok {
			continue
		}
		for _, part := range strings.Split(rel, "/") {
			if strings.EqualFold(part, ".git") {
				return true
			}
		}
	}
	return false
}

// TooLargeError refuses a file larger than Limit bytes.
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return "larger than the " + humanSize(e.Limit) + " limit"
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Resolve returns p (absolute, or relative to the working directory) as a
// clean absolute path when it is inside root both as written and with its
// symbolic links followed, dangling ones and those in a part that does not
// exist yet included, so a link that leads out is refused before anything
// is created. Otherwise the error is an *OutsideError. Root's own path may
// be a link (/tmp on macOS): p may be written through it or through its
// target. Resolve only checks; ReadFile and WriteFile also hold the line
// against a tree that changes after the check.
func Resolve(root, p string) (string, error) {
	abs, _, err := resolve(root, p)
	return abs, err
}

// resolve is Resolve, also returning p's name relative to root's absolute
// path, as os.Root takes it.
func resolve(root, p string) (abs, name string, err error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", "", err
	}
	if abs, err = filepath.Abs(p); err != nil {
		return "", "", err
	}
	realRoot := realPath(absRoot, 0)
	rel, ok := pathx.Rel(absRoot, abs)
	if !ok {
		rel, ok = pathx.Rel(realRoot, abs)
	}
	if !ok || !pathx.Within(realRoot, realPath(abs, 0)) {
		return "", "", &OutsideError{Root: root}
	}
	return abs, filepath.FromSlash(rel), nil
}

// maxLinks bounds the links followed, as the kernel's ELOOP does.
const maxLinks = 40

// realPath resolves the symbolic links of p (absolute and clean), where
// filepath.EvalSymlinks stops: at a link whose target does not exist and
// at a missing part, which is kept as written.
func realPath(p string, links int) string {
	rest := ""
	for cur := p; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		if fi, err := os.Lstat(cur); err == nil && fi.Mode()&fs.ModeSymlink != 0 && links < maxLinks {
			if t, err := os.Readlink(cur); err == nil {
				if !filepath.IsAbs(t) {
					t = filepath.Join(filepath.Dir(cur), t)
				}
				return realPath(filepath.Join(t, rest), links+1)
			}
		}
		if filepath.Dir(cur) == cur {
			return p
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}

// inRoot checks p against root (see Resolve) and returns the open root and
// p's name inside it.
func inRoot(root, p string) (*os.Root, string, error) {
	_, name, err := resolve(root, p)
	if err != nil {
		return nil, "", err
	}
	absRoot, _ := filepath.Abs(root) // cannot fail: resolve did it
	r, err := os.OpenRoot(absRoot)
	if err != nil {
		return nil, "", err
	}
	return r, name, nil
}

// ReadFile reads the regular file p (absolute, or relative to the working
// directory) inside root, up to limit bytes, and never one in a .git
// directory (GitDirError).
func ReadFile(root, p string, limit int64) ([]byte, error) {
	r, name, err := inRoot(root, p)
	if err != nil {
		return nil, pathErr("read", p, err)
	}
	defer r.Close()
	if absRoot, _ := filepath.Abs(root); inGitDir(absRoot, filepath.Join(absRoot, name)) {
		return nil, pathErr("read", p, &GitDirError{})
	}
	// A socket cannot be opened at all: refuse what is not a regular file
	// by its mode first. O_NONBLOCK: a named pipe swapped in after this
	// check must not wait for a writer; readRegular then refuses it.
	if fi, err := r.Stat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, pathErr("read", p, &NotRegularError{Mode: fi.Mode()})
	}
	f, err := r.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRegular(f, p, limit)
}

// Reader returns a ReadFile bound to root and limit, the form
// vars.Options.ReadFile takes.
func Reader(root string, limit int64) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) { return ReadFile(root, p, limit) }
}

// ReadRegular reads the regular file p, wherever it is, up to limit bytes:
// for a file the user named on the command line, which no root bounds.
func ReadRegular(p string, limit int64) ([]byte, error) {
	if fi, err := os.Stat(p); err == nil && !fi.Mode().IsRegular() {
		return nil, pathErr("read", p, &NotRegularError{Mode: fi.Mode()})
	}
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRegular(f, p, limit)
}

// readRegular checks the opened file itself, not the name, so what is
// read is what was checked.
func readRegular(f *os.File, p string, limit int64) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, pathErr("read", p, &NotRegularError{Mode: fi.Mode()})
	}
	if fi.Size() > limit {
		return nil, pathErr("read", p, &TooLargeError{Limit: limit})
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1)) // it may grow while read
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, pathErr("read", p, &TooLargeError{Limit: limit})
	}
	return data, nil
}

// WriteFile writes data to the file p (absolute, or relative to the working
// directory) inside root, creating it (mode 0644) and its missing parent
// directories (0755). No step may leave root: not "..", not a symbolic
// link (a dangling one included) to outside, not a linked directory. Only
// a regular file is overwritten. When the process runs as the superuser
// and root belongs to another user, the file and the directories made for
// it are given to that user: the Action's container runs as root, and
// root-owned files in the checkout break later steps and the next checkout
// on self-hosted runners (actions/runner#434, #1282). That is best effort,
// and never follows a link.
func WriteFile(root, p string, data []byte) error {
	r, name, err := inRoot(root, p)
	if err != nil {
		return pathErr("write", p, err)
	}
	defer r.Close()
	if name == "." {
		return pathErr("write", p, &NotRegularError{Mode: fs.ModeDir})
	}
	var made []string // the directories MkdirAll will create, deepest first
	for d := filepath.Dir(name); d != "."; d = filepath.Dir(d) {
		if _, err := r.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		made = append(made, d)
	}
	if err := r.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if fi, err := r.Lstat(name); err == nil && !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
		return pathErr("write", p, &NotRegularError{Mode: fi.Mode()})
	}
	// O_NONBLOCK: a named pipe swapped in after the check fails to open
	// instead of waiting for a reader.
	f, err := r.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NONBLOCK, 0o644)
	if err != nil {
		return err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = pathErr("write", p, &NotRegularError{Mode: fi.Mode()})
		}
		return err
	}
	_, err = f.Write(data)
	if uid, gid, ok := owner(r); ok && err == nil {
		_ = f.Chown(uid, gid) // the open file: no name to redirect
		for _, d := range made {
			_ = r.Lchown(d, uid, gid)
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func pathErr(op, p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	return &fs.PathError{Op: op, Path: p, Err: err}
}
