package pipeline

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/rules"
	"github.com/stream-events/stream-events/internal/vars"
)

var testNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// loadBytes loads data as serverless.yml.
func loadBytes(tb testing.TB, data []byte) *loader.Config {
	tb.Helper()
	cfg, err := loader.Load("serverless.yml", vars.Options{ReadFile: func(p string) ([]byte, error) {
		if p == "serverless.yml" {
			return data, nil
		}
		return nil, fs.ErrNotExist
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// twoRuns is LintAll as it was before it shared one lint run with the
// standalone compile: Lint, then Compile, which linted again.
func twoRuns(cfg *loader.Config, now time.Time) diag.Findings {
	findings := Lint(cfg, now)
	_, _, cf, _ := Compile(cfg, Options{Mode: Standalone, SkipEmpty: true})
	for _, f := range cf {
		if r, _ := rules.Lookup(f.Rule); r.Producer != "lint" && f.Rule != compile.RoleRule && !compile.IsNoStreamEvents(f) {
			findings = append(findings, f)
		}
	}
	return findings.Sorted()
}

// TestLintAllLintsOnce checks that lint, deploy and the Action, which lint
// once, report what two runs did, on the linter's examples and the golden
// configs.
func TestLintAllLintsOnce(t *testing.T) {
	var paths []string
	for _, glob := range []string{"../lint/testdata/*/*.yml", "../../testdata/cases/*/serverless.yml"} {
		m, _ := filepath.Glob(glob)
		paths = append(paths, m...)
	}
	if len(paths) < 100 {
		t.Fatalf("found %d configs", len(paths))
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg := loadBytes(t, data)
		got, want := LintAll(cfg, testNow), twoRuns(cfg, testNow)
		if !slices.Equal(got, want) {
			t.Errorf("LintAll %s:\n got %v\nwant %v", p, got, want)
		}
		// deploy: Lint, then the standalone template.
		tpl, got, _ := LintedTemplate(cfg, "", testNow)
		want = Lint(cfg, testNow)
		wantTpl, cf, _ := StandaloneTemplate(cfg, "")
		want = append(want, cf...).Sorted()
		if !slices.Equal(got, want) || (tpl == nil) != (wantTpl == nil) {
			t.Errorf("LintedTemplate %s:\n got %v\nwant %v", p, got, want)
		}
		// The Action, in both modes.
		for _, o := range []Options{{Mode: Serverless}, {Mode: Standalone, SkipEmpty: true}} {
			linted, _, _, got, _ := LintCompile(cfg, o, testNow)
			_, _, want, _ := Compile(cfg, o)
			if !slices.Equal(linted, Lint(cfg, testNow)) || !slices.Equal(got, want) {
				t.Errorf("LintCompile %s %s:\n got %v\nwant %v", o.Mode, p, got, want)
			}
		}
	}
}

// BenchmarkLintAll is the lint command's work after loading, on the
// 1000-function service of the root package's BenchmarkCompile.
func BenchmarkLintAll(b *testing.B) {
	cfg := loadBytes(b, benchsvc.Service(1000))
	b.ReportAllocs()
	for b.Loop() {
		LintAll(cfg, testNow)
	}
}

// BenchmarkCompileServerless is compile --mode serverless after loading.
func BenchmarkCompileServerless(b *testing.B) {
	cfg := loadBytes(b, benchsvc.Service(1000))
	b.ReportAllocs()
	for b.Loop() {
		if tpl, _, _, _ := Compile(cfg, Options{Mode: Serverless}); tpl == nil {
			b.Fatal("no template")
		}
	}
}

// BenchmarkLoad reads and resolves the service (YAML parsing included).
func BenchmarkLoad(b *testing.B) {
	data := benchsvc.Service(1000)
	b.ReportAllocs()
	for b.Loop() {
		loadBytes(b, data)
	}
}
