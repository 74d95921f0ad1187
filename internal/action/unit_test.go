package action

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"
)

// injection is a value from user YAML that tries to end its output early
// and set another one.
const injection = "x\n_GitHubActionsFileCommandDelimeter_\nstack-status<<EOF\nPWNED\nEOF"

// TestFormatOutputs_RandomDelimiter shows why outputs are not written with
// go-githubactions v1.4.0: its fixed delimiter lets a value inject an
// output, and ours does not.
func TestFormatOutputs_RandomDelimiter(t *testing.T) {
	t.Parallel()
	// GIVEN go-githubactions' SetOutput
	p := filepath.Join(t.TempDir(), "out")
	gh := githubactions.New(githubactions.WithGetenv(func(k string) string {
		if k == "GITHUB_OUTPUT" {
			return p
		}
		return ""
	}))
	gh.SetOutput("changes", injection)
	if got := parseOutputsLoose(readFile(t, p)); got["stack-status"] != "PWNED" {
		t.Fatalf("go-githubactions no longer injectable (%v): formatOutputs may be replaced by SetOutput", got)
	}
	// WHEN ours writes the same value
	data, err := formatOutputs([]output{{"changes", injection}, {"errors", "0"}})
	if err != nil {
		t.Fatal(err)
	}
	// THEN it comes back whole, and nothing else is set
	got := parseOutputs(t, string(data))
	if len(got) != 2 || got["changes"] != injection || got["errors"] != "0" {
		t.Errorf("outputs = %q", got)
	}
	if _, err := formatOutputs([]output{{"a\nb", "v"}}); err == nil {
		t.Error("a name with a newline was accepted")
	}
}

// parseOutputsLoose reads outputs the way the runner does, without the
// test's strictness.
func parseOutputsLoose(data string) map[string]string {
	out := map[string]string{}
	lines := strings.Split(data, "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func TestWorkspace_Resolve(t *testing.T) {
	t.Parallel()
	root, tmp := t.TempDir(), t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	ws := workspace{root: root, temp: tmp}
	tests := []struct {
		p         string
		allowTemp bool
		want      string // "" means refused
	}{
		{"a/b.sarif", true, filepath.Join(root, "a/b.sarif")},
		{".", false, root},
		{filepath.Join(root, "x"), false, filepath.Join(root, "x")},
		{filepath.Join(tmp, "t"), true, filepath.Join(tmp, "t")},
		{filepath.Join(tmp, "t"), false, ""},
		{"../x", true, ""},
		{"a/../../x", true, ""},
		{"/etc/passwd", true, ""},
		{"out/x", true, ""},
		{"out/new/dir/x", true, ""},
	}
	for _, tc := range tests {
		got, err := ws.resolve("template-dir", tc.p, tc.allowTemp)
		if tc.want == "" && err == nil {
			t.Errorf("resolve(%q) = %q, want refused", tc.p, got)
		}
		if tc.want != "" && (err != nil || got != tc.want) {
			t.Errorf("resolve(%q) = %q, %v, want %q", tc.p, got, err, tc.want)
		}
	}
}

func TestInputs_Parse(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"INPUT_CONFIG":          "a/serverless.yml\n  b/*/serverless.yml  \n",
		"INPUT_ARTIFACT-NAME":   "",
		"INPUT_TAGS":            "team: payments\nenv: prod",
		"INPUT_FAIL-ON":         "warning",
		"INPUT_DEPLOY":          "auto",
		"INPUT_TIMEOUT":         "90m",
		"INPUT_KEEP-CHANGE-SET": "True",
	}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	gh := githubactions.New(githubactions.WithGetenv(func(k string) string { return env[k] }))
	in, err := readInputs(inputReader{gh: gh, getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(in.configs, ",") != "a/serverless.yml,b/*/serverless.yml" || in.artifactName != "" ||
		in.sarifFile != ".stream-events/results.sarif" || in.failOn.String() != "warning" || !in.keepChangeSet ||
		strings.Join(in.tags.Keys(), ",") != "team,env" || in.timeout.Minutes() != 90 || in.mode != "standalone" {
		t.Errorf("inputs = %+v", in)
	}
	for name, bad := range map[string]string{"INPUT_ANNOTATIONS": "yes", "INPUT_MODE": "cdk", "INPUT_DEPLOY": "always",
		"INPUT_ARTIFACT-RETENTION-DAYS": "91", "INPUT_TAGS": "- a", "INPUT_TIMEOUT": "soon"} {
		env2 := map[string]string{name: bad}
		_, err := readInputs(inputReader{gh: githubactions.New(githubactions.WithGetenv(func(k string) string { return env2[k] })),
			getenv: func(k string) (string, bool) { v, ok := env2[k]; return v, ok }})
		if err == nil {
			t.Errorf("%s=%q accepted", name, bad)
		}
	}
}

func TestConsole_RedactsAcrossWrites(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	red := newRedactor(func(k string) (string, bool) {
		if k == "GITHUB_TOKEN" {
			return "ghs_abcdefghijklmnop", true
		}
		return "", false
	})
	c := &console{w: &buf, red: red}
	c.Write([]byte("token ghs_abcdefgh"))
	c.Write([]byte("ijklmnop end\nnext"))
	c.mask("sig-value-12345", "a signature")
	c.Write([]byte(" sig-value-12345\n"))
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "token *** end\nnext\n::add-mask::sig-value-12345\n ***\n"
	if buf.String() != want {
		t.Errorf("log = %q, want %q", buf.String(), want)
	}
}

func TestRedactorCatchesTokenShapes(t *testing.T) {
	t.Parallel()
	r := newRedactor(func(string) (string, bool) { return "", false })
	for _, tok := range []string{
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789",
		"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
		"AKIAIOSFODNN7EXAMPLE",
		"eyJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJBY3Rpb25zIn0.c2lnbmF0dXJlLXZhbHVl",
	} {
		line := "startingPosition: " + tok + " [schema-enum]"
		if got := r.String(line); strings.Contains(got, tok) || !strings.Contains(got, "***") {
			t.Errorf("%q not redacted: %q", tok, got)
		}
		if _, ok := r.find([]byte(line)); !ok {
			t.Errorf("%q not found as a secret", tok)
		}
	}
	if got := r.String("arn:aws:kinesis:us-east-1:123456789012:stream/ghp_short"); strings.Contains(got, "***") {
		t.Errorf("an ordinary ARN was redacted: %q", got)
	}
}

func TestTemplateNamesNeverCollide(t *testing.T) {
	t.Parallel()
	services := []*service{{config: "s/serverless.yml"}, {config: "s/serverless.yaml"}, {config: "t/serverless.json"}}
	templateNames(services)
	want := []string{"s/serverless.template.json", "s/serverless.yaml.template.json", "t/serverless.template.json"}
	for i, s := range services {
		if s.tplRel != want[i] {
			t.Errorf("%s -> %s, want %s", s.config, s.tplRel, want[i])
		}
	}
}
