package compile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// TestCompiledNodesAreNeverChanged guards what the sharing of template
// nodes relies on (a function's FunctionName and DependsOn in all its
// mappings, a consumer's Ref in its mapping and its statement, the
// config's own values and option pairs, the Shared hint): no later stage
// changes a node it did not build. Over the golden cases, each template
// mode gives the same text from a Result the other mode used first, a
// template's text does not change when the other mode runs afterwards,
// the config is left as it was, and the Shared hint does not change the
// output.
func TestCompiledNodesAreNeverChanged(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/cases/[0-9]*")
	if len(dirs) < 40 {
		t.Fatalf("only %d golden cases", len(dirs))
	}
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "serverless.yml"))
		if err != nil {
			continue
		}
		root, fs := yamlsrc.Parse("serverless.yml", data)
		if fs.HasErrors() {
			continue
		}
		config := string(root.Indent())
		compiled := func() *Result {
			svc, _ := Load(root, "dev", "us-east-1")
			return Compile(svc)
		}
		base := func() *node.Node { // ServerlessTemplate changes its base
			b, err := os.ReadFile(filepath.Join(dir, "base.json"))
			if err != nil {
				return nil
			}
			n, _ := yamlsrc.Parse("base.json", b)
			return n
		}
		serverless := func(res *Result) []byte {
			if tpl, _ := ServerlessTemplate(res, base()); tpl != nil {
				return tpl.Indent()
			}
			return nil
		}
		standalone := func(res *Result) []byte {
			if tpl, _ := Standalone(res, StandaloneOptions{}); tpl != nil {
				return tpl.IndentCFN()
			}
			return nil
		}
		name := filepath.Base(dir)

		res := compiled()
		tpl, _ := ServerlessTemplate(res, base())
		var want []byte
		if tpl != nil {
			want = tpl.Indent()
			if unshared := withoutShared(tpl).Indent(); !bytes.Equal(unshared, want) {
				t.Errorf("%s: the Shared hint changes the serverless template", name)
			}
		}
		wantStandalone := standalone(compiled())
		if got := standalone(res); !bytes.Equal(got, wantStandalone) {
			t.Errorf("%s: the standalone template differs after serverless mode used the same Result", name)
		}
		if tpl != nil && !bytes.Equal(tpl.Indent(), want) {
			t.Errorf("%s: the serverless template changed when standalone mode ran after it", name)
		}
		res = compiled()
		sa, _ := Standalone(res, StandaloneOptions{})
		if got := serverless(res); !bytes.Equal(got, want) {
			t.Errorf("%s: the serverless template differs after standalone mode used the same Result", name)
		}
		if sa != nil && !bytes.Equal(sa.IndentCFN(), wantStandalone) {
			t.Errorf("%s: the standalone template changed when serverless mode ran after it", name)
		}
		if string(root.Indent()) != config {
			t.Errorf("%s: compiling changed the config", name)
		}
	}
}

// withoutShared is a deep copy of n without the Shared hint.
func withoutShared(n *node.Node) *node.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Shared = false
	c.Items = nil
	for _, it := range n.Items {
		c.Items = append(c.Items, withoutShared(it))
	}
	c.Pairs = nil
	for _, p := range n.Pairs {
		c.Pairs = append(c.Pairs, node.Pair{Key: p.Key, Value: withoutShared(p.Value)})
	}
	return &c
}
