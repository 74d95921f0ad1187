package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), Env{Args: args, Stdout: &out, Stderr: &errb, Dir: dir,
		Getenv: func(string) (string, bool) { return "", false }})
	return code, out.String(), errb.String()
}

func tempFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const okConfig = `service: svc
provider: {name: aws}
functions:
  f:
    handler: h.main
    events:
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s
`

const warnConfig = `service: svc
provider: {name: aws}
functions:
  f:
    handler: h.main
    events:
      - stream:
          arn: arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000
          consumer: true
`

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		err   string
	}{
		{"no command", nil, nil, exit.Usage, "Usage"},
		{"unknown command", nil, []string{"frobnicate"}, exit.Usage, `unknown command "frobnicate"`},
		{"bad mode", map[string]string{"serverless.yml": okConfig}, []string{"compile", "--mode", "cdk"}, exit.Usage, "--mode must be"},
		{"base without serverless mode", map[string]string{"serverless.yml": okConfig}, []string{"compile", "--base", "b.json"}, exit.Usage, "--base works with --mode serverless"},
		{"stray argument", map[string]string{"serverless.yml": okConfig}, []string{"compile", "extra"}, exit.Usage, `unexpected argument "extra"`},
		{"bad opt", map[string]string{"serverless.yml": okConfig}, []string{"compile", "--opt", "novalue"}, exit.Usage, "key=value"},
		{"no config", nil, []string{"compile"}, exit.Usage, "no serverless.yml"},
		{"javascript config", map[string]string{"serverless.js": "module.exports = {}"}, []string{"compile"}, exit.Usage, "serverless print --format yaml"},
		{"invalid yaml", map[string]string{"serverless.yml": "a: [\n"}, []string{"compile"}, exit.Findings, "serverless.yml:"},
		{"unwritable output", map[string]string{"serverless.yml": okConfig}, []string{"compile", "-o", "missing/dir/t.json"}, exit.IO, "write template"},
		{"missing base", map[string]string{"serverless.yml": okConfig}, []string{"compile", "--mode", "serverless", "--base", "nope.json"}, exit.IO, "read base template"},
		{"compiles", map[string]string{"serverless.yml": okConfig}, []string{"compile"}, exit.OK, ""},
		{"lint clean", map[string]string{"serverless.yml": okConfig}, []string{"lint"}, exit.OK, ""},
		{"lint warning passes by default", map[string]string{"serverless.yml": warnConfig}, []string{"lint"}, exit.OK, ""},
		{"lint warning fails on warning", map[string]string{"serverless.yml": warnConfig}, []string{"lint", "--fail-on", "warning"}, exit.Findings, ""},
		{"lint bad fail-on", map[string]string{"serverless.yml": okConfig}, []string{"lint", "--fail-on", "sometimes"}, exit.Usage, "--fail-on"},
		{"lint bad format", map[string]string{"serverless.yml": okConfig}, []string{"lint", "--format", "xml"}, exit.Usage, "--format"},
		{"version", nil, []string{"version"}, exit.OK, ""},
		{"version with an argument", nil, []string{"version", "extra"}, exit.Usage, "version takes no arguments"},
		{"action help", nil, []string{"action", "-h"}, exit.OK, ""},
		{"bad stack name", map[string]string{"serverless.yml": okConfig}, []string{"deploy", "--stack-name", "9bad_name"}, exit.Usage, "is not a CloudFormation stack name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tempFiles(t, tt.files)
			code, _, stderr := runIn(t, dir, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.err) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.err)
			}
		})
	}
}

func TestLintFormats(t *testing.T) {
	dir := tempFiles(t, map[string]string{"serverless.yml": warnConfig})
	_, out, _ := runIn(t, dir, "lint", "--format", "json")
	var fs []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Severity string `json:"severity"`
		Rule     string `json:"rule"`
	}
	if err := json.Unmarshal([]byte(out), &fs); err != nil || len(fs) == 0 {
		t.Fatalf("json output %q: %v", out, err)
	}
	if fs[0].File != "serverless.yml" || fs[0].Line != 9 || fs[0].Severity != "warning" {
		t.Errorf("first finding %+v", fs[0])
	}
	_, out, _ = runIn(t, dir, "lint", "--format", "github")
	if !strings.HasPrefix(out, "::warning file=serverless.yml,line=9,") {
		t.Errorf("github output %q", out)
	}
	_, out, _ = runIn(t, dir, "lint", "--format", "sarif")
	if !strings.Contains(out, `"version": "2.1.0"`) {
		t.Errorf("sarif output lacks its version:\n%s", out)
	}
	_, out, _ = runIn(t, dir, "lint")
	if !strings.HasPrefix(out, "serverless.yml:9:11: ") || !strings.Contains(out, "^") {
		t.Errorf("text output %q", out)
	}
	if code, _, _ := runIn(t, dir, "lint", "-o", "findings.json", "--format", "json"); code != exit.OK {
		t.Errorf("lint -o exit %d", code)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "findings.json")); err != nil || !bytes.HasPrefix(b, []byte("[")) {
		t.Errorf("lint -o wrote %q, %v", b, err)
	}
}

