package node

// Merge merges src into dst as lodash's _.merge does, which is how
// Serverless adds resources to its template: objects merge key by key,
// arrays merge index by index, scalars from src win, and an undefined
// (nil) src value only creates a missing key. It returns the merged value,
// which is dst itself when dst is a map or an array that src merges into.
func Merge(dst, src *Node) *Node {
	switch {
	case src == nil:
		return dst
	case src.Kind == Seq:
		out := dst
		if dst == nil || dst.Kind != Seq {
			out = NewSeq(src.Range)
		}
		for i, it := range src.Items {
			if i < len(out.Items) {
				out.Items[i] = Merge(out.Items[i], it)
			} else {
				out.Items = append(out.Items, Merge(nil, it))
			}
		}
		return out
	case src.Kind == Map:
		out := dst
		if dst == nil || dst.Kind != Map {
			out = NewMap(src.Range)
			out.Tag = src.Tag
		}
		for _, p := range src.Pairs {
			existing := out.GetPair(p.Key.Str)
			if existing == nil {
				out.Pairs = append(out.Pairs, Pair{Key: p.Key, Value: Merge(nil, p.Value)})
				continue
			}
			if p.Value != nil {
				existing.Value = Merge(existing.Value, p.Value)
			}
		}
		return out
	}
	return src
}
