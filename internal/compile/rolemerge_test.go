package compile

import (
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

func TestInsertStatements(t *testing.T) {
	var r diag.Range
	stmt := func(action string) *node.Node {
		m := node.NewMap(r)
		m.Set("Effect", node.NewString("Allow", r))
		m.Set("Action", node.NewString(action, r))
		return m
	}
	seq := func(items ...*node.Node) *node.Node { return node.NewSeq(r, items...) }
	deny := node.NewMap(r)
	deny.Set("Effect", node.NewString("Deny", r))
	for name, c := range map[string]struct {
		base, custom *node.Node
		want         string
		warn         bool
	}{
		"no custom statements: inserted": {
			base: seq(stmt("logs:a"), stmt("logs:b"), stmt("sqs:ReceiveMessage")),
			want: `[{"Effect":"Allow","Action":"logs:a"},{"Effect":"Allow","Action":"logs:b"},{"Effect":"Allow","Action":"s:1"},{"Effect":"Allow","Action":"sqs:ReceiveMessage"}]`,
		},
		"custom statements blend index by index": {
			base:   seq(stmt("logs:*"), stmt("logs:b"), deny),
			custom: seq(stmt("logs:*"), nil, deny),
			want:   `[{"Effect":"Allow","Action":"logs:*"},{"Effect":"Allow","Action":"logs:b"},{"Effect":"Deny","Action":"s:1"}]`,
		},
		"a later compiler's statement under a custom one": {
			base:   seq(stmt("logs:a"), stmt("logs:b"), stmt("sqs:ReceiveMessage"), stmt("x:y")),
			custom: seq(stmt("logs:a"), stmt("logs:b"), stmt("x:x")),
			want:   `[{"Effect":"Allow","Action":"logs:a"},{"Effect":"Allow","Action":"logs:b"},{"Effect":"Allow","Action":"s:1"},{"Effect":"Allow","Action":"sqs:ReceiveMessage"},{"Effect":"Allow","Action":"x:y"}]`,
			warn:   true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := insertStatements(c.base, 2, []*node.Node{stmt("s:1")}, c.custom, r)
			if got := c.base.Stringify(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if (f != nil) != c.warn {
				t.Errorf("finding %v, want one: %v", f, c.warn)
			}
		})
	}
}
