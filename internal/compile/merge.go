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
