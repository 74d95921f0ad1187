package main

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
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

// TestReadmeListsEveryInput: the README's input table names every input of
// action.yml (the deprecated parameters in template-parameters' row).
func TestReadmeListsEveryInput(t *testing.T) {
	readme, _ := os.ReadFile("README.md")
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil || len(action.Inputs) == 0 {
		t.Fatalf("action.yml: %v", err)
	}
	// The input table: its first cells, and the deprecated name that its
	// successor's row mentions.
	_, table, _ := strings.Cut(string(readme), "| input | default | |\n")
	table, _, _ = strings.Cut(table, "\n\n")
	var firsts strings.Builder
	for _, line := range strings.Split(table, "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 3 {
			firsts.WriteString(cells[1] + "\n")
			if strings.Contains(cells[3], "deprecated") {
				firsts.WriteString(cells[3] + "\n")
			}
		}
	}
	for name := range action.Inputs {
		if !strings.Contains(firsts.String(), "`"+name+"`") {
			t.Errorf("input %s is in action.yml but in no README table row", name)
		}
	}
}
