package loader

import (
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
