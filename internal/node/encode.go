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
	var count int
	switch {
	case n.IsSeq():
		count = len(n.Items)
	case n.IsMap():
		count = len(n.Pairs)
		if hasIndexKey(n.Pairs) {
			m := *n
			m.Pairs = JSOrder(n.Pairs)
			n = &m
		}
		for count > 0 && n.Pairs[count-1].Value == nil { // undefined: left out
			count--
		}
	default:
		e.buf = n.appendJSON(e.buf, e.strict)
		return
	}
	open, end := byte('{'), byte('}')
	if n.Kind == Seq {
		open, end = '[', ']'
	}
	if count == 0 {
		e.buf = append(e.buf, open, end)
		return
	}
	e.buf = append(e.buf, open, '\n')
	e.children(n, count, depth+1)
	e.buf = appendSpaces(e.buf, depth)
	e.buf = append(e.buf, end)
}

// child encodes the i-th child of container n; last leaves out the comma.
func (e *encoder) child(n *Node, i, depth int, last bool) {
	var v *Node
	if n.Kind == Seq {
		v = n.Items[i]
		e.buf = appendSpaces(e.buf, depth)
	} else {
		p := n.Pairs[i]
		if p.Value == nil {
			return
		}
		v = p.Value
		e.buf = appendSpaces(e.buf, depth)
		e.buf = appendJSONString(e.buf, p.Key.Str, e.strict)
		e.buf = append(e.buf, ": "...)
	}
	e.indent(v, depth)
	if last {
		e.buf = append(e.buf, '\n')
	} else {
		e.buf = append(e.buf, ",\n"...)
	}
}

// children encodes the first count children of container n.
//
// Encoding them in chunks on both processors of a 2-core machine and
// joining the chunks in order was tried: it took 28% more processor time
// and was slower on the shared machine measured (issue 13).
func (e *encoder) children(n *Node, count, depth int) {
	for i := range count {
		e.child(n, i, depth, i == count-1)
	}
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
