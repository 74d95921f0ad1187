package loader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

func parseForBench(data []byte) (*node.Node, error) {
	n, _ := yamlsrc.Parse("serverless.yml", data)
	return n, nil
}

// FuzzParse checks that yamlsrc.Parse never panics and that every finding
// has a position.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"service: s\n",
		"a: !GetAtt A.B\nb: !Sub '${AWS::Region}'\nc: !Ref X\n",
		"a: &x [1, 2]\nb: *x\nc: {<<: {k: v}}\n",
		"a: 1\na: 2\n",
		"- [a, {b: c}]\n",
		"a: |\n  text\n  ${self:x}\n",
		"x: !Unknown y\n",
		"a: [\n",
		"'é': \"\\u00e9${x}\"\n",
	} {
		f.Add([]byte(s))
	}
	for _, b := range testdataConfigs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, fs := yamlsrc.Parse("f.yml", data)
		for _, x := range fs {
			if x.Range.Start.Line < 1 || x.Range.Start.Col < 1 {
				t.Errorf("finding without position: %v", x)
			}
		}
		_ = n.Stringify()
	})
}

// testdataConfigs seeds the fuzzers with the project's own configs: the
// golden cases and the lint examples.
func testdataConfigs(f *testing.F) [][]byte {
	var out [][]byte
	for _, pattern := range []string{"../../testdata/cases/*/serverless.yml", "../../testdata/lint/*/*.yml"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				out = append(out, b)
			}
		}
	}
	if len(out) == 0 {
		f.Fatal("no seed configs under testdata/")
	}
	return out
}
