//go:build unix

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/exit"
)

// bigConfig writes a serverless.yml of about 9 MB (below the 10 MiB cap)
// that takes every command several seconds: long enough to be signalled
// while at work.
func bigConfig(t *testing.T, dir string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("service: big\nprovider:\n  name: aws\nfunctions:\n")
	for i := range 36000 {
		fmt.Fprintf(&b, "  f%d:\n    handler: h.main\n    events:\n      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/s%d\n"+
			"      - stream:\n          arn: arn:aws:dynamodb:us-east-1:123456789012:table/T%d/stream/2024-01-01T00:00:00.000\n          batchSize: 10\n", i, i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSignals_EndEveryCommand: SIGINT and SIGTERM end every command within
// 2 s with 130 or 143, never 1 (issue 8, item 5); the Action first writes
// its summary and outputs and says it was cancelled.
func TestSignals_EndEveryCommand(t *testing.T) {
	ws := t.TempDir()
	bigConfig(t, ws)
	binary(t)
	for _, c := range []struct {
		args []string
		sig  syscall.Signal
		code int
	}{
		{[]string{"lint"}, syscall.SIGINT, exit.Interrupted},
		{[]string{"compile"}, syscall.SIGTERM, exit.Terminated},
		{[]string{"deploy", "--mode", "preview"}, syscall.SIGTERM, exit.Terminated},
		{[]string{"action"}, syscall.SIGTERM, exit.Terminated},
		{[]string{"action"}, syscall.SIGINT, exit.Interrupted},
	} {
		t.Run(strings.Join(c.args, " ")+" "+c.sig.String(), func(t *testing.T) {
			env := runnerEnv(t, ws)
			input(env, "artifact-name", "")
			p := startBinary(t, ws, env, c.args...)
			time.Sleep(300 * time.Millisecond) // at work on the config
			sent := time.Now()
			if err := p.cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			r := p.wait(t, 2*time.Second)
			t.Logf("exited %s after %v", time.Since(sent).Round(time.Millisecond), c.sig)
			if r.code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%.2000s\nstderr:\n%.2000s", r.code, c.code, r.stdout, r.stderr)
			}
			if c.args[0] != "action" {
				return
			}
			want := "::error::cancelled by " + map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[c.sig]
			if !strings.Contains(r.stdout, want) {
				t.Errorf("log lacks %q:\n%.3000s", want, r.stdout)
			}
			out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
			if out["errors"] == "" || !strings.Contains(readFile(t, env["GITHUB_STEP_SUMMARY"]), "serverless.yml") {
				t.Errorf("outputs %q, summary:\n%s", out, readFile(t, env["GITHUB_STEP_SUMMARY"]))
			}
		})
	}
}

// TestFile_NamedPipe: ${file()} of a named pipe, or of a file over the
// cap, is a positioned variable-file finding, not a hang (issue 8, item 5).
func TestFile_NamedPipe(t *testing.T) {
	dir := tempFiles(t, map[string]string{
		"serverless.yml": okConfig + "custom:\n  a: ${file(./pipe)}\n  b: ${file(./big.yml)}\n",
		".git/HEAD":      "ref: refs/heads/main\n",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Skip(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "big.yml"), make([]byte, 10<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var code int
	var stdout string
	go func() { defer close(done); code, stdout, _ = runIn(t, dir, "lint") }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("lint blocked on the named pipe")
	}
	for _, want := range []string{
		"serverless.yml:9:6: ", "not a regular file (a named pipe) [variable-file]",
		"serverless.yml:10:6: ", "larger than the 10 MiB limit [variable-file]",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("exit %d, no %q in\n%s", code, want, stdout)
		}
	}
}
