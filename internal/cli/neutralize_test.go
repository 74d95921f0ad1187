package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/stream-events/stream-events/internal/deploy"
)

// hostileConfig holds workflow commands in values, at line starts and
// mid-line, where findings and snippets quote them.
const hostileConfig = `service: svc
provider: {name: aws}
functions:
  f:
    handler: h.main
    events:
      - stream:
          arn: arn:aws:kinesis:us-east-1:123456789012:stream/s
          startingPosition: "##[error]x ::error::x\n::error::x\n::add-mask::x\n  ::stop-commands::x\n##[warning]y"
          batchSize: "::add-mask::x ##[group]x"
          ::error::x: 1
      - stream: "::stop-commands::x"
`

// runnerAction reports the first line of s a GitHub runner would act on:
// it splits lines at "\n", "\r" and "\r\n"; a line that, trimmed of white
// space, starts with "::" is a command, and so is "##[" anywhere.
func runnerAction(s string) (string, bool) {
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[") {
			return line, true
		}
	}
	return "", false
}

func TestCLI_NeutralisesWorkflowCommands(t *testing.T) {
	t.Parallel()
	dir := tempFiles(t, map[string]string{"serverless.yml": hostileConfig})
	for _, args := range [][]string{
		{"lint"},
		{"lint", "--format", "json"},
		{"lint", "--format", "sarif"},
		{"compile"},
		{"compile", "--strict"},
		{"lint", "--stage", "::error::x"},
	} {
		_, stdout, stderr := runIn(t, dir, args...)
		for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
			if line, ok := runnerAction(out); ok {
				t.Errorf("%v: %s has a line a runner acts on: %q", args, name, line)
			}
		}
		if args[0] == "lint" && len(args) < 3 && !strings.Contains(stdout, "error]x") {
			t.Errorf("%v: the hostile value is not echoed, so the test proves nothing:\n%s", args, stdout)
		}
	}
	// JSON stays lossless: "#\u0023[" decodes to "##[".
	_, stdout, _ := runIn(t, dir, "lint", "--format", "json")
	var fs []struct{ Message string }
	if err := json.Unmarshal([]byte(stdout), &fs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, `#\u0023[error]x`) || !strings.Contains(fmt.Sprint(fs), "##[error]x") {
		t.Errorf("JSON does not carry ##[ losslessly:\n%s", stdout)
	}
}

func TestDeployOutput_NeutralisesWorkflowCommands(t *testing.T) {
	t.Parallel()
	// GIVEN AWS text holding workflow commands
	res := &deploy.Result{ChangeSetName: "cs ##[error]x", StackName: "s", StackStatus: "UPDATE_FAILED",
		Changes: []deploy.Change{{Action: "Add", LogicalID: "##[error]x", Type: "::error::x", Details: "a\n::add-mask::x"}},
		Outputs: []deploy.Output{{Key: "::error::k", Value: "v\n::stop-commands::x"}}}
	var b bytes.Buffer
	// WHEN the CLI prints the result and live events
	writeDeployResult(&b, deploy.Execute, res, nil)
	for _, e := range []deploy.Event{{Kind: deploy.EventGroupStart, Message: "::group::g ##[x"},
		{Kind: deploy.EventWarning, Message: "w\n::error::x"}, {Kind: deploy.EventStack, Message: "##[error]reason\r::error::x"}} {
		eventLog{w: &b}.sink(e)
	}
	// THEN the runner acts on none of it, and all of it is there
	if line, ok := runnerAction(b.String()); ok {
		t.Errorf("a line a runner acts on: %q\n%s", line, b.String())
	}
	if !strings.Contains(b.String(), "error]x") || !strings.Contains(b.String(), "add-mask::x") {
		t.Errorf("text lost:\n%s", b.String())
	}
}
