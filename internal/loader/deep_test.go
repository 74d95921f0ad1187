package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/vars"
)

// deepShapes are the ways a deeply nested value reaches the stages, each
// written in flow style so the file stays linear in the depth.
var deepShapes = []string{"filterPatterns", "self", "self-seq", "self-vars"}

// deepConfig is a service whose one stream event's filter pattern is
// nested depth levels deep. "filterPatterns" writes it in place; the
// "self" shapes put it under custom and read it through ${self:}: a
// mapping, a sequence, or a mapping with a variable at every level (many
// quoted strings on one line).
func deepConfig(shape string, depth int) []byte {
	var deep string
	switch shape {
	case "filterPatterns", "self":
		deep = strings.Repeat("{a: ", depth) + "[1]" + strings.Repeat("}", depth)
	case "self-seq":
		deep = "{a: " + strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth) + "}"
	case "self-vars":
		deep = strings.Repeat("{v: '${self:service}', a: ", depth) + "[1]" + strings.Repeat("}", depth)
	default:
		panic(shape)
	}
	var b strings.Builder
	b.WriteString("service: deep\nprovider:\n  name: aws\n")
	pattern := deep
	if shape != "filterPatterns" {
		b.WriteString("custom:\n  deep: " + deep + "\n")
		pattern = "${self:custom.deep}"
	}
	b.WriteString("functions:\n  f:\n    handler: h\n    events:\n      - stream:\n          type: dynamodb\n" +
		"          arn: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000\n" +
		"          filterPatterns:\n            - " + pattern + "\n")
	return []byte(b.String())
}

// lintAndCompile runs what the lint and compile commands run on a config:
// load (parse and resolve), lint, and compile in both modes.
func lintAndCompile(t testing.TB, data []byte) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p, vars.Options{ServiceDir: dir, Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Root == nil || cfg.Findings.HasErrors() {
		t.Fatalf("load: %v", cfg.Findings)
	}
	_ = lint.Lint(cfg.Root, lint.Options{Now: time.Unix(0, 0), Stage: cfg.Stage})
	svc, lf := compile.Load(cfg.Root, cfg.Stage, cfg.Region)
	res := compile.Compile(svc)
	if lf.HasErrors() || res.Findings.HasErrors() {
		t.Fatalf("compile: %v %v", lf, res.Findings)
	}
	for _, standalone := range []bool{false, true} {
		var tpl *node.Node
		if standalone {
			tpl, _ = compile.Standalone(res, compile.StandaloneOptions{})
		} else {
			tpl, _ = compile.ServerlessTemplate(res, nil)
		}
		if !strings.Contains(tpl.Stringify(), `"Pattern"`) {
			t.Fatal("the template has no filter pattern")
		}
	}
}

// TestDeepValuesUseLinearMemory: a deep value read through ${self:} or
// written in filterPatterns once took memory quadratic in its depth (a
// copy of the key path per level in lint and vars, a []rune copy of the
// whole line per quoted string in yamlsrc): 9,990 levels took 1.6 GB.
// 6,000 levels must stay far below that.
func TestDeepValuesUseLinearMemory(t *testing.T) {
	const depth = 6000
	// Linear use is 7 to 25 MB (more under the race detector); it was 0.7 to
	// 6.9 GB.
	const limit = 128 << 20
	for _, shape := range deepShapes {
		t.Run(shape, func(t *testing.T) {
			data := deepConfig(shape, depth)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			lintAndCompile(t, data)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d levels, %d kB file: %d MB allocated in %v", depth, len(data)>>10, alloc>>20, elapsed)
			if elapsed > 5*time.Second {
				t.Errorf("%d levels take %v, want at most 5s", depth, elapsed)
			}
			if alloc > limit {
				t.Errorf("%d levels allocate %d MB, want at most %d MB", depth, alloc>>20, limit>>20)
			}
		})
	}
}

// TestRepeatedLongValuesUseLinearMemory: a long value behind a YAML anchor,
// used by thousands of aliases, was scanned again in the source for every
// alias and quoted whole in every finding about it: a 100 kB file took
// 82 s and 1.8 GB to lint. Each alias and finding must cost little.
func TestRepeatedLongValuesUseLinearMemory(t *testing.T) {
	// 1,600 uses of a 30 kB value: 48 MB of values, below yamlsrc's bound on
	// the expanded text (a larger total is refused there).
	arn := "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/" + strings.Repeat("x", 30_000)
	var b strings.Builder
	b.WriteString("service: long\nprovider:\n  name: aws\ncustom:\n  arn: &arn \"" + arn + "\"\n  events: &events\n")
	for range 40 {
		b.WriteString("    - stream: {arn: *arn}\n")
	}
	b.WriteString("functions:\n")
	for i := range 40 {
		b.WriteString("  f" + itoa(i) + ":\n    handler: h\n    events: *events\n")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	cfg, err := Load(p, vars.Options{ServiceDir: dir, Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	findings := lint.Lint(cfg.Root, lint.Options{Now: time.Unix(0, 0), Stage: cfg.Stage})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("1,600 aliases of a 30 kB value, %d findings: %d MB allocated in %v", len(findings), alloc>>20, elapsed)
	if len(findings) < 1600 {
		t.Errorf("%d findings, want one per event at least", len(findings))
	}
	// 148 MB before (under the race detector; 41 MB now).
	if elapsed > 5*time.Second || alloc > 96<<20 {
		t.Errorf("%v and %d MB, want at most 5s and 96 MB", elapsed, alloc>>20)
	}
}

func itoa(i int) string { return strings.Repeat("0", max(0, 2-len(fmt.Sprint(i)))) + fmt.Sprint(i) }
