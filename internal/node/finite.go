package node

import "math"

// JSONRoundTrip returns n as JSON.parse(JSON.stringify(n)) leaves it:
// NaN and ±Infinity become null and -0 becomes 0. Serverless makes this
// round trip on the configuration it read and on every variable source's
// result, before anything validates or compiles it, so a `.inf` option is
// no option at all (its default applies, its property is left out). It
// copies only the containers it changes, so n may be shared.
func JSONRoundTrip(n *Node) *Node {
	if n == nil {
		return n
	}
	switch n.Kind {
	case Number:
		switch {
		case math.IsNaN(n.Num) || math.IsInf(n.Num, 0):
			return &Node{Kind: Null, Range: n.Range, Tag: n.Tag, Unresolved: n.Unresolved}
		case n.Num == 0 && math.Signbit(n.Num):
			c := *n
			c.Num = 0
			return &c
		}
	}
	return n.MapChildren(JSONRoundTrip)
}

// MapChildren returns n with f applied to each item of a sequence or value
// of a mapping. It copies only what changes: when f returns every child as
// it was, n itself is returned, so a shared tree can be rewritten safely.
func (n *Node) MapChildren(f func(*Node) *Node) *Node {
	switch n.Kind {
	case Seq:
		var items []*Node
		for i, it := range n.Items {
			if x := f(it); x != it {
				if items == nil {
					items = append([]*Node(nil), n.Items...)
				}
				items[i] = x
			}
		}
		if items != nil {
			c := *n
			c.Items = items
			return &c
		}
	case Map:
		var pairs []Pair
		for i, p := range n.Pairs {
			if x := f(p.Value); x != p.Value {
				if pairs == nil {
					pairs = append([]Pair(nil), n.Pairs...)
				}
				pairs[i].Value = x
			}
		}
		if pairs != nil {
			c := *n
			c.Pairs = pairs
			return &c
		}
	}
	return n
}
