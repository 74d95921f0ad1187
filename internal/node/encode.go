package node

import (
	"io"
	"runtime"
	"sync"
)

// flushAt is how much output a streaming encoder holds before it writes.
const flushAt = 1 << 16

// Templates are large where a service is: thousands of resources in one
// map (or statements in one list). Those children are encoded in chunks on
// every processor and joined in order, so the output does not depend on the
// scheduling. chunkLen children make a chunk (about 64 KiB of a template's
// resources), and a container is split from parallelLen children on.
const (
	chunkLen    = 64
	parallelLen = 2 * chunkLen
)

// encoder appends JSON.stringify(n, null, 2) to buf and, when w is set,
// writes it out every flushAt bytes.
type encoder struct {
	w       io.Writer // nil: buf receives the whole output
	buf     []byte
	err     error
	strict  bool // WriteIndentCFN's escapes
	serial  bool // inside a chunk: no further splitting
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

// emit adds a finished chunk: written as it is when streaming, else
// appended.
func (e *encoder) emit(chunk []byte) {
	if e.w == nil {
		e.buf = append(e.buf, chunk...)
		return
	}
	e.flush()
	if e.err == nil {
		_, e.err = e.w.Write(chunk)
	}
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

// children encodes the first count children of container n, in chunks on
// every processor when there are many.
func (e *encoder) children(n *Node, count, depth int) {
	workers := runtime.GOMAXPROCS(0)
	if e.serial || count < parallelLen || workers < 2 {
		for i := range count {
			e.child(n, i, depth, i == count-1)
		}
		return
	}
	chunks := (count + chunkLen - 1) / chunkLen
	// One encoder per other goroutine of a round, kept from round to
	// round with its buffer and the text of shared nodes.
	ws := make([]encoder, workers)
	for j := range ws {
		ws[j] = encoder{strict: e.strict, serial: true}
	}
	span := func(c int) (int, int) { return c * chunkLen, min((c+1)*chunkLen, count) }
	e.serial = true
	for first := 0; first < chunks; first += workers {
		round := min(workers, chunks-first)
		var wg sync.WaitGroup
		for j := 1; j < round; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := &ws[j]
				w.buf = w.buf[:0]
				from, to := span(first + j)
				for i := from; i < to; i++ {
					w.child(n, i, depth, i == count-1)
				}
			}()
		}
		// This goroutine takes the round's first chunk, straight into
		// the output.
		from, to := span(first)
		for i := from; i < to; i++ {
			e.child(n, i, depth, i == count-1)
		}
		wg.Wait()
		for j := 1; j < round; j++ {
			e.emit(ws[j].buf)
		}
	}
	e.serial = false
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
