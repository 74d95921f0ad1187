package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeLocalRun is the README's local run of the Action: the line that
// starts with env 'INPUT_, split into its variables and its command.
func readmeLocalRun(t *testing.T) (vars map[string]string, args []string) {
	t.Helper()
	var line string
	for _, l := range strings.Split(readFile(t, filepath.Join(moduleRoot(t), "README.md")), "\n") {
		if strings.HasPrefix(l, "env 'INPUT_") {
			line = l
			break
		}
	}
	words := shellWords(t, line)
	if len(words) < 3 || words[0] != "env" {
		t.Fatalf("README has no line env 'INPUT_...' ./stream-events action: %q", line)
	}
	vars = map[string]string{}
	i := 1
	for ; i < len(words) && strings.Contains(words[i], "="); i++ {
		k, v, _ := strings.Cut(words[i], "=")
		vars[k] = v
	}
	if i >= len(words) || words[i] != "./stream-events" {
		t.Fatalf("README's local run does not run ./stream-events: %q", line)
	}
	return vars, words[i+1:]
}

// shellWords splits a command line of plain and single-quoted words, as
// sh does; anything else a shell would interpret fails the test.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, c := range line {
		switch {
		case c == '\'':
			quoted, inWord = !quoted, true
		case c == ' ' && !quoted:
			if inWord {
				words = append(words, w.String())
			}
			w.Reset()
			inWord = false
		case !quoted && strings.ContainsRune(`"\$*?;&|<>()`+"`", c):
			t.Fatalf("README's local run uses %q, which this test does not interpret: %q", c, line)
		default:
			w.WriteRune(c)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unclosed quote: %q", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestReadme_LocalActionRun runs the README's local run of the Action, from
// a copy of the repository's example, with only the variables it names
// (and the AWS SDK kept away from this machine's credentials).
func TestReadme_LocalActionRun(t *testing.T) {
	t.Parallel()
	vars, args := readmeLocalRun(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"testdata/example/serverless.yml": readFile(t, filepath.Join(moduleRoot(t), "testdata", "example", "serverless.yml"))})
	env := map[string]string{"HOME": dir, "AWS_CONFIG_FILE": filepath.Join(dir, "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"), "AWS_EC2_METADATA_DISABLED": "true"}
	for k, v := range vars {
		env[k] = v
	}
	r := run(t, dir, env, args...)
	if r.code != 0 || strings.Contains(r.stdout, "::warning") || strings.Contains(r.stdout, "::error") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".stream-events/templates/testdata/example/serverless.template.json")); err != nil {
		t.Error(err)
	}
	if sum := readFile(t, filepath.Join(dir, vars["GITHUB_STEP_SUMMARY"])); !strings.Contains(sum, "### orders") {
		t.Errorf("summary:\n%s", sum)
	}
}

// TestAction_UnknownInputsWarnOnce: INPUT_FAIL_ON, as export would spell
// it, is not fail-on: one warning names it and every other unknown input,
// and fail-on keeps its default.
func TestAction_UnknownInputsWarnOnce(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{"serverless.yml": caseConfig(t, "01-dynamodb-literal-minimal")})
	env := runnerEnv(t, ws)
	env["INPUT_FAIL_ON"], env["INPUT_CONFG"], env["INPUT_BANANA"] = "never", "x.yml", "1"
	input(env, "artifact-name", "")
	r := run(t, ws, env, "action")
	want := "::warning::ignoring INPUT_BANANA, INPUT_CONFG (did you mean INPUT_CONFIG?), INPUT_FAIL_ON (did you mean INPUT_FAIL-ON?), which the Action does not read"
	if r.code != 0 || strings.Count(r.stdout, "::warning") != 1 || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d, want one warning %q\n%s%s", r.code, want, r.stdout, r.stderr)
	}
}
