package node

import "io"

// flushAt is how much output a streaming encoder holds before it writes.
const flushAt = 1 << 16

// encoder appends JSON.stringify(n, null, 2) to buf and, when w is set,
// writes it out every flushAt bytes.
type encoder struct {
	w       io.Writer // nil: buf receives the whole output
	buf     []byte
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

func (e *encoder) write(n *Node) error {
	e.buf = make([]byte, 0, flushAt+flushAt/4)
	e.indent(n, 0)
	e.flush()
	return e.err
}

func (e *encoder) flush() {
	if e.w == nil || len(e.buf) == 0 {
		return
	}
	if e.err == nil {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
	e.flushes++
}

// shared writes a Shared container: its text at this depth if it was
// written before, else it is written and its text kept (unless the output
// was flushed meanwhile).
func (e *encoder) shared(n *Node, depth int) {
	k := memoKey{n, depth}
	if text, ok := e.memo[k]; ok {
		e.buf = append(e.buf, text...)
		return
	}
	start, flushes := len(e.buf), e.flushes
	e.value(n, depth)
	if e.flushes != flushes { // the text is not whole in buf
		return
	}
	if text := e.buf[start:]; len(text) <= memoMax/4 {
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
}

func (e *encoder) indent(n *Node, depth int) {
	if e.w != nil && len(e.buf) >= flushAt {
		e.flush()
	}
	if n != nil && n.Shared && (n.Kind == Seq || n.Kind == Map) {
		e.shared(n, depth)
		return
	}
	e.value(n, depth)
}

// value writes n, at depth.
func (e *encoder) value(n *Node, depth int) {
	var end byte
	switch {
	case n == nil:
		e.buf = append(e.buf, "null"...)
		return
	case n.Kind == String: // the most common value: spare appendJSON's switch
		e.buf = appendJSONString(e.buf, n.Str, e.strict)
		return
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
		e.buf = n.appendJSON(e.buf, e.strict)
		return
	}
	e.buf = append(e.buf, end-2) // '[' and '{' are two before their ends
	if e.children(n, depth+1) {
		e.buf = appendBreak(e.buf, false, depth)
	}
	e.buf = append(e.buf, end)
}

// children encodes the children of container n, each on its own line,
// and reports whether it wrote any: a map's undefined (nil) values are
// left out.
//
// Encoding them in chunks on both processors of a 2-core machine and
// joining the chunks in order was tried: it took 28% more processor time
// and was slower on the shared machine measured (issue 13).
func (e *encoder) children(n *Node, depth int) bool {
	wrote := false
	if n.Kind == Seq {
		for _, v := range n.Items {
			e.buf = appendBreak(e.buf, wrote, depth)
			wrote = true
			e.indent(v, depth)
		}
		return wrote
	}
	for i := range n.Pairs {
		p := &n.Pairs[i]
		if p.Value == nil {
			continue
		}
		e.buf = appendBreak(e.buf, wrote, depth)
		wrote = true
		e.buf = appendJSONString(e.buf, p.Key.Str, e.strict)
		e.buf = append(e.buf, ": "...)
		e.indent(p.Value, depth)
	}
	return wrote
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