func TestCompileWritesFileWithoutFinalNewline(t *testing.T) {
	dir := tempFiles(t, map[string]string{"serverless.yml": okConfig})
	if code, _, stderr := runIn(t, dir, "compile", "--mode", "serverless", "-o", "t.json"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "t.json"))
	if len(b) == 0 || b[len(b)-1] != '}' {
		t.Errorf("template file ends with %q", b[max(0, len(b)-3):])
	}
	_, out, _ := runIn(t, dir, "compile", "--mode", "serverless")
	if !strings.HasSuffix(out, "}\n") {
		t.Errorf("stdout should end with a newline")
	}
}

func TestStrictStopsOnSchemaErrors(t *testing.T) {
	cfg := strings.Replace(okConfig, "      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s\n",
		"      - stream:\n          arn: arn:aws:kinesis:us-east-1:123456789012:stream/s\n          batchSize: 20000\n", 1)
	dir := tempFiles(t, map[string]string{"serverless.yml": cfg})
	code, out, stderr := runIn(t, dir, "compile", "--mode", "serverless")
	if code != 0 || !strings.Contains(out, `"BatchSize": 20000`) || !strings.Contains(stderr, "[schema-range]") {
		t.Errorf("warn mode: exit %d, stderr %q", code, stderr)
	}
	code, out, _ = runIn(t, dir, "compile", "--mode", "serverless", "--strict")
	if code != exit.Findings || out != "" {
		t.Errorf("strict: exit %d, output %q", code, out)
	}
	code, _, _ = runIn(t, dir, "compile")
	if code != exit.Findings {
		t.Errorf("standalone must refuse schema errors: exit %d", code)
	}
}

func TestFileVariableCannotFollowLinksOutOfTheRepository(t *testing.T) {
	outside := tempFiles(t, map[string]string{"secret.yml": "arn: arn:aws:kinesis:us-east-1:123456789012:stream/leaked\n"})
	dir := tempFiles(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"serverless.yml": `service: svc
provider: {name: aws}
functions:
  f:
    handler: h.main
    events:
      - stream: ${file(./link.yml):arn}
`})
	if err := os.Symlink(filepath.Join(outside, "secret.yml"), filepath.Join(dir, "link.yml")); err != nil {
		t.Skip(err)
	}
	code, out, stderr := runIn(t, dir, "compile")
	if code != exit.Findings || strings.Contains(out+stderr, "leaked") {
		t.Errorf("exit %d; output %q; stderr %q", code, out, stderr)
	}
	if !strings.Contains(stderr, "serverless.yml:7:") {
		t.Errorf("want a positioned finding, got %q", stderr)
	}
}

func TestStandaloneWithoutStreamEvents(t *testing.T) {
	dir := tempFiles(t, map[string]string{"serverless.yml": "service: svc\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h.main\n    events:\n      - http: GET /\n"})
	code, _, stderr := runIn(t, dir, "compile")
	if code != exit.Findings || !strings.Contains(stderr, "the service has no stream events") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestLint_AbsoluteConfigElsewhere: a config named by an absolute path
// from another directory is read, with its ${file()} in its own
// repository, and no symbolic link is claimed where there is none (issue
// 8, item 11).
func TestLint_AbsoluteConfigElsewhere(t *testing.T) {
	repo := tempFiles(t, map[string]string{
		"serverless.yml": okConfig + "custom:\n  size: ${file(./size.yml):n}\n",
		"size.yml":       "n: 5\n",
		".git/HEAD":      "ref: refs/heads/main\n",
	})
	code, stdout, stderr := runIn(t, t.TempDir(), "lint", "-c", filepath.Join(repo, "serverless.yml"))
	if code != exit.OK || strings.Contains(stderr, "symbolic link") {
		t.Errorf("exit %d\n%s", code, stderr)
		t.Log(stdout)
	}
}
