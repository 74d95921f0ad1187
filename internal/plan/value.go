package plan

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/stream-events/stream-events/internal/node"
)

// equal compares two values as CloudFormation does: by JSON value, with
// object keys in any order. Positions and short-tag spellings do not count.
func equal(a, b *node.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	return canon(a) == canon(b)
}

// canon is a JSON form of n with object keys sorted, so equal values have
// equal text.
func canon(n *node.Node) string {
	var b bytes.Buffer
	writeCanon(&b, n)
	return b.String()
}

func writeCanon(b *bytes.Buffer, n *node.Node) {
	switch {
	case n == nil:
		b.WriteString("null")
	case n.Kind == node.Seq:
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanon(b, it)
		}
		b.WriteByte(']')
	case n.Kind == node.Map:
		pairs := slices.Clone(n.Pairs)
		slices.SortStableFunc(pairs, func(x, y node.Pair) int { return compareStrings(x.Key.Str, y.Key.Str) })
		b.WriteByte('{')
		i := 0
		for _, p := range pairs {
			if p.Value == nil { // undefined: JSON drops the key
				continue
			}
			if i > 0 {
				b.WriteByte(',')
			}
			i++
			b.WriteString(strconv.Quote(p.Key.Str))
			b.WriteByte(':')
			writeCanon(b, p.Value)
		}
		b.WriteByte('}')
	default:
		b.WriteString(n.Stringify())
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// show renders a value for a message: a string as itself, a Ref or GetAtt
// in its short form, anything else as compact JSON.
func show(n *node.Node) string {
	if n.IsString() {
		return n.Str
	}
	if r := n.Get("Ref"); r.IsString() && len(n.Pairs) == 1 {
		return "!Ref " + r.Str
	}
	if ga := n.Get("Fn::GetAtt"); ga.IsSeq() && len(n.Pairs) == 1 && len(ga.Items) == 2 && ga.Items[0].IsString() && ga.Items[1].IsString() {
		return "!GetAtt " + ga.Items[0].Str + "." + ga.Items[1].Str
	}
	return n.Stringify()
}
