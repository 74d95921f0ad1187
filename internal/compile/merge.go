package compile

import "github.com/stream-events/stream-events/internal/node"

// stripNulls mirrors Serverless's stripNullPropsFromTemplateResources, run on
// every resource's Properties before the template is written: null-valued
// keys are deleted from objects at any depth (array items stay: deleting
// one leaves a hole that JSON writes as null). It copies what it changes.
func stripNulls(n *node.Node) *node.Node {
	switch {
	case n.IsMap():
		var pairs []node.Pair
		changed := false
		for i, p := range n.Pairs {
			v := p.Value
			if v != nil && v.Kind == node.Null {
				if !changed {
					pairs, changed = append([]node.Pair(nil), n.Pairs[:i]...), true
				}
				continue
			}
			x := stripNulls(v)
			if x != v && !changed {
				pairs, changed = append([]node.Pair(nil), n.Pairs[:i]...), true
			}
			if changed {
				pairs = append(pairs, node.Pair{Key: p.Key, Value: x})
			}
		}
		if changed {
			c := *n
			c.Pairs = pairs
			return &c
		}
	case n.IsSeq():
		var items []*node.Node
		for i, it := range n.Items {
			if x := stripNulls(it); x != it {
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

// nullsLast mirrors the round trip Serverless's config validation makes:
// null values are deleted from every object before ajv runs and set again
// after it, so they end up last in their object. It matters where key order
// reaches the template: JSON.stringify'd filter patterns.
func nullsLast(n *node.Node) *node.Node {
	switch {
	case n.IsMap():
		var kept, nulls []node.Pair
		changed := false
		for i, p := range n.Pairs {
			if p.Value != nil && p.Value.Kind == node.Null {
				nulls = append(nulls, p)
				continue
			}
			x := nullsLast(p.Value)
			if x != p.Value || len(nulls) > 0 && !changed {
				changed = true
			}
			kept = append(kept, node.Pair{Key: p.Key, Value: x})
			_ = i
		}
		if changed || len(nulls) > 0 {
			c := *n
			c.Pairs = append(kept, nulls...)
			return &c
		}
	case n.IsSeq():
		var items []*node.Node
		for i, it := range n.Items {
			if x := nullsLast(it); x != it {
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
