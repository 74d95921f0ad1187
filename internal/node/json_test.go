package node

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"unsafe"

	"github.com/stream-events/stream-events/internal/diag"
)

var tenth, fifth = 0.1, 0.2 // variables: constants would fold exactly

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {2.5, "2.5"}, {1, "1"}, {1000, "1000"}, {-1, "-1"},
		{1e21, "1e+21"}, {1.5e22, "1.5e+22"}, {1e-7, "1e-7"}, {0.000001, "0.000001"},
		{123456789012, "123456789012"}, {tenth + fifth, "0.30000000000000004"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func str(s string) *Node { return NewString(s, diag.Range{}) }

func mapOf(kv ...any) *Node {
	m := NewMap(diag.Range{})
	for i := 0; i < len(kv); i += 2 {
		v, ok := kv[i+1].(*Node)
		if !ok {
			v = str(kv[i+1].(string))
		}
		m.Pairs = append(m.Pairs, Pair{Key: str(kv[i].(string)), Value: v})
	}
	return m
}

func TestStringifyKeyOrder(t *testing.T) {
	// JavaScript enumerates array-index keys first, ascending; "007", "-1"
	// and "1.5" are ordinary keys and keep their place.
	n := mapOf("b", "1", "10", "x", "007", "y", "2", "z", "-1", "w", "1.5", "v", "a", "&<>é")
	want := `{"2":"z","10":"x","b":"1","007":"y","-1":"w","1.5":"v","a":"&<>é"}`
	if got := n.Stringify(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestStringifyEscapes(t *testing.T) {
	n := str("q\"\\\n\t\x01\u2028</script>")
	want := `"q\"\\\n\t\u0001` + "\u2028" + `</script>"`
	if got := n.Stringify(); got != want {
		t.Errorf("got %s want %s", got, want)
	}
}

func TestIndentMatchesJSONStringify(t *testing.T) {
	n := mapOf("a", NewSeq(diag.Range{}), "b", NewMap(diag.Range{}), "c", NewSeq(diag.Range{}, NewNumber(1, diag.Range{}), NewNull(diag.Range{})), "u", (*Node)(nil))
	want := "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    null\n  ]\n}"
	if got := string(n.Indent()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestIndentUndefined checks the commas and line breaks around undefined
// (nil) values, which are left out wherever they are, at a depth the
// indentation constant does not reach as well.
func TestIndentUndefined(t *testing.T) {
	u := (*Node)(nil)
	tests := []struct {
		n    *Node
		want string
	}{
		{mapOf("u", u), "{}"},
		{mapOf("u", u, "a", "x", "v", u, "b", "y", "w", u), "{\n  \"a\": \"x\",\n  \"b\": \"y\"\n}"},
		{NewSeq(diag.Range{}, u, mapOf("u", u)), "[\n  null,\n  {}\n]"},
	}
	for _, tt := range tests {
		if got := string(tt.n.Indent()); got != tt.want {
			t.Errorf("got\n%s\nwant\n%s", got, tt.want)
		}
	}
	deep := mapOf("a", "x", "u", u, "b", "y")
	for range 40 {
		deep = NewSeq(diag.Range{}, str("z"), deep)
	}
	var want strings.Builder
	for d := range 40 {
		fmt.Fprintf(&want, "[\n%s\"z\",\n%s", strings.Repeat("  ", d+1), strings.Repeat("  ", d+1))
	}
	in := strings.Repeat("  ", 41)
	fmt.Fprintf(&want, "{\n%s\"a\": \"x\",\n%s\"b\": \"y\"\n%s}", in, in, strings.Repeat("  ", 40))
	for d := 39; d >= 0; d-- {
		fmt.Fprintf(&want, "\n%s]", strings.Repeat("  ", d))
	}
	if got := string(deep.Indent()); got != want.String() {
		t.Errorf("deep: got\n%s\nwant\n%s", got, want.String())
	}
}

func TestTruthy(t *testing.T) {
	r := diag.Range{}
	for _, n := range []*Node{nil, NewNull(r), NewBool(false, r), NewNumber(0, r), str("")} {
		if n.Truthy() {
			t.Errorf("%v is truthy", n.Describe())
		}
	}
	for _, n := range []*Node{NewBool(true, r), NewNumber(-1, r), str("false"), NewSeq(r), NewMap(r)} {
		if !n.Truthy() {
			t.Errorf("%v is falsy", n.Describe())
		}
	}
}

func TestWriteIndentStreamsTheSameBytes(t *testing.T) {
	big := NewMap(diag.Range{})
	for i := range 3000 {
		big.Set(FormatNumber(float64(i))+"x", mapOf("a", NewSeq(diag.Range{}, str("v"), NewMap(diag.Range{})), "b", "c"))
	}
	var b bytes.Buffer
	if err := big.WriteIndent(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), big.Indent()) {
		t.Error("WriteIndent and Indent differ")
	}
}

func TestCFNEscapesControls(t *testing.T) {
	n := mapOf("k\u0085", "a\x7fb\u0080c\u009fdé\u2028")
	if got, want := string(n.IndentCFN()), "{\n  \"k\\u0085\": \"a\\u007fb\\u0080c\\u009fdé\u2028\"\n}"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := string(n.Indent()); !strings.Contains(got, "\x7f") {
		t.Errorf("Indent must keep DEL as Serverless writes it: %q", got)
	}
}

// TestJSONStringEightAtATime checks the word-at-a-time scan of
// appendJSONString against the byte-by-byte rule, for every byte value at
// every position of a word and across word boundaries.
func TestJSONStringEightAtATime(t *testing.T) {
	reference := func(s string, strict bool) string {
		var b strings.Builder
		b.WriteByte('"')
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '"' || c == '\\':
				b.WriteString(`\` + string(c))
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\b':
				b.WriteString(`\b`)
			case c == '\f':
				b.WriteString(`\f`)
			case c < 0x20 || strict && c == 0x7f:
				fmt.Fprintf(&b, `\u%04x`, c)
			case strict && c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
				fmt.Fprintf(&b, `\u%04x`, s[i+1])
				i++
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	for c := range 256 {
		for _, next := range []byte{'a', 0x85, 0x7f} {
			for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 27, 32, 33} { // bytes, half words, words, pairs of words, tails
				for pos := range n {
					s := []byte(strings.Repeat("aé", 17))[:n]
					s[pos] = byte(c)
					if pos+1 < n {
						s[pos+1] = next
					}
					for _, strict := range []bool{false, true} {
						if got, want := string(appendJSONString(nil, string(s), strict)), reference(string(s), strict); got != want {
							t.Fatalf("%q strict %v: got %q, want %q", s, strict, got, want)
						}
					}
				}
			}
		}
	}
}

// TestArenaSlicesStayApart checks that a slice handed out by an arena
// leaves its block when it grows past the room asked for, so that its
// neighbours keep their values.
func TestArenaSlicesStayApart(t *testing.T) {
	for _, a := range []*Arena{nil, new(Arena)} {
		r := diag.Range{}
		m1, m2 := a.MapCap(r, 1), a.Map(r, Pair{Key: str("b"), Value: str("2")})
		m1.Set("a", str("1"))
		m1.Set("c", str("3")) // beyond the room of one pair
		s1, s2 := a.SeqCap(r, 1), a.Seq(r, str("y"))
		s1.Items = append(s1.Items, str("x"), str("z"))
		if got := m2.Stringify() + s2.Stringify(); got != `{"b":"2"}["y"]` {
			t.Errorf("arena %v: a neighbour changed: %s", a != nil, got)
		}
		if got := m1.Stringify() + s1.Stringify(); got != `{"a":"1","c":"3"}["x","z"]` {
			t.Errorf("arena %v: got %s", a != nil, got)
		}
	}
}

// TestIndentDeep checks the indentation beyond the 64 spaces written at once.
func TestIndentDeep(t *testing.T) {
	n := str("x")
	for range 40 {
		n = NewSeq(diag.Range{}, n)
	}
	lines := strings.Split(string(n.Indent()), "\n")
	if len(lines) != 81 || lines[40] != strings.Repeat("  ", 40)+`"x"` || lines[41] != strings.Repeat("  ", 39)+"]" || lines[80] != "]" {
		t.Errorf("got %d lines, the middle one %q", len(lines), lines[min(40, len(lines)-1)])
	}
}

// TestSharedText checks that reusing the text of Shared containers writes
// what writing them each time writes: at several depths, across flushes of
// the streamed output, and after the kept text starts over.
func TestSharedText(t *testing.T) {
	r := diag.Range{}
	actions := NewSeq(r, str("kinesis:GetRecords"), str("kinesis:ListShards\u0085"))
	target := mapOf("Fn::GetAtt", NewSeq(r, str("F"), str("Arn")), "Nested", actions)
	big := NewMap(r)
	var own []*Node // one per entry, used twice: more than the text kept
	for i := range 3000 {
		o := mapOf("Fn::GetAtt", NewSeq(r, str("F"+FormatNumber(float64(i))), str("Arn")))
		own = append(own, o)
		big.Pairs = append(big.Pairs, Pair{Key: str("R" + FormatNumber(float64(i))), Value: mapOf("Actions", actions, "Target", target,
			"Own", o, "Deeper", mapOf("Target", target, "List", NewSeq(r, actions, target, o)))})
	}
	plain := map[bool][]byte{}
	for _, strict := range []bool{false, true} {
		e := encoder{strict: strict}
		e.buf = e.indent(nil, big, 0)
		plain[strict] = e.buf
	}
	actions.Shared, target.Shared = true, true
	for _, o := range own {
		o.Shared = true
	}
	if !bytes.Equal(big.Indent(), plain[false]) || !bytes.Equal(big.IndentCFN(), plain[true]) {
		t.Error("the text of shared nodes differs from writing them each time")
	}
	// A shared node longer than a flush, twice: its text is never whole
	// in the buffer.
	long := NewSeq(r)
	for i := range 3000 {
		long.Items = append(long.Items, str(strings.Repeat("x", 50)+FormatNumber(float64(i))))
	}
	twice := mapOf("a", long, "b", long)
	e := encoder{}
	e.buf = e.indent(nil, twice, 0)
	long.Shared = true
	var b bytes.Buffer
	if err := twice.WriteIndent(&b); err != nil || !bytes.Equal(b.Bytes(), e.buf) {
		t.Errorf("a shared node written across flushes differs (%v)", err)
	}
	var n Node
	if unsafe.Offsetof(n.Str) != unsafe.Alignof(n.Str) {
		t.Error("Kind, Bool and Shared must fit in the padding before Str: a node must not grow")
	}
}

func TestAppendNumberAsFormatNumber(t *testing.T) {
	for _, f := range []float64{1, -1, 100, 1e15 - 1, 1e15, -1e15, 1e15 + 2, 123456789012345678, 1e20, 2.5, -0.5, 1e21, 1e-7, tenth + fifth} {
		if got, want := string(appendNumber(nil, f)), FormatNumber(f); got != want {
			t.Errorf("appendNumber(%v) = %s, want %s", f, got, want)
		}
	}
}
