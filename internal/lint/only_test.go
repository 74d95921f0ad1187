package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// TestOnly checks that running a subset of the rules finds exactly what the
// full run finds for those rules, on every fixture: compile in serverless
// mode runs only the schema family and the deprecation.
func TestOnly(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*/*.yml")
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	subsets := map[string]func(string) bool{
		"schema and deprecation": func(id string) bool {
			return strings.HasPrefix(id, "schema-") || id == ruleDeprecatedConsumerNaming.ID
		},
		"arn-format": func(id string) bool { return id == ruleArnFormat.ID },
		"none":       func(string) bool { return false },
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		root, _ := yamlsrc.Parse("serverless.yml", data)
		all := Lint(root, Options{Now: testNow})
		for name, only := range subsets {
			var want diag.Findings
			for _, f := range all {
				if only(f.Rule) {
					want = append(want, f)
				}
			}
			got := Lint(root, Options{Now: testNow, Only: only})
			if format(got) != format(want) {
				t.Errorf("%s, only %s:\ngot\n%s\nwant\n%s", path, name, format(got), format(want))
			}
		}
	}
}
