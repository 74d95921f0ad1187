package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/exit"
)

// TestPlan_GoldenPairs runs plan on the configs whose compiled templates
// are the after.json of internal/plan/testdata, against each case's
// before template: the output is that case's golden plan, byte for byte.
func TestPlan_GoldenPairs(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	cases := map[string]string{ // plan case -> the config it compiles
		"add":                       "48-multiple-functions-events",
		"consumer-renamed":          "09-at-timestamp-consumer",
		"modify-batch-size":         "04-kinesis-all-options",
		"replace-event-source-arn":  "04-kinesis-all-options",
		"replace-starting-position": "04-kinesis-all-options",
		"unchanged":                 "04-kinesis-all-options",
		"unchanged-yaml":            "04-kinesis-all-options",
		"unchanged-get-template":    "04-kinesis-all-options",
	}
	for name, config := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(root, "internal", "plan", "testdata", name)
			before, _ := filepath.Glob(filepath.Join(dir, "before.*"))
			if len(before) != 1 {
				t.Fatalf("%s: want one before template, got %v", dir, before)
			}
			cfg := filepath.Join("testdata", "cases", config, "serverless.yml")
			for format, ext := range map[string]string{"json": "json", "text": "txt", "markdown": "md"} {
				code, out, stderr := runIn(t, root, "plan", "-c", cfg, "--against", before[0], "--format", format)
				want := readFile(t, filepath.Join(dir, "plan.golden."+ext))
				if d := cmp.Diff(want, out); d != "" {
					t.Errorf("%s (-want +got):\n%s\nstderr:\n%s", format, d, stderr)
				}
				wantCode := exit.OK
				if strings.Contains(readFile(t, filepath.Join(dir, "plan.golden.json")), `"severity": "error"`) {
					wantCode = exit.Findings
				}
				if code != wantCode {
					t.Errorf("%s: exit %d, want %d; stderr:\n%s", format, code, wantCode, stderr)
				}
			}
		})
	}
}

func TestPlan_Usage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"both sources", []string{"plan", "--against", "t.json", "--stack", "s"}, exit.Usage, "not both"},
		{"bad mode", []string{"plan", "--mode", "preview", "--against", "t.json"}, exit.Usage, "--mode must be serverless or standalone"},
		{"bad format", []string{"plan", "--format", "sarif", "--against", "t.json"}, exit.Usage, "--format must be text, json or markdown"},
		{"missing template", []string{"plan", "--against", "missing.json"}, exit.IO, "read --against template"},
		{"not a template", []string{"plan", "--against", "list.json"}, exit.Findings, "[plan-template]"},
		{"help", []string{"plan", "-h"}, exit.OK, "Usage: stream-events plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := tempFiles(t, map[string]string{"serverless.yml": okConfig, "list.json": "[1, 2]"})
			// Usage (-h) goes to stdout, errors to stderr.
			code, stdout, stderr := runIn(t, dir, tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.err) {
				t.Errorf("exit %d, want %d; output %q does not contain %q", code, tt.code, stdout+stderr, tt.err)
			}
		})
	}
}

func TestPlan_WritesFile(t *testing.T) {
	t.Parallel()
	dir := tempFiles(t, map[string]string{"serverless.yml": okConfig, "empty.json": `{"Resources": {}}`})
	code, out, stderr := runIn(t, dir, "plan", "--against", "empty.json", "--format", "json", "-o", "plan.json", "--mode", "standalone")
	if code != exit.OK || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil || !strings.Contains(string(b), `"action": "add"`) {
		t.Errorf("plan.json = %s, %v", b, err)
	}
}

// TestPlan_WithoutCredentials: reading the deployed stack without any AWS
// credentials says what to do, instead of the SDK's last attempt (the
// instance metadata service). The binary runs as a process: the AWS SDK
// reads the real environment.
func TestPlan_WithoutCredentials(t *testing.T) {
	t.Parallel()
	dir := tempFiles(t, map[string]string{"serverless.yml": okConfig})
	env := map[string]string{"HOME": t.TempDir(), "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:1"}
	r := run(t, dir, env, "plan")
	want := "no AWS credentials to read the template of stack svc-dev in us-east-1: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or compare with a template file instead (--against TEMPLATE)"
	if r.code != exit.IO || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "IMDS") {
		t.Errorf("exit %d, want %d and %q:\n%s", r.code, exit.IO, want, r.stderr)
	}
}
