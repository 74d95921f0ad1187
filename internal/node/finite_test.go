package node

import (
	"math"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
)

func TestJSONRoundTrip(t *testing.T) {
	var r diag.Range
	num := func(f float64) *Node { return NewNumber(f, r) }
	m := NewMap(r)
	m.Set("inf", num(math.Inf(1)))
	m.Set("list", NewSeq(r, num(math.NaN()), num(2), num(math.Inf(-1)), num(math.Copysign(0, -1))))
	m.Set("keep", NewString("x", r))
	got := JSONRoundTrip(m)
	if s := got.Stringify(); s != `{"inf":null,"list":[null,2,null,0],"keep":"x"}` {
		t.Errorf("got %s", s)
	}
	if got.Get("inf").Kind != Null || got.Get("list").Items[0].Kind != Null || math.Signbit(got.Get("list").Items[3].Num) {
		t.Errorf("non-finite numbers must become null nodes and -0 must become 0: %#v", got)
	}
	if !math.IsInf(m.Get("inf").Num, 1) {
		t.Error("the input was changed")
	}
	if plain := NewSeq(r, num(1)); JSONRoundTrip(plain) != plain {
		t.Error("a value without non-finite numbers must be returned as is")
	}
}

// TestMapChildren: an unchanged tree is returned as is; a change copies
// only the container it is in, and the original stays as it was.
func TestMapChildren(t *testing.T) {
	a, b := NewString("a", diag.Range{}), NewString("b", diag.Range{})
	seq := &Node{Kind: Seq, Items: []*Node{a, b}}
	if got := seq.MapChildren(func(n *Node) *Node { return n }); got != seq {
		t.Error("an unchanged sequence was copied")
	}
	x := NewString("x", diag.Range{})
	got := seq.MapChildren(func(n *Node) *Node {
		if n == b {
			return x
		}
		return n
	})
	if got == seq || got.Items[0] != a || got.Items[1] != x || seq.Items[1] != b {
		t.Errorf("sequence rewrite: got %v, original %v", got.Items, seq.Items)
	}
	m := &Node{Kind: Map, Pairs: []Pair{{Key: a, Value: b}}}
	gm := m.MapChildren(func(*Node) *Node { return x })
	if gm == m || gm.Pairs[0].Value != x || m.Pairs[0].Value != b {
		t.Error("mapping rewrite changed the original or kept the old value")
	}
}
