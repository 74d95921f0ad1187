package compile

import (
	"math"

	"github.com/stream-events/stream-events/internal/jsnum"

	"github.com/stream-events/stream-events/internal/node"
)

// Serverless validates its config with ajv and coerceTypes: "array", and that
// validation rewrites the values compilation then reads. These helpers
// reproduce the rewrites for the schema types the stream compiler reads.

// unwrapSingle returns the only item of a one-item array: ajv's "array"
// coercion turns [x] into x where a scalar is expected.
func unwrapSingle(n *node.Node) *node.Node {
	if n.IsSeq() && len(n.Items) == 1 {
		return n.Items[0]
	}
	return n
}

// coerceNumber coerces as ajv does for {type: number|integer}: booleans,
// null and numeric strings become numbers; anything else is kept as is.
func coerceNumber(n *node.Node, integer bool) *node.Node {
	if n == nil {
		return nil
	}
	orig := n
	n = unwrapSingle(n)
	switch n.Kind {
	case node.Number:
		return n
	case node.Bool:
		v := 0.0
		if n.Bool {
			v = 1
		}
		return withValue(n, node.NewNumber(v, n.Range))
	case node.Null:
		return withValue(n, node.NewNumber(0, n.Range))
	case node.String:
		f, ok := AjvNumber(n.Str)
		if !ok || (integer && f != math.Trunc(f)) {
			return orig
		}
		return withValue(n, node.NewNumber(f, n.Range))
	}
	// Not coercible: ajv keeps the value as written ([[1]] stays [[1]]).
	return orig
}

// coerceBool coerces as ajv does for {type: boolean}.
func coerceBool(n *node.Node) *node.Node {
	if n == nil {
		return nil
	}
	orig := n
	n = unwrapSingle(n)
	switch {
	case n.Kind == node.Bool:
		return n
	case n.Kind == node.Null,
		n.Kind == node.String && n.Str == "false",
		n.Kind == node.Number && n.Num == 0:
		return withValue(n, node.NewBool(false, n.Range))
	case n.Kind == node.String && n.Str == "true",
		n.Kind == node.Number && n.Num == 1:
		return withValue(n, node.NewBool(true, n.Range))
	}
	return orig
}

// coerceString coerces as ajv does for {type: string}: numbers and booleans
// are stringified and null becomes "".
func coerceString(n *node.Node) *node.Node {
	if n == nil {
		return nil
	}
	orig := n
	n = unwrapSingle(n)
	switch n.Kind {
	case node.String:
		return n
	case node.Number, node.Bool:
		return withValue(n, node.NewString(n.JSString(), n.Range))
	case node.Null:
		return withValue(n, node.NewString("", n.Range))
	}
	return orig
}

func withValue(orig, v *node.Node) *node.Node {
	v.Unresolved = orig.Unresolved
	return v
}

// AjvNumber is ajv's coercion of a string to {type: number}: its check
// is data && data == +data, so Number(s) (package jsnum) unless it is NaN
// or s is "", which is falsy.
func AjvNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	return jsnum.Number(s)
}
