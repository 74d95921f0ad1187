package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pureImportsForbidden lists what the pure packages (values in, values out)
// must not import: process and network I/O is wired in internal/cli and
// internal/action, and the network clients live in deploy, awsvars and
// artifact.
var pureImportsForbidden = []string{"os", "os/exec", "net", "net/http", "github.com/aws/", "github.com/sethvargo/go-githubactions"}

// TestImportBoundaries keeps the layering the README describes.
func TestImportBoundaries(t *testing.T) {
	// pipeline is what the CLI and the Action both run: pure, with files
	// and AWS handed in; exit maps errors to statuses; plan and review
	// compare templates and write the pull-request comment. One package a
	// line, so parallel branches merge.
	pure := []string{
		"annotate",
		"benchsvc",
		"clock",
		"compile",
		"diag",
		"exit",
		"jsnum",
		"lazyre",
		"lint",
		"node",
		"pathx",
		"pipeline",
		"plan",
		"preflight",
		"redact",
		"review",
		"rules",
		"stackref",
		"suggest",
		"textsafe",
		"vars",
		"yamlsrc",
	}
	for _, pkg := range pure {
		for path, imp := range imports(t, filepath.Join("internal", pkg)) {
			for _, bad := range pureImportsForbidden {
				if imp == bad || strings.HasSuffix(bad, "/") && strings.HasPrefix(imp, bad) {
					t.Errorf("%s imports %q: pure packages leave I/O to internal/cli and internal/action", path, imp)
				}
			}
			if top(imp) {
				t.Errorf("%s imports %s", path, imp)
			}
		}
	}
	io := []string{
		"account",
		"artifact",
		"awssession",
		"awsvars",
		"confine",
		"deploy",
		"files",
		"github",
		"loader",
		"mototest",
		"stackread",
	}
	for _, pkg := range io {
		for path, imp := range imports(t, filepath.Join("internal", pkg)) {
			if strings.HasPrefix(imp, "github.com/sethvargo/go-githubactions") || top(imp) {
				t.Errorf("%s imports %q: only internal/action speaks to the runner", path, imp)
			}
		}
	}
	// The Action is reached through the CLI, never the other way round;
	// the CLI leaves the runner to the Action.
	for path, imp := range imports(t, filepath.Join("internal", "action")) {
		if strings.HasSuffix(imp, "/internal/cli") {
			t.Errorf("%s imports internal/cli", path)
		}
	}
	for path, imp := range imports(t, filepath.Join("internal", "cli")) {
		if strings.HasPrefix(imp, "github.com/sethvargo/go-githubactions") {
			t.Errorf("%s imports %q: the runner's I/O belongs to internal/action", path, imp)
		}
	}
	// Every package is placed: a new one must say which kind it is.
	placed := map[string]bool{"action": true, "cli": true}
	for _, p := range append(pure, io...) {
		placed[p] = true
	}
	dirs, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !placed[d.Name()] {
			t.Errorf("internal/%s is in neither list of TestImportBoundaries: add it to pure or io", d.Name())
		}
	}
}

// top reports an import of the top packages, which nothing below them may
// import.
func top(imp string) bool {
	return strings.HasSuffix(imp, "/internal/cli") || strings.HasSuffix(imp, "/internal/action")
}

// imports maps "file: import" for the non-test files of dir.
func imports(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[f+": "+p] = p
		}
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return out
}
