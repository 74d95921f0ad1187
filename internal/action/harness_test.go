package action

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
)

// hostile is a workspace, a RUNNER_TEMP and, beside them, an "outside"
// directory that no run may change, as a pull request's checkout sees them.
type hostile struct {
	ws, temp, outside string
	env               map[string]string
}

func newHostile(t testing.TB) *hostile {
	t.Helper()
	base := t.TempDir()
	h := &hostile{ws: filepath.Join(base, "ws"), temp: filepath.Join(base, "temp"), outside: filepath.Join(base, "outside")}
	for _, d := range []string{h.ws, h.temp, h.outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h.env = map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": h.ws, "RUNNER_TEMP": h.temp,
		"GITHUB_OUTPUT": filepath.Join(h.temp, "set_output"), "GITHUB_STEP_SUMMARY": filepath.Join(h.temp, "step_summary"),
		"INPUT_ARTIFACT-NAME": "", // no artifact service here
	}
	return h
}

// write creates a file below the workspace, with its directories.
func (h *hostile) write(t testing.TB, name, data string) {
	t.Helper()
	p := filepath.Join(h.ws, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// link creates a symbolic link below the workspace.
func (h *hostile) link(t testing.TB, target, name string) {
	t.Helper()
	p := filepath.Join(h.ws, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// run runs the Action in-process and returns its exit status and log.
func (h *hostile) run(t testing.TB) (int, string) {
	t.Helper()
	var log bytes.Buffer
	err := Run(context.Background(), Env{Stdout: &log, Dir: h.ws, FS: files.OS{}, Version: "test",
		Getenv: func(k string) (string, bool) { v, ok := h.env[k]; return v, ok }})
	return exit.Code(err), log.String()
}

// outputs parses GITHUB_OUTPUT; it is empty when nothing was written.
func (h *hostile) outputs(t testing.TB) map[string]string {
	t.Helper()
	data, err := os.ReadFile(h.env["GITHUB_OUTPUT"])
	if err != nil {
		t.Fatalf("no outputs: %v", err)
	}
	return parseOutputs(t, string(data))
}

// snapshot lists every name, mode, owner and content below dir.
func snapshot(t testing.TB, dir string) string {
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
		b.WriteString(p + " " + fi.Mode().String() + " " + owner(fi))
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

// caseConfig is a serverless.yml of the golden cases.
func caseConfig(t testing.TB, name string) string {
	return readFile(t, filepath.Join(moduleRoot(t), "testdata", "cases", name, "serverless.yml"))
}
