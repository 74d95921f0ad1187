package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

// TestCommandHelp: COMMAND -h is the command's output (stdout, exit 0) and
// spells flags as the README does: -c and -o, --base, --mode.
func TestCommandHelp(t *testing.T) {
	for _, cmd := range []string{"compile", "lint", "deploy"} {
		for _, h := range []string{"-h", "--help"} {
			code, stdout, stderr := runIn(t, t.TempDir(), cmd, h)
			if code != exit.OK || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q; want 0 and nothing", cmd, h, code, stderr)
			}
			if !strings.HasPrefix(stdout, "Usage: stream-events "+cmd+" ") {
				t.Errorf("%s %s: stdout %q, want the usage", cmd, h, stdout)
			}
			if m := regexp.MustCompile(`(?m)^  -[a-z]{2,}`).FindString(stdout); m != "" {
				t.Errorf("%s %s: a long flag with one dash: %q\n%s", cmd, h, m, stdout)
			}
			for _, want := range []string{"\n  -c file\n", "\n  --stage string\n"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("%s %s: no %q in\n%s", cmd, h, want, stdout)
				}
			}
		}
	}
	_, stdout, _ := runIn(t, t.TempDir(), "compile", "-h")
	for _, want := range []string{"\n  --base template\n", "\n  --mode standalone\n", "\n  -o file\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compile -h: no %q in\n%s", want, stdout)
		}
	}
}

// TestFlagErrors: a bad flag is one line on stderr, in the README's
// spelling, with a pointer to -h; a duration without unit says so.
func TestFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"lint", "--bogus"}, "stream-events: lint: flag provided but not defined: --bogus (run 'stream-events lint -h' for the flags)\n"},
		{[]string{"compile", "-x"}, "stream-events: compile: flag provided but not defined: -x (run 'stream-events compile -h' for the flags)\n"},
		{[]string{"compile", "--mode"}, "stream-events: compile: flag needs an argument: --mode (run 'stream-events compile -h' for the flags)\n"},
		{[]string{"deploy", "--timeout", "5"}, `stream-events: deploy: invalid value "5" for flag --timeout: a duration needs a unit: 5m, 5s or 5h (run 'stream-events deploy -h' for the flags)` + "\n"},
		{[]string{"deploy", "--timeout", "soon"}, `stream-events: deploy: invalid value "soon" for flag --timeout: not a duration: use a number and a unit, such as 30s, 5m or 1h30m (run 'stream-events deploy -h' for the flags)` + "\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runIn(t, t.TempDir(), tt.args...)
		if code != exit.Usage || stdout != "" || stderr != tt.want {
			t.Errorf("%q: exit %d, stdout %q, stderr\n%q\nwant exit 2 and\n%q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// TestTimeoutFlag: a duration with a unit still parses.
func TestTimeoutFlag(t *testing.T) {
	f, err := parseDeployFlags(Env{Stdout: new(strings.Builder), Stderr: new(strings.Builder)}, []string{"--timeout", "90s"})
	if err != nil || f.settings.Timeout.String() != "1m30s" {
		t.Errorf("--timeout 90s: %v, %v", f.settings.Timeout, err)
	}
}
