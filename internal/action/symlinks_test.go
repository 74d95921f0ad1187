package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

// TestWrites_NeverFollowLinksOut: links a pull request commits where the
// Action writes (issue 8, item 1) make that one file fail with an error
// annotation and exit 3; nothing outside the workspace is created, changed
// or given away, and the other files and the outputs are still written.
func TestWrites_NeverFollowLinksOut(t *testing.T) {
	t.Parallel()
	orders := caseConfig(t, "01-dynamodb-literal-minimal")
	for _, c := range []struct {
		name    string
		setup   func(t *testing.T, h *hostile)
		refused string // in the error annotation
		output  string // an output that must still be set
	}{{
		name: "dangling link at the SARIF path",
		setup: func(t *testing.T, h *hostile) {
			h.write(t, "serverless.yml", orders)
			h.link(t, filepath.Join(h.outside, "new.sarif"), ".stream-events/results.sarif")
		},
		refused: "write SARIF file .stream-events/results.sarif",
		output:  "template-paths",
	}, {
		name: "link at a template path",
		setup: func(t *testing.T, h *hostile) {
			h.write(t, "serverless.yml", orders)
			writeOutside(t, h, "victim.json")
			h.link(t, filepath.Join(h.outside, "victim.json"), ".stream-events/templates/serverless.template.json")
		},
		refused: "write template .stream-events/templates/serverless.template.json",
		output:  "sarif-file",
	}, {
		name: "linked directory in the template dir",
		setup: func(t *testing.T, h *hostile) {
			h.write(t, "services/orders/serverless.yml", orders)
			h.write(t, "services/other/serverless.yml", strings.Replace(orders, "service: orders", "service: other", 1))
			writeOutside(t, h, "orders/serverless.template.json")
			h.link(t, h.outside, ".stream-events/templates/services/orders")
			h.env["INPUT_CONFIG"] = "services/*/serverless.yml"
		},
		refused: "write template .stream-events/templates/services/orders/serverless.template.json",
		output:  "template-paths",
	}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHostile(t)
			c.setup(t, h)
			giveAway(t, h.ws)
			before := snapshot(t, h.outside)

			code, log := h.run(t)

			if code != exit.IO {
				t.Errorf("exit %d, want %d\n%s", code, exit.IO, log)
			}
			if !strings.Contains(log, "::error::"+c.refused) {
				t.Errorf("no error annotation %q in\n%s", c.refused, log)
			}
			if after := snapshot(t, h.outside); after != before {
				t.Errorf("outside changed:\n%s\nwas\n%s", after, before)
			}
			out := h.outputs(t)
			if out[c.output] == "" {
				t.Errorf("output %s not set: %q", c.output, out)
			}
			if strings.Contains(out["template-paths"], strings.TrimPrefix(c.refused, "write template ")) {
				t.Errorf("template-paths names the refused file: %q", out["template-paths"])
			}
		})
	}
}

// writeOutside creates a file outside the workspace, owned by the
// superuser when the test runs as one.
func writeOutside(t *testing.T, h *hostile, name string) {
	t.Helper()
	p := filepath.Join(h.outside, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// giveAway gives the workspace to another user, as a runner's checkout
// belongs to the runner's user while the container runs as root: the
// Action then gives what it writes to that user, and must never give a
// file outside away through a link.
func giveAway(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	if err := os.Chown(dir, 4321, 4321); err != nil {
		t.Fatal(err)
	}
}

// TestAppendFile_NeverCreatesThroughALink: a runner file is appended as
// given, but one that does not exist yet is never created through a link.
func TestAppendFile_NeverCreatesThroughALink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "outside")
	link := filepath.Join(dir, "set_output")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := appendFile(link, []byte("x")); err == nil {
		t.Error("appended through a dangling link")
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("the link's target was created: %v", err)
	}
	plain := filepath.Join(dir, "summary")
	for range 2 {
		if err := appendFile(plain, []byte("y")); err != nil {
			t.Fatal(err)
		}
	}
	if got := readFile(t, plain); got != "yy" {
		t.Errorf("appended %q", got)
	}
}
