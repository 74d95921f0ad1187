package compile

import "github.com/stream-events/stream-events/internal/node"

// stripNulls mirrors Serverless's stripNullPropsFromTemplateResources, run on
// every resource's Properties before the template is written: null-valued
// keys are deleted from objects at any depth (array items stay: deleting
// one leaves a hole that JSON writes as null). It copies what it changes.
func stripNulls(n *node.Node) *node.Node {
	if !hasNullValue(n) {
		return n
	}
	return rewritePairs(n, func(kept, nulls []node.Pair) []node.Pair { return kept })
}

// nullsLast mirrors the round trip Serverless's config validation makes:
// null values are deleted from every object before ajv runs and set again
// after it, so they end up last in their object. It matters where key order
// reaches the template: JSON.stringify'd filter patterns.
func nullsLast(n *node.Node) *node.Node {
	if !hasNullValue(n) {
		return n
	}
	return rewritePairs(n, func(kept, nulls []node.Pair) []node.Pair { return append(kept, nulls...) })
}

// rewritePairs rebuilds every object under n (inside arrays too) from its
// non-null and its null pairs, in order, through join. It copies only the
// containers it changes, so n may be shared.
func rewritePairs(n *node.Node, join func(kept, nulls []node.Pair) []node.Pair) *node.Node {
	switch {
	case n.IsMap():
		kept := make([]node.Pair, 0, len(n.Pairs))
		var nulls []node.Pair
		changed := false
		for _, p := range n.Pairs {
			if p.Value != nil && p.Value.Kind == node.Null {
				nulls = append(nulls, p)
				continue
			}
			x := rewritePairs(p.Value, join)
			changed = changed || x != p.Value
			kept = append(kept, node.Pair{Key: p.Key, Value: x})
		}
		if !changed && len(nulls) == 0 {
			return n
		}
		pairs := join(kept, nulls)
		if !changed && len(pairs) == len(n.Pairs) && samePairs(pairs, n.Pairs) {
			return n
		}
		c := *n
		c.Pairs = pairs
		return &c
	case n.IsSeq():
		var items []*node.Node
		for i, it := range n.Items {
			if x := rewritePairs(it, join); x != it {
				if items == nil {
					items = append([]*node.Node(nil), n.Items...)
				}
				items[i] = x
			}
		}
		if items != nil {
			c := *n
			c.Items = items
			return &c
		}
	}
	return n
}

func samePairs(a, b []node.Pair) bool {
	for i := range a {
		if a[i].Key != b[i].Key {
			return false
		}
	}
	return true
}

// hasNullValue reports a null-valued pair anywhere under n, so the common
// case (no nulls) costs a walk and no allocation.
func hasNullValue(n *node.Node) bool {
	if n == nil {
		return false
	}
	for _, p := range n.Pairs {
		if p.Value != nil && (p.Value.Kind == node.Null || hasNullValue(p.Value)) {
			return true
		}
	}
	for _, it := range n.Items {
		if hasNullValue(it) {
			return true
		}
	}
	return false
}
