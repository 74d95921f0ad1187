package action

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"
)

// workflowFiles are the repository's workflows and the README's examples.
func workflowFiles(t *testing.T) []string {
	root := moduleRoot(t)
	var files []string
	for _, pat := range []string{".github/workflows/*.yml", "docs/workflows/*.yml"} {
		m, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 4 {
		t.Fatalf("found only %d workflow files", len(files))
	}
	return files
}

func TestWorkflows_Actionlint(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	// shellcheck and pyflakes stay off (empty executables): results must
	// not depend on what this machine has installed.
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFiles(workflowFiles(t), proj)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
}

// actionMeta is the part of action.yml the tests read.
type actionMeta struct {
	Name, Description string
	Branding          map[string]string
	Inputs            map[string]struct {
		Description string
		Default     *string
	}
	Outputs map[string]struct{ Description string }
	Runs    map[string]string
}

func readActionMeta(t *testing.T) actionMeta {
	var m actionMeta
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(moduleRoot(t), "action.yml"))), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestActionYML_MatchesTheBinary: every input is documented with the
// default the binary applies itself (docker:// steps read no action.yml),
// and every output the binary writes is declared.
func TestActionYML_MatchesTheBinary(t *testing.T) {
	t.Parallel()
	m := readActionMeta(t)
	if m.Name == "" || m.Description == "" || m.Branding["icon"] == "" || m.Branding["color"] == "" {
		t.Errorf("name, description or branding missing: %+v", m)
	}
	if m.Runs["using"] != "docker" || !strings.HasPrefix(m.Runs["image"], releaseImage+":") {
		t.Errorf("runs = %v", m.Runs)
	}
	for name, in := range m.Inputs {
		want, ok := actionDefaults[name]
		switch {
		case !ok:
			t.Errorf("input %s is not read by the binary", name)
		case in.Default == nil || *in.Default != want:
			t.Errorf("input %s: action.yml default %v, binary default %q", name, in.Default, want)
		case in.Description == "":
			t.Errorf("input %s has no description", name)
		}
	}
	for name := range actionDefaults {
		if _, ok := m.Inputs[name]; !ok {
			t.Errorf("input %s is not in action.yml", name)
		}
	}
	for name := range reservedOutputs {
		if o, ok := m.Outputs[name]; !ok || o.Description == "" {
			t.Errorf("output %s is not documented in action.yml", name)
		}
	}
}

// TestWorkflows_UseOnlyDeclaredInputs checks the with: keys of every step
// that runs this action, which actionlint cannot check for a remote action.
func TestWorkflows_UseOnlyDeclaredInputs(t *testing.T) {
	t.Parallel()
	m := readActionMeta(t)
	uses := 0
	for _, f := range workflowFiles(t) {
		var wf struct {
			Jobs map[string]struct {
				Steps []struct {
					Uses string
					With map[string]any
				}
			}
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, job := range wf.Jobs {
			for _, st := range job.Steps {
				if st.Uses != "./" && !strings.Contains(st.Uses, "stream-events/stream-events") {
					continue
				}
				uses++
				var keys []string
				for k := range st.With {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					if _, ok := m.Inputs[k]; !ok {
						t.Errorf("%s: input %q is not declared in action.yml", filepath.Base(f), k)
					}
				}
			}
		}
	}
	if uses < 5 {
		t.Errorf("only %d steps use the action", uses)
	}
}
