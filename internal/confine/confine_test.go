//go:build unix

package confine

import (
	"bytes"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tree is a temp dir with a root to confine to and, beside it, an
// "outside" directory holding a secret that no case may read or change.
type tree struct{ root, outside string }

func newTree(t *testing.T) tree {
	t.Helper()
	base := t.TempDir()
	tr := tree{filepath.Join(base, "root"), filepath.Join(base, "outside")}
	for _, d := range []string{tr.root, tr.outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeRaw(t, filepath.Join(tr.outside, "secret.txt"), "s3cret")
	writeRaw(t, filepath.Join(tr.root, "real.txt"), "inside")
	return tr
}

func writeRaw(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func fifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
}

// snapshot lists every name, mode and content below dir, to show that
// nothing there was created or changed.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		b.WriteString(p + " " + fi.Mode().String())
		if fi.Mode().IsRegular() {
			data, _ := os.ReadFile(p)
			b.WriteString(" " + string(data))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// within runs f and fails the test if it does not return in time: a read
// that blocks on a named pipe would hang forever.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("blocked")
	}
}

func errKind(err error) string {
	var (
		out *OutsideError
		nr  *NotRegularError
		big *TooLargeError
		git *GitDirError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &out):
		return "outside"
	case errors.As(err, &nr):
		return "not regular"
	case errors.As(err, &big):
		return "too large"
	case errors.As(err, &git):
		return "git dir"
	case errors.Is(err, fs.ErrNotExist):
		return "not exist"
	}
	return "other: " + err.Error()
}

func TestWriteFile(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, tr tree)
		path  string // relative to the root, or absolute after "@" replaced by the base
		want  string // error kind, "" for success
		check string // path below the root that must then hold "new", if any
	}{
		{name: "plain", path: "a.txt", check: "a.txt"},
		{name: "new directories", path: "sub/dir/a.txt", check: "sub/dir/a.txt"},
		{name: "overwrite", path: "real.txt", check: "real.txt"},
		{name: "newline in name", path: "a\nb.txt", check: "a\nb.txt"},
		{name: "dot-dot out", path: "../outside/x.txt", want: "outside"},
		{name: "dot-dot through a subdir", path: "sub/../../outside/x.txt", want: "outside"},
		{name: "absolute outside", path: "@/outside/x.txt", want: "outside"},
		{name: "the root itself", path: ".", want: "not regular"},
		{name: "a directory", path: "d", want: "not regular", setup: func(t *testing.T, tr tree) {
			os.Mkdir(filepath.Join(tr.root, "d"), 0o755)
		}},
		{name: "link to outside file", path: "s.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, "../outside/secret.txt", filepath.Join(tr.root, "s.txt"))
		}},
		{name: "absolute link to outside file", path: "s.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, filepath.Join(tr.outside, "secret.txt"), filepath.Join(tr.root, "s.txt"))
		}},
		{name: "dangling link to outside", path: "l.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, "../outside/new.txt", filepath.Join(tr.root, "l.txt"))
		}},
		{name: "dangling absolute link to outside", path: "l.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, filepath.Join(tr.outside, "new.txt"), filepath.Join(tr.root, "l.txt"))
		}},
		{name: "chain of links to outside", path: "l1", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, "l2", filepath.Join(tr.root, "l1"))
			link(t, "../outside/new.txt", filepath.Join(tr.root, "l2"))
		}},
		{name: "linked directory to outside", path: "d/x.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, "../outside", filepath.Join(tr.root, "d"))
		}},
		{name: "new directory below a linked one", path: "d/new/x.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, tr.outside, filepath.Join(tr.root, "d"))
		}},
		{name: "link inside the root", path: "in.txt", check: "real.txt", setup: func(t *testing.T, tr tree) {
			link(t, "real.txt", filepath.Join(tr.root, "in.txt"))
		}},
		{name: "named pipe", path: "p", want: "not regular", setup: func(t *testing.T, tr tree) {
			fifo(t, filepath.Join(tr.root, "p"))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTree(t)
			if c.setup != nil {
				c.setup(t, tr)
			}
			before := snapshot(t, tr.outside)
			p := filepath.Join(tr.root, c.path)
			if strings.HasPrefix(c.path, "@") {
				p = filepath.Join(filepath.Dir(tr.root), c.path[1:])
			}
			var err error
			within(t, func() { err = WriteFile(tr.root, p, []byte("new")) })
			if got := errKind(err); got != c.want {
				t.Fatalf("error %v (%s), want %q", err, got, c.want)
			}
			if after := snapshot(t, tr.outside); after != before {
				t.Errorf("outside changed:\n%s\nwas\n%s", after, before)
			}
			if c.check != "" {
				if data, err := os.ReadFile(filepath.Join(tr.root, c.check)); string(data) != "new" {
					t.Errorf("%s holds %q, %v", c.check, data, err)
				}
			}
		})
	}
}

func TestWriteFileOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs the superuser to give files away")
	}
	tr := newTree(t)
	os.Mkdir(filepath.Join(tr.root, "kept"), 0o755) // exists: not given away
	if err := os.Chown(tr.root, 4321, 4322); err != nil {
		t.Skip(err)
	}
	if err := WriteFile(tr.root, filepath.Join(tr.root, "kept/a/b/c.txt"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	for p, uid := range map[string]uint32{"kept": 0, "kept/a": 4321, "kept/a/b": 4321, "kept/a/b/c.txt": 4321} {
		fi, err := os.Lstat(filepath.Join(tr.root, p))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != uid || uid != 0 && st.Gid != 4322 {
			t.Errorf("%s owned by %d:%d, want %d", p, st.Uid, st.Gid, uid)
		}
	}
}

func TestReadFile(t *testing.T) {
	const limit = 16
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, tr tree)
		path  string // relative to the root; "@" starts one relative to the base
		want  string // error kind
		data  string
	}{
		{name: "plain", path: "real.txt", data: "inside"},
		{name: "newline in name", path: "a\nb", data: "nl", setup: func(t *testing.T, tr tree) {
			writeRaw(t, filepath.Join(tr.root, "a\nb"), "nl")
		}},
		{name: "link inside", path: "in.txt", data: "inside", setup: func(t *testing.T, tr tree) {
			link(t, "real.txt", filepath.Join(tr.root, "in.txt"))
		}},
		{name: "missing", path: "nope.txt", want: "not exist"},
		{name: "dangling link inside", path: "l", want: "not exist", setup: func(t *testing.T, tr tree) {
			link(t, "nope.txt", filepath.Join(tr.root, "l"))
		}},
		{name: "dot-dot out", path: "../outside/secret.txt", want: "outside"},
		{name: "absolute outside", path: "@/outside/secret.txt", want: "outside"},
		{name: "link to outside file", path: "s.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, "../outside/secret.txt", filepath.Join(tr.root, "s.txt"))
		}},
		{name: "absolute link to outside file", path: "s.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, filepath.Join(tr.outside, "secret.txt"), filepath.Join(tr.root, "s.txt"))
		}},
		{name: "linked directory to outside", path: "d/secret.txt", want: "outside", setup: func(t *testing.T, tr tree) {
			link(t, "../outside", filepath.Join(tr.root, "d"))
		}},
		{name: "checkout credentials", path: ".git/config", want: "git dir", setup: gitConfig},
		{name: "a submodule's .git", path: "sub/.git/config", want: "git dir", setup: func(t *testing.T, tr tree) {
			if err := os.MkdirAll(filepath.Join(tr.root, "sub", ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeRaw(t, filepath.Join(tr.root, "sub", ".git", "config"), "token")
		}},
		{name: "case-folded .git", path: ".GIT/config", want: "git dir", setup: func(t *testing.T, tr tree) {
			if err := os.Mkdir(filepath.Join(tr.root, ".GIT"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeRaw(t, filepath.Join(tr.root, ".GIT", "config"), "token")
		}},
		{name: "link into .git", path: "c.txt", want: "git dir", setup: func(t *testing.T, tr tree) {
			gitConfig(t, tr)
			link(t, ".git/config", filepath.Join(tr.root, "c.txt"))
		}},
		{name: "linked directory into .git", path: "g/config", want: "git dir", setup: func(t *testing.T, tr tree) {
			gitConfig(t, tr)
			link(t, ".git", filepath.Join(tr.root, "g"))
		}},
		{name: ".gitignore is no .git", path: ".gitignore", data: "x", setup: func(t *testing.T, tr tree) {
			writeRaw(t, filepath.Join(tr.root, ".gitignore"), "x")
		}},
		{name: "named pipe", path: "p", want: "not regular", setup: func(t *testing.T, tr tree) {
			fifo(t, filepath.Join(tr.root, "p"))
		}},
		{name: "link to a named pipe", path: "l", want: "not regular", setup: func(t *testing.T, tr tree) {
			fifo(t, filepath.Join(tr.root, "p"))
			link(t, "p", filepath.Join(tr.root, "l"))
		}},
		{name: "socket", path: "s", want: "not regular", setup: func(t *testing.T, tr tree) {
			l, err := net.Listen("unix", filepath.Join(tr.root, "s"))
			if err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { l.Close() })
		}},
		{name: "directory", path: ".", want: "not regular"},
		{name: "at the limit", path: "big", data: strings.Repeat("x", limit), setup: func(t *testing.T, tr tree) {
			writeRaw(t, filepath.Join(tr.root, "big"), strings.Repeat("x", limit))
		}},
		{name: "over the limit", path: "big", want: "too large", setup: func(t *testing.T, tr tree) {
			writeRaw(t, filepath.Join(tr.root, "big"), strings.Repeat("x", limit+1))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := newTree(t)
			if c.setup != nil {
				c.setup(t, tr)
			}
			p := filepath.Join(tr.root, c.path)
			if strings.HasPrefix(c.path, "@") {
				p = filepath.Join(filepath.Dir(tr.root), c.path[1:])
			}
			var (
				data []byte
				err  error
			)
			within(t, func() { data, err = ReadFile(tr.root, p, limit) })
			if got := errKind(err); got != c.want {
				t.Fatalf("error %v (%s), want %q", err, got, c.want)
			}
			if string(data) != c.data {
				t.Errorf("read %q, want %q", data, c.data)
			}
			if bytes.Contains(data, []byte("s3cret")) {
				t.Errorf("secret read")
			}
		})
	}
}

// gitConfig writes the .git/config actions/checkout leaves: the job's
// token, base64-encoded, in http.extraheader.
func gitConfig(t *testing.T, tr tree) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(tr.root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeRaw(t, filepath.Join(tr.root, ".git", "config"), "basic eC1h")
}

// TestReadFileLinkedRoot: the root's own path may be a link (/tmp on
// macOS); paths through the link and through its target both read.
func TestReadFileLinkedRoot(t *testing.T) {
	tr := newTree(t)
	alias := filepath.Join(filepath.Dir(tr.root), "alias")
	link(t, tr.root, alias)
	for _, p := range []string{filepath.Join(alias, "real.txt"), filepath.Join(tr.root, "real.txt")} {
		if data, err := ReadFile(alias, p, MaxFileSize); err != nil || string(data) != "inside" {
			t.Errorf("ReadFile(%s) = %q, %v", p, data, err)
		}
	}
	if _, err := ReadFile(alias, filepath.Join(tr.outside, "secret.txt"), MaxFileSize); errKind(err) != "outside" {
		t.Errorf("outside read: %v", err)
	}
}

// TestReadRelative: relative paths are taken from the working directory.
func TestReadRelative(t *testing.T) {
	tr := newTree(t)
	t.Chdir(tr.root)
	if data, err := Reader(".", MaxFileSize)("real.txt"); err != nil || string(data) != "inside" {
		t.Errorf("read %q, %v", data, err)
	}
	if _, err := Reader(".", MaxFileSize)("../outside/secret.txt"); errKind(err) != "outside" {
		t.Errorf("outside read: %v", err)
	}
}

func TestReadRegular(t *testing.T) {
	tr := newTree(t)
	fifo(t, filepath.Join(tr.root, "p"))
	within(t, func() {
		if _, err := ReadRegular(filepath.Join(tr.root, "p"), MaxConfigSize); errKind(err) != "not regular" {
			t.Errorf("named pipe: %v", err)
		}
	})
	if data, err := ReadRegular(filepath.Join(tr.outside, "secret.txt"), 6); err != nil || string(data) != "s3cret" {
		t.Errorf("read %q, %v", data, err)
	}
	if _, err := ReadRegular(filepath.Join(tr.outside, "secret.txt"), 5); errKind(err) != "too large" {
		t.Errorf("over the limit: %v", err)
	}
}

func TestResolve(t *testing.T) {
	tr := newTree(t)
	link(t, "../outside", filepath.Join(tr.root, "out"))
	for p, want := range map[string]string{
		"real.txt":          "",
		"new/dir/file":      "",
		".":                 "",
		"out":               "outside",
		"out/not/yet/there": "outside",
		"../outside":        "outside",
		"../rootx":          "outside",
	} {
		abs, err := Resolve(tr.root, filepath.Join(tr.root, p))
		if got := errKind(err); got != want {
			t.Errorf("Resolve(%s): %v, want %q", p, err, want)
		}
		if err == nil && abs != filepath.Join(tr.root, p) {
			t.Errorf("Resolve(%s) = %s", p, abs)
		}
	}
}

func TestMessages(t *testing.T) {
	for err, want := range map[error]string{
		&NotRegularError{Mode: fs.ModeNamedPipe}: "not a regular file (a named pipe)",
		&NotRegularError{Mode: fs.ModeDir}:       "not a regular file (a directory)",
		&TooLargeError{Limit: MaxFileSize}:       "larger than the 10 MiB limit",
		&TooLargeError{Limit: 1536}:              "larger than the 1536 bytes limit",
		&TooLargeError{Limit: 2048}:              "larger than the 2 KiB limit",
		&OutsideError{Root: "."}:                 `outside the root "." (symbolic links followed)`,
		&GitDirError{}:                           "inside a .git directory, which holds the checkout's credentials; it is never read",
	} {
		if err.Error() != want {
			t.Errorf("%q, want %q", err.Error(), want)
		}
	}
}
