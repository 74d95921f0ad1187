package action

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/redact"
	"github.com/stream-events/stream-events/internal/rules"
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
		in.sarifFile != ".stream-events/results.sarif" || in.failOn.String() != "warning" || !in.settings.KeepChangeSet ||
		len(in.settings.Tags) != 2 || in.settings.Tags[0].Key != "team" || in.settings.Tags[1].Key != "env" || in.settings.Timeout.Minutes() != 90 || in.mode != "standalone" {
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
	red := redact.New(func(k string) (string, bool) {
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

// TestReadErrors_RegisteredRule: a config the Action cannot read becomes a
// finding of a registered Action rule, so its SARIF help link has a section.
func TestReadErrors_RegisteredRule(t *testing.T) {
	t.Parallel()
	s := &service{config: "svc/serverless.yml", err: errors.New("read configuration: permission denied")}
	readErrors([]*service{s})
	if len(s.findings) != 1 {
		t.Fatalf("findings = %v", s.findings)
	}
	f := s.findings[0]
	if r, ok := rules.Lookup(f.Rule); !ok || r.Severity != f.Severity || r.Stages&diag.InAction == 0 {
		t.Errorf("%s: rule %q is not a registered Action rule of its severity (%+v)", f, f.Rule, r)
	}
}

// readEnv reads the inputs from exactly env.
func readEnv(env map[string]string) (inputs, error) {
	gh := githubactions.New(githubactions.WithGetenv(func(k string) string { return env[k] }))
	return readInputs(inputReader{gh: gh, getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
}

// TestInputs_TemplateParameters: parameters is the deprecated name of
// template-parameters; the runner sets both to "" when neither is given.
func TestInputs_TemplateParameters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, newer, older string
		wantFrom, wantKeys string
		wantWarning        bool
		wantErr            string
	}{
		{"neither", "", "", "template-parameters", "", false, ""},
		{"the new name", "A: 1", "", "template-parameters", "A", false, ""},
		{"the old name warns", "", "B: 2", "parameters", "B", true, ""},
		{"both is an error", "A: 1", "B: 2", "", "", false, "both given"},
	}
	for _, tc := range tests {
		in, err := readEnv(map[string]string{"INPUT_TEMPLATE-PARAMETERS": tc.newer, "INPUT_PARAMETERS": tc.older})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		warned := len(in.warnings) == 1 && strings.Contains(in.warnings[0], "rename it template-parameters")
		if err != nil || in.parametersInput != tc.wantFrom || strings.Join(in.parameters.all.Keys(), ",") != tc.wantKeys || warned != tc.wantWarning {
			t.Errorf("%s: from %q, keys %q, warnings %q, err %v", tc.name, in.parametersInput, in.parameters.all.Keys(), in.warnings, err)
		}
	}
}

// TestUnknownInputs: the known inputs are actionDefaults, which
// TestActionYML_MatchesTheBinary holds equal to action.yml's inputs.
func TestUnknownInputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		environ []string
		want    string // the named variables, "" for no warning
	}{
		{[]string{"INPUT_FAIL-ON=warning", "INPUT_TEMPLATE-PARAMETERS=", "PATH=/bin", "GITHUB_INPUT_X=1"}, ""},
		{[]string{"INPUT_FAIL_ON=warning"}, "INPUT_FAIL_ON (did you mean INPUT_FAIL-ON?)"},
		{[]string{"INPUT_TEMPLATE_PARAMETERS=a: 1"}, "INPUT_TEMPLATE_PARAMETERS (did you mean INPUT_TEMPLATE-PARAMETERS?)"},
		{[]string{"INPUT_STAGEE=prod"}, "INPUT_STAGEE (did you mean INPUT_STAGE?)"},
		{[]string{"INPUT_DEPOLY=auto"}, "INPUT_DEPOLY (did you mean INPUT_DEPLOY?)"},
		{[]string{"INPUT_fail-on=x"}, "INPUT_fail-on (did you mean INPUT_FAIL-ON?)"},
		{[]string{"INPUT_SARIF=x"}, "INPUT_SARIF"},
		{[]string{"INPUT_Z=1", "INPUT_A=2"}, "INPUT_A, INPUT_Z"},
	}
	for _, tc := range tests {
		got := unknownInputs(tc.environ)
		if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, "ignoring "+tc.want+", which the Action does not read") {
			t.Errorf("unknownInputs(%q) = %q, want it to name %q", tc.environ, got, tc.want)
		}
	}
}
