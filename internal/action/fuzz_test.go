package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzActionPaths runs the Action on hostile trees built from the input:
// file and directory names with odd bytes, symbolic links inside, outside
// and dangling, directories named like the files the Action writes. It
// must never create or change anything outside the workspace and
// RUNNER_TEMP, never set an output it does not have (GITHUB_OUTPUT parsed
// with its delimiters), and never panic.
func FuzzActionPaths(f *testing.F) {
	for _, seed := range []string{
		"\x00svc",
		"\x00svc\x00\x11.stream-events/results.sarif",
		"\x00svc\x00\x22svc",
		"\x00a\n/etc/cron.d/evil\x00\x00b",
		"\x00svc\x00\x42results.sarif",
		"\x00svc\x00\x33x\x00\x23templates",
		"\x00..\x00\x01../x",
		"\x00svc\x00\x13loop",
		"\x70README.md\x00\x00svc",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return
		}
		h := newHostile(t)
		h.env["INPUT_CONFIG"] = "**/serverless.yml"
		for i, rec := range strings.Split(string(data), "\x00") {
			if i == 0 {
				if len(rec) > 0 && rec[0]&0x40 != 0 {
					h.env["INPUT_CONFIG"] = "**/*"
				}
				continue
			}
			build(t, h, rec)
		}
		before := snapshot(t, h.outside)

		h.run(t)

		if after := snapshot(t, h.outside); after != before {
			t.Fatalf("outside changed:\n%s\nwas\n%s", after, before)
		}
		data, err := os.ReadFile(h.env["GITHUB_OUTPUT"])
		if err != nil {
			return // a usage error: no outputs
		}
		for name, value := range parseOutputs(t, string(data)) {
			if !knownOutputs[name] {
				t.Fatalf("unknown output %q = %q", name, value)
			}
		}
		for _, p := range strings.Split(parseOutputs(t, string(data))["template-paths"], "\n") {
			if p == "" {
				continue
			}
			fi, err := os.Lstat(filepath.Join(h.ws, filepath.FromSlash(p)))
			if err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("template-paths names %q, which is no file of the workspace: %v", p, err)
			}
		}
	})
}

// knownOutputs are the outputs action.yml declares.
var knownOutputs = map[string]bool{
	"template-paths": true, "errors": true, "warnings": true, "notices": true, "sarif-file": true,
	"services": true, "artifact-id": true, "artifact-url": true, "deployments": true, "stack-id": true,
	"stack-status": true, "change-set-id": true, "has-changes": true, "changes": true, "stack-outputs": true,
}

// prefixes put names where the Action writes.
var prefixes = []string{"", ".stream-events/", ".stream-events/templates/", ".stream-events/templates/svc/"}

// build adds one entry to the tree: its first byte picks what (low
// nibble) and where (bits 4-5), the rest is the name.
func build(t *testing.T, h *hostile, rec string) {
	if rec == "" {
		return
	}
	kind, name := rec[0]&0x0f, prefixes[rec[0]>>4&3]+rec[1:]
	if name == "" || len(name) > 200 {
		return
	}
	p := filepath.Join(h.ws, name)
	if !strings.HasPrefix(p, h.ws+string(filepath.Separator)) {
		return // the test's own writes stay in the workspace
	}
	if err := mkdirAllInside(h.ws, filepath.Dir(p)); err != nil {
		return
	}
	switch kind % 7 {
	case 0: // a service directory
		if os.MkdirAll(p, 0o755) == nil && insideReal(h.ws, p) {
			_ = os.WriteFile(filepath.Join(p, "serverless.yml"), []byte(caseConfig(t, "01-dynamodb-literal-minimal")), 0o644)
		}
	case 1: // a link to a directory outside
		_ = os.Symlink(h.outside, p)
	case 2: // a dangling link to outside
		_ = os.Symlink(filepath.Join(h.outside, "new"), p)
	case 3: // a relative link to the workspace's root, a loop
		_ = os.Symlink("."+strings.Repeat("/..", strings.Count(name, "/")), p)
	case 4: // a directory, named like an output
		_ = os.MkdirAll(p, 0o755)
	case 5: // a file outside, linked
		_ = os.WriteFile(filepath.Join(h.outside, "victim"), []byte("precious"), 0o644)
		_ = os.Symlink(filepath.Join(h.outside, "victim"), p)
	case 6: // an odd file
		if insideReal(h.ws, filepath.Dir(p)) {
			_ = os.WriteFile(p, []byte("\x00\xff: ["), 0o644)
		}
	}
}

// mkdirAllInside creates dir's missing parents unless that would go
// through a link: building the tree must not write outside either.
func mkdirAllInside(ws, dir string) error {
	if !insideReal(ws, dir) {
		return os.ErrPermission
	}
	return os.MkdirAll(dir, 0o755)
}

// insideReal reports whether the existing part of p stays in ws.
func insideReal(ws, p string) bool {
	for cur := p; ; cur = filepath.Dir(cur) {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return real == ws || strings.HasPrefix(real, ws+string(filepath.Separator))
		}
		if cur == ws || filepath.Dir(cur) == cur {
			return false
		}
	}
}
