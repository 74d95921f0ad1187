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
