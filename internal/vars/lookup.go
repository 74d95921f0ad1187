package vars

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/stream-events/stream-events/internal/node"
)

// lookup is resolveDependentProperty: it walks keys from the root,
// resolving on the way every property that still holds variables, and when
// the value found is an object or array, every property inside it. A
// property met again while it is being resolved is a cycle. Successful
// lookups are memoized. A nil result is JavaScript's undefined.
func (r *resolver) lookup(keys []string) (*node.Node, *verr) {
	// Keys may hold dots (${param:a.b}), so join them with NUL, which a
	// dotted address never holds.
	return r.lookupMemo(keys, lookupKey(keys))
}

// lookupKey is the memo key of lookup's keys.
func lookupKey(keys []string) string { return "\x00" + strings.Join(keys, "\x00") }

// lookupAddr is lookup of a dotted ${self:...} address ("" is the root).
func (r *resolver) lookupAddr(addr string) (*node.Node, *verr) {
	if v, ok := r.lookups[addr]; ok {
		return v, nil
	}
	var keys []string
	if addr != "" {
		keys = strings.Split(addr, ".")
	}
	return r.lookupMemo(keys, addr)
}

func (r *resolver) lookupMemo(keys []string, memo string) (*node.Node, *verr) {
	if v, ok := r.lookups[memo]; ok {
		return v, nil
	}
	cur := r.root
	final := false // inside a value produced by resolution: nothing left to resolve
	for i, k := range keys {
		if cur.IsNull() {
			return nil, nil
		}
		if cur.Unresolved != "" {
			return nil, &verr{pending: cur.Unresolved}
		}
		final = final || r.isDone(cur)
		slot := r.child(cur, k)
		if slot == nil {
			return member(cur, k), nil
		}
		if final {
			cur = *slot
			continue
		}
		v, e := r.resolveLeaf(slot, keys[:i+1])
		if e != nil {
			return nil, e
		}
		cur = v
	}
	if cur.Unresolved != "" {
		return nil, &verr{pending: cur.Unresolved}
	}
	if !final && (cur.Kind == node.Map || cur.Kind == node.Seq) {
		if e := r.ensure(cur, keys[:len(keys):len(keys)]); e != nil {
			return nil, e
		}
	}
	r.lookups[memo] = cur
	return cur, nil
}

// ensure resolves every property under n; values left unresolved offline
// stay marked inside it. path grows as a stack (appended to in place, no
// copy per level, which made deep values quadratic): the caller gives one
// it may append to.
func (r *resolver) ensure(n *node.Node, path []string) *verr {
	if r.isDone(n) {
		return nil
	}
	var e *verr
	each(n, func(slot **node.Node, key string) bool {
		c := *slot
		if c == nil || r.isDone(c) {
			return true
		}
		sub := append(path, key)
		switch c.Kind {
		case node.String:
			if _, err := r.resolveLeaf(slot, sub); err != nil && err.pending == "" {
				e = err
			}
		case node.Map, node.Seq:
			e = r.ensure(c, sub)
		}
		return e == nil
	})
	return e
}

// each calls f with the slot and key of every child of a container until
// f returns false.
func each(n *node.Node, f func(slot **node.Node, key string) bool) {
	switch n.Kind {
	case node.Map:
		for i := range n.Pairs {
			if !f(&n.Pairs[i].Value, n.Pairs[i].Key.Str) {
				return
			}
		}
	case node.Seq:
		for i := range n.Items {
			if !f(&n.Items[i], strconv.Itoa(i)) {
				return
			}
		}
	}
}

// child returns the slot of n[k] for a map key or an array index, or nil.
func (r *resolver) child(n *node.Node, k string) **node.Node {
	switch n.Kind {
	case node.Map:
		if i := r.mapIndex(n, k); i >= 0 {
			return &n.Pairs[i].Value
		}
	case node.Seq:
		if i, ok := arrayIndex(k); ok && i < len(n.Items) {
			return &n.Items[i]
		}
	}
	return nil
}

// member is JavaScript's value[key] for what child does not cover: the
// length of strings and arrays and a string's characters.
func member(n *node.Node, k string) *node.Node {
	switch n.Kind {
	case node.Seq:
		if k == "length" {
			return node.NewNumber(float64(len(n.Items)), n.Range)
		}
	case node.String:
		if k == "length" {
			return node.NewNumber(float64(utf16Len(n.Str)), n.Range)
		}
		if i, ok := arrayIndex(k); ok {
			u := utf16.Encode([]rune(n.Str))
			if i < len(u) {
				return node.NewString(string(utf16.Decode(u[i:i+1])), n.Range)
			}
		}
	}
	return nil
}

func arrayIndex(k string) (int, bool) {
	if k == "" || len(k) > 9 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	i, err := strconv.Atoi(k)
	return i, err == nil && i >= 0
}

// mapIndex finds key k in map n; large maps get an index.
func (r *resolver) mapIndex(n *node.Node, k string) int {
	if len(n.Pairs) < 16 {
		for i := range n.Pairs {
			if n.Pairs[i].Key.Str == k {
				return i
			}
		}
		return -1
	}
	idx, ok := r.index[n]
	if !ok {
		idx = make(map[string]int, len(n.Pairs))
		for i := range n.Pairs {
			idx[n.Pairs[i].Key.Str] = i
		}
		r.index[n] = idx
	}
	if i, ok := idx[k]; ok {
		return i
	}
	return -1
}
