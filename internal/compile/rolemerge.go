package compile

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// customRoleStatements returns the statements of a resources.Resources
// IamRoleLambdaExecution (its first policy's, where the generated ones
// are), as the custom resources, merged in order, define them.
func customRoleStatements(root *node.Node) *node.Node {
	res := root.Get("resources")
	parts := []*node.Node{res}
	if res.IsSeq() {
		parts = res.Items
	}
	var st *node.Node
	for _, part := range parts {
		pol := part.Path("Resources", DefaultRoleLogicalID, "Properties", "Policies")
		if !pol.IsSeq() || len(pol.Items) == 0 {
			continue
		}
		if s := pol.Items[0].Path("PolicyDocument", "Statement"); s.IsSeq() {
			st = node.Merge(st, s)
		}
	}
	return st
}

// insertStatements inserts the stream statements at position at of base's
// role statements. A custom IamRoleLambdaExecution in resources was merged
// over the generated role after compilation with lodash's merge, index by
// index: base holds merge(generated, custom), Serverless's own template
// merge(generated with the stream statements, custom). So the custom
// statements from position at on blend into the stream statements and
// into what follows them. A later compiler's statement that base shows
// blended with a custom one cannot be told apart: that is a finding, and
// the statements are inserted as if there were no custom ones.
func insertStatements(st *node.Node, at int, stream []*node.Node, custom *node.Node, r diag.Range) *diag.Finding {
	b := st.Items
	if custom == nil || len(custom.Items) <= at {
		st.Items = append(b[:at:at], append(stream, b[at:]...)...)
		return nil
	}
	c := custom.Items
	for j := at; j < min(len(b), len(c)); j++ {
		if len(b) > len(c) || isLaterStatement(b[j]) {
			st.Items = append(b[:at:at], append(stream, b[at:]...)...)
			return &diag.Finding{Rule: BaseRule, Severity: diag.Warning, Range: r,
				Message: "the custom IamRoleLambdaExecution statements are blended with statements of later event compilers in the base template; the stream statements are inserted without blending them"}
		}
	}
	// The generated role: base up to at, the stream statements, then what
	// base holds beyond the custom statements (the later compilers').
	gen := append(append(b[:at:at], stream...), b[max(at, len(c)):]...)
	out := append([]*node.Node(nil), b[:at]...)
	for i := at; i < max(len(gen), len(c)); i++ {
		switch {
		case i >= len(c):
			out = append(out, gen[i])
		case i >= len(gen):
			out = append(out, node.Merge(nil, c[i]))
		default:
			out = append(out, node.Merge(gen[i].Clone(), c[i]))
		}
	}
	st.Items = out
	return nil
}
