package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeCommands keeps the README's first two commands true: the
// example compiles, and the test command is the one .ci/run runs.
func TestReadmeCommands(t *testing.T) {
	b, _ := os.ReadFile("README.md")
	ci, _ := os.ReadFile(".ci/run")
	const test = "go test -race -count=1 ./..."
	if !strings.Contains(string(b), test) || !strings.Contains(string(ci), "\n"+test+"\n") {
		t.Errorf("README.md and .ci/run must both run %q", test)
	}
	code, out, stderr := run(".", nil, "compile", "-c", "testdata/example/serverless.yml")
	if code != 0 || !strings.Contains(out, "AWS::Lambda::EventSourceMapping") {
		t.Errorf("the README example does not compile: exit %d\n%s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("the README example has findings:\n%s", stderr)
	}
}
