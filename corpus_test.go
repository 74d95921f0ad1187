package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

// corpusDir holds real public serverless.yml files beside the project (not
// in it: they keep their own licences).
const corpusDir = "../shared/corpus/real"

// TestRealCorpus runs every real config through lint and both compile
// modes: each must load, lint and compile, or fail with positioned
// findings, never crash. Where Serverless v3.40.0 itself could package the
// entry (testdata/corpus/<entry>/expected.json), our serverless-mode output
// merged into its base must equal it byte for byte.
func TestRealCorpus(t *testing.T) {
	entries, _ := filepath.Glob(filepath.Join(corpusDir, "[0-9]*"))
	if len(entries) == 0 {
		t.Skipf("no corpus at %s: the real configs live beside the checkout, not in it; without them testdata/corpus is not compared", corpusDir)
	}
	compared := 0
	for _, entry := range entries {
		name := filepath.Base(entry)
		t.Run(name, func(t *testing.T) {
			abs, _ := filepath.Abs(entry)
			cfg := findConfig(t, abs)
			golden, _ := filepath.Abs(filepath.Join("testdata/corpus", name))
			o := readOptions(t, golden)
			common := append([]string{"-c", cfg, "--stage", o.Stage, "--region", o.Region}, o.Args...)
			standalone := filepath.Join(templateDir, "corpus-"+name+".json")
			for _, args := range [][]string{{"lint", "--format", "json"}, {"compile", "-o", standalone}} {
				code, _, stderr := run(abs, o.Env, append(args, common...)...)
				if code != exit.OK && code != exit.Findings {
					t.Errorf("%s exited %d:\n%s", args[0], code, stderr)
				}
				if args[0] == "compile" {
					checkStderr(t, stderr)
					if code == exit.OK {
						addTemplate(standalone) // cfn-lint checks it with the cases'
					}
				}
			}
			expected, err := os.ReadFile(filepath.Join(golden, "expected.json"))
			if err != nil {
				return
			}
			if _, err := os.Stat(filepath.Join(golden, "base.json")); err != nil {
				// The oracle cannot strip stream events that live in ${file()}
				// fragments, so there is no base to merge into.
				t.Logf("no base.json: not compared")
				return
			}
			out := filepath.Join(t.TempDir(), "template.json")
			args := append([]string{"compile", "--mode", "serverless", "--base", filepath.Join(golden, "base.json"), "-o", out}, common...)
			code, _, stderr := run(abs, o.Env, args...)
			if code != 0 {
				t.Fatalf("Serverless packaged this entry; we exited %d:\n%s", code, stderr)
			}
			got, _ := os.ReadFile(out)
			if !bytes.Equal(got, expected) {
				t.Errorf("serverless-mode template differs from Serverless's:\n%s", firstDiff(string(expected), string(got)))
			}
			compared++
		})
	}
	t.Logf("%d entries, %d compared byte for byte with Serverless v3.40.0", len(entries), compared)
}

func findConfig(t *testing.T, dir string) string {
	t.Helper()
	for _, n := range []string{"serverless.yml", "serverless.yaml", "serverless.json"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return n
		}
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.y*ml"))
	for _, m := range matches {
		if !strings.HasPrefix(filepath.Base(m), "serverless") {
			continue
		}
		return filepath.Base(m)
	}
	t.Skipf("no serverless config in %s", dir)
	return ""
}
