package node

import "io"

// flushAt is how much output a streaming encoder holds before it writes.
const flushAt = 1 << 16

// encoder appends JSON.stringify(n, null, 2) to buf and, when w is set,
// writes it out every flushAt bytes.
type encoder struct {
	w       io.Writer // nil: buf receives the whole output
	buf     []byte    // the output not yet written out
	err     error
	strict  bool // WriteIndentCFN's escapes
	flushes int  // how many times buf was written out

	// The text of Shared nodes, by node and depth, kept in one slab.
	memo map[memoKey][]byte
	slab []byte
}

// memoMax bounds the text an encoder keeps of shared nodes.
const memoMax = 64 << 10

type memoKey struct {
	n     *Node
	depth int
}

// The encoder's methods take and return the buffer (e.buf between
// calls): a slice the compiler keeps in registers rather than loads from
// and stores to e at every append.

func (e *encoder) write(n *Node) error {
	e.buf = e.indent(make([]byte, 0, flushAt+flushAt/4), n, 0)
	e.buf = e.flush(e.buf)
	return e.err
}

// flush writes b out, if the encoder streams, and returns b emptied.
func (e *encoder) flush(b []byte) []byte {
	if e.w == nil || len(b) == 0 {
		return b
	}
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
	e.flushes++
	return b[:0]
}

// shared writes a Shared container: its text at this depth if it was
// written before, else it is written and its text kept (unless the output
// was flushed meanwhile).
func (e *encoder) shared(b []byte, n *Node, depth int) []byte {
	k := memoKey{n, depth}
	if text, ok := e.memo[k]; ok {
		return append(b, text...)
	}
	start, flushes := len(b), e.flushes
	b = e.value(b, n, depth)
	if e.flushes != flushes { // the text is not whole in b
		return b
	}
	if text := b[start:]; len(text) <= memoMax/4 {
		if e.memo == nil {
			e.memo = map[memoKey][]byte{}
			e.slab = make([]byte, 0, memoMax)
		}
		if len(e.slab)+len(text) > memoMax {
			// Shared nodes are mostly reused close by (a function's
			// mappings): starting over keeps the memory small.
			clear(e.memo)
			e.slab = e.slab[:0]
		}
		from := len(e.slab)
		e.slab = append(e.slab, text...)
		e.memo[k] = e.slab[from:len(e.slab):len(e.slab)]
	}
	return b
}

func (e *encoder) indent(b []byte, n *Node, depth int) []byte {
	if e.w != nil && len(b) >= flushAt {
		b = e.flush(b)
	}
	if n != nil && n.Shared && (n.Kind == Seq || n.Kind == Map) {
		return e.shared(b, n, depth)
	}
	return e.value(b, n, depth)
}

// value writes n, at depth.
func (e *encoder) value(b []byte, n *Node, depth int) []byte {
	var end byte
	switch {
	case n == nil:
		return append(b, "null"...)
	case n.Kind == String: // the most common value: spare appendJSON's switch
		return appendJSONString(b, n.Str, e.strict)
	case n.Kind == Seq:
		end = ']'
	case n.Kind == Map:
		end = '}'
		if hasIndexKey(n.Pairs) {
			m := *n
			m.Pairs = JSOrder(n.Pairs)
			n = &m
		}
	default:
		return n.appendJSON(b, e.strict)
	}
	b = append(b, end-2) // '[' and '{' are two before their ends
	if len(n.Items) > 0 || len(n.Pairs) > 0 {
		var wrote bool
		if b, wrote = e.children(b, n, depth+1); wrote {
			b = appendBreak(b, false, depth)
		}
	}
	return append(b, end)
}

// children encodes the children of container n, each on its own line,
// and reports whether it wrote any: a map's undefined (nil) values are
// left out.
//
// Encoding them in chunks on both processors of a 2-core machine and
// joining the chunks in order was tried: it took 28% more processor time
// and was slower on the shared machine measured (issue 13).
func (e *encoder) children(b []byte, n *Node, depth int) ([]byte, bool) {
	wrote := false
	if n.Kind == Seq {
		for _, v := range n.Items {
			b = appendBreak(b, wrote, depth)
			wrote = true
			b = e.indent(b, v, depth)
		}
		return b, wrote
	}
	for i := range n.Pairs {
		p := &n.Pairs[i]
		if p.Value == nil {
			continue
		}
		b = appendBreak(b, wrote, depth)
		wrote = true
		b = appendJSONString(b, p.Key.Str, e.strict)
		b = append(b, ": "...)
		b = e.indent(b, p.Value, depth)
	}
	return b, wrote
}

// breaks is a comma, a newline and the indentation of the deepest level
// that one append writes.
const breaks = ",\n" + spaces

// appendBreak appends the line break before a child at depth (or before
// the end of a container one level up), after a comma unless first.
func appendBreak(b []byte, comma bool, depth int) []byte {
	from := 1
	if comma {
		from = 0
	}
	if n := 2 + 2*depth; n <= len(breaks) {
		return append(b, breaks[from:n]...)
	}
	return appendSpaces(append(b, breaks[from:2]...), depth)
}

const spaces = "                                                                "

func appendSpaces(b []byte, depth int) []byte {
	if n := 2 * depth; n <= len(spaces) {
		return append(b, spaces[:n]...)
	}
	for n := 2 * depth; n > 0; n -= len(spaces) {
		b = append(b, spaces[:min(n, len(spaces))]...)
	}
	return b
}
