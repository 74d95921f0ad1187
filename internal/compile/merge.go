package compile

import "github.com/stream-events/stream-events/internal/node"

// lodashMerge merges src into dst as lodash's _.merge does, which is how
// Serverless adds resources to its template: objects merge key by key,
// arrays merge index by index, scalars from src win, and an undefined
// (nil) src value only creates a missing key. It returns the merged value,
// which is dst itself when dst is a map or an array that src merges into.
func lodashMerge(dst, src *node.Node) *node.Node {
	switch {
	case src == nil:
		return dst
	case src.Kind == node.Seq:
		out := dst
		if dst == nil || dst.Kind != node.Seq {
			out = node.NewSeq(src.Range)
		}
		for i, it := range src.Items {
			if i < len(out.Items) {
				out.Items[i] = lodashMerge(out.Items[i], it)
			} else {
				out.Items = append(out.Items, lodashMerge(nil, it))
			}
		}
		return out
	case src.Kind == node.Map:
		out := dst
		if dst == nil || dst.Kind != node.Map {
			out = node.NewMap(src.Range)
			out.Tag = src.Tag
		}
		for _, p := range src.Pairs {
			existing := out.GetPair(p.Key.Str)
			if existing == nil {
				out.Pairs = append(out.Pairs, node.Pair{Key: p.Key, Value: lodashMerge(nil, p.Value)})
				continue
			}
			if p.Value != nil {
				existing.Value = lodashMerge(existing.Value, p.Value)
			}
		}
		return out
	}
	return src
}

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
