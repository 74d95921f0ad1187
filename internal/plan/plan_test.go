package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden plans every testdata/<case>: before.{json,yml} (the previous
// template) against after.json (the compiled one), in the three formats.
func TestGolden(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/*")
	if len(dirs) == 0 {
		t.Fatal("no cases")
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			p := Compare(readTemplate(t, filepath.Join(dir, "after.json")), readTemplate(t, before(t, dir)))
			for _, f := range []struct {
				ext   string
				write func(*bytes.Buffer, Plan) error
			}{
				{"json", func(b *bytes.Buffer, p Plan) error { return WriteJSON(b, p) }},
				{"txt", func(b *bytes.Buffer, p Plan) error { return WriteText(b, p) }},
				{"md", func(b *bytes.Buffer, p Plan) error { return WriteMarkdown(b, p) }},
			} {
				var b bytes.Buffer
				if err := f.write(&b, p); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join(dir, "plan.golden."+f.ext), b.Bytes())
			}
		})
	}
}

func before(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"before.json", "before.yml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name)
		}
	}
	t.Fatalf("%s has no before.json or before.yml", dir)
	return ""
}

func readTemplate(t *testing.T, path string) *node.Node {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, fs := ParseTemplate(path, data)
	if fs.HasErrors() {
		t.Fatal(fs)
	}
	return tmpl
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/plan/ -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, d)
	}
}

// TestExpectations pins what each golden case is about, so an -update that
// loses a hazard or an action fails here too.
func TestExpectations(t *testing.T) {
	tests := map[string][]string{ // case -> "logicalId action rule..." per entry
		"add": {
			"EnrichEventSourceMappingDynamodbCustomers add plan-starting-position",
			"IamRoleLambdaExecution modify",
		},
		"remove": {
			"ArchiveEventSourceMappingKinesisEnriched remove plan-mapping-removed",
			"IamRoleLambdaExecution modify",
		},
		"modify-batch-size":         {"ProcessEventSourceMappingKinesisTelemetry modify"},
		"replace-starting-position": {"ProcessEventSourceMappingKinesisTelemetry replace plan-replace-conflict plan-starting-position"},
		"replace-event-source-arn": {
			"IamRoleLambdaExecution modify",
			"ProcessEventSourceMappingKinesisTelemetry replace",
		},
		"consumer-renamed": {
			"ReplayerEventSourceMappingKinesisEvents replace plan-starting-position",
			"ReplayereventsreplaydevConsumerStreamConsumer replace plan-consumer-renamed",
		},
		"consumer-naming-mode": {
			"AnalyticsEventSourceMappingKinesisClicks replace plan-starting-position",
			"AnalyticsclicksConsumerStreamConsumer remove",
			"AnalyticsclicksfanoutdevConsumerStreamConsumer add plan-consumer-renamed",
			"IamRoleLambdaExecution modify",
		},
		"permission-removed":     {"IamRoleLambdaExecution modify plan-permission-removed"},
		"unchanged":              nil,
		"unchanged-yaml":         nil,
		"unchanged-get-template": nil,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", name)
			p := Compare(readTemplate(t, filepath.Join(dir, "after.json")), readTemplate(t, before(t, dir)))
			var got []string
			for _, e := range p {
				s := e.LogicalID + " " + e.Action
				for _, h := range e.Hazards {
					s += " " + h.Rule
				}
				got = append(got, s)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestNumbersKeepTheirType(t *testing.T) {
	dir := filepath.Join("testdata", "modify-batch-size")
	p := Compare(readTemplate(t, filepath.Join(dir, "after.json")), readTemplate(t, filepath.Join(dir, "before.json")))
	var b bytes.Buffer
	if err := WriteJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"before": 10,`) || !strings.Contains(b.String(), `"after": 100,`) {
		t.Errorf("BatchSize is not 10 -> 100 as numbers:\n%s", b.String())
	}
}

func TestEmptyPlanIsAnEmptyArray(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Compare(nil, nil)); err != nil {
		t.Fatal(err)
	}
	if b.String() != "[]\n" {
		t.Errorf("got %q", b.String())
	}
}

// TestCompiledNodeAgainstItsOwnJSON plans the *node.Node the compiler
// returns, not a re-read file, against the template it prints: no change.
func TestCompiledNodeAgainstItsOwnJSON(t *testing.T) {
	src, err := os.ReadFile("../../testdata/cases/48-multiple-functions-events/serverless.yml")
	if err != nil {
		t.Fatal(err)
	}
	root, fs := yamlsrc.Parse("serverless.yml", src)
	if fs.HasErrors() {
		t.Fatal(fs)
	}
	svc, fs := compile.Load(root, "dev", "us-east-1")
	if fs.HasErrors() {
		t.Fatal(fs)
	}
	res := compile.Compile(svc)
	tmpl, fs := compile.ServerlessTemplate(res, nil)
	if fs.HasErrors() {
		t.Fatal(fs)
	}
	if p := Compare(tmpl, readTemplate(t, "testdata/remove/before.json")); len(p) != 0 {
		t.Errorf("compiled template differs from its own output: %+v", p)
	}
	p := Compare(tmpl, nil)
	if len(p) != 5 || p[0].Action != Add {
		t.Errorf("against nothing, every resource is added: %+v", p)
	}
	// The compiler keeps JavaScript's undefined (a nil Value) where
	// Serverless sets a property to undefined; JSON drops it, so must the plan.
	for _, e := range p {
		for _, c := range e.Changes {
			if c.Before == nil && c.After == nil {
				t.Errorf("%s: %s changes from nothing to nothing", e.LogicalID, c.Property)
			}
		}
	}
}

func TestParseTemplateRejectsNonTemplates(t *testing.T) {
	for _, src := range []string{"[1, 2]", "Resources: [a]", "TemplateBody: 'Resources: ['", "a: [", "42"} {
		tmpl, fs := ParseTemplate("t.yml", []byte(src))
		if tmpl != nil || !fs.HasErrors() {
			t.Errorf("%q: got %v, %v; want an error finding", src, tmpl, fs)
		}
	}
}

func TestRulesAreKebabCaseAndComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if !strings.HasPrefix(r.ID, "plan-") || strings.ToLower(r.ID) != r.ID || r.Description == "" || r.Help == "" || r.Severity == 0 {
			t.Errorf("bad rule %+v", r)
		}
		seen[r.ID] = true
	}
	if len(seen) != 6 {
		t.Errorf("want 6 distinct rules, got %v", seen)
	}
	_ = diag.Error
}
