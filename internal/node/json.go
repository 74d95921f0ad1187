package node

import (
	"encoding/binary"
	"io"
	"math"
	"strconv"
	"strings"
)

// FormatNumber formats f as JavaScript's Number.prototype.toString does
// (1e21 and above, and below 1e-6, in exponent form; -0 as "0"). This is
// also what JSON.stringify writes.
func FormatNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	abs := math.Abs(f)
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Go writes e+21 / e-07; JavaScript writes e+21 / e-7.
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		return mant + "e" + string(sign) + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// MarshalJSON encodes n as JavaScript's JSON.stringify would encode the
// equivalent object: keys in insertion order except that integer-like keys
// ("0", "2", "10"; not "007") come first in ascending numeric order, no HTML
// escaping, no spaces.
func (n *Node) MarshalJSON() ([]byte, error) {
	return n.appendJSON(nil, false), nil
}

// Stringify returns JSON.stringify(n).
func (n *Node) Stringify() string {
	var scratch [128]byte // most stringified values are short
	return string(n.appendJSON(scratch[:0], false))
}

// appendJSON appends JSON.stringify(n) to b.
func (n *Node) appendJSON(b []byte, strict bool) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	switch n.Kind {
	case Null:
		b = append(b, "null"...)
	case Bool:
		b = strconv.AppendBool(b, n.Bool)
	case Number:
		b = appendNumber(b, n.Num)
	case String:
		b = appendJSONString(b, n.Str, strict)
	case Seq:
		b = append(b, '[')
		for i, it := range n.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.appendJSON(b, strict)
		}
		b = append(b, ']')
	case Map:
		b = append(b, '{')
		first := true
		for _, p := range JSOrder(n.Pairs) {
			if p.Value == nil {
				continue // undefined
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, p.Key.Str, strict)
			b = append(b, ':')
			b = p.Value.appendJSON(b, strict)
		}
		b = append(b, '}')
	}
	return b
}

// appendNumber appends a number as JSON.stringify writes it: NaN and
// ±Infinity are null.
func appendNumber(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return append(b, "null"...)
	case f == 0:
		return append(b, '0')
	}
	if abs := math.Abs(f); abs >= 1e21 || abs < 1e-6 {
		return append(b, FormatNumber(f)...)
	} else if abs < 1e15 && f == math.Trunc(f) { // the common case: a count
		return strconv.AppendInt(b, int64(f), 10)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// JSOrder returns pairs in the order JavaScript enumerates object keys:
// array-index keys (canonical non-negative integers below 2^32-1) first in
// ascending order, then the others in insertion order.
func JSOrder(pairs []Pair) []Pair {
	if !hasIndexKey(pairs) {
		return pairs
	}
	var idx, rest []Pair
	for _, p := range pairs {
		if _, ok := arrayIndex(p.Key.Str); ok {
			idx = append(idx, p)
		} else {
			rest = append(rest, p)
		}
	}
	if len(idx) == 0 {
		return pairs
	}
	// Insertion sort: index keys are few.
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0; j-- {
			a, _ := arrayIndex(idx[j-1].Key.Str)
			c, _ := arrayIndex(idx[j].Key.Str)
			if a <= c {
				break
			}
			idx[j-1], idx[j] = idx[j], idx[j-1]
		}
	}
	return append(idx, rest...)
}

func hasIndexKey(pairs []Pair) bool {
	for _, p := range pairs {
		// Only a key that starts with a digit may be an index: a test
		// here, inlined, spares the other keys a call.
		if k := p.Key.Str; k != "" && k[0]-'0' <= 9 {
			if _, ok := arrayIndex(k); ok {
				return true
			}
		}
	}
	return false
}

func arrayIndex(s string) (uint64, bool) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v >= math.MaxUint32 {
		return 0, false
	}
	return v, true
}

// appendJSONString appends s as JSON.stringify writes it: '"', '\\' and
// control characters are escaped, nothing else (no HTML escaping, U+2028
// kept). strict also escapes DEL and the C1 controls (U+0080-U+009F): the
// same JSON value, which YAML-based readers of templates (cfn-lint) also
// accept.
func appendJSONString(b []byte, s string, strict bool) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	if !mayNeedEscape(s, strict) { // nearly every string of a template
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && !(strict && (c == 0x7f || c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f)) {
			continue
		}
		b = append(b, s[start:i]...)
		start = i + 1
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case 0xc2: // strict: a C1 control, two bytes in UTF-8
			b = append(b, `\u00`...)
			b = append(b, hex[s[i+1]>>4], hex[s[i+1]&0xf])
			i++
			start = i + 1
		default:
			b = append(b, `\u00`...)
			b = append(b, hex[c>>4], hex[c&0xf])
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// mayNeedEscape reports whether s may hold a byte appendJSONString
// escapes: false is certain, true sends s to the byte-by-byte rule. It
// reads sixteen bytes at a time, then eight, the last eight overlapping
// the ones before; a string of four to seven bytes is read as one word of
// two overlapping halves.
func mayNeedEscape(s string, strict bool) bool {
	const highs = 0x8080808080808080
	switch {
	case len(s) >= 8:
		i := 0
		for ; i+16 <= len(s); i += 16 {
			if (escapeBits(load64(s, i), strict)|escapeBits(load64(s, i+8), strict))&highs != 0 {
				return true
			}
		}
		if i+8 < len(s) && escapeBits(load64(s, i), strict)&highs != 0 {
			return true
		}
		return i < len(s) && escapeBits(load64(s, len(s)-8), strict)&highs != 0
	case len(s) >= 4:
		lo, hi := binary.LittleEndian.Uint32([]byte(s[:4])), binary.LittleEndian.Uint32([]byte(s[len(s)-4:]))
		return escapeBits(uint64(lo)|uint64(hi)<<32, strict)&highs != 0
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || strict && (c == 0x7f || c == 0xc2) {
			return true
		}
	}
	return false
}

// load64 reads the eight bytes of s at i, little-endian, in one load (the
// conversion does not copy: the bytes are only read).
func load64(s string, i int) uint64 {
	return binary.LittleEndian.Uint64([]byte(s[i : i+8]))
}

// escapeBits sets the high bit of some byte of x when one of its eight
// bytes is a control character, '"' or '\\', or in strict mode DEL or
// 0xc2, with the usual bit tricks: a byte below n leaves its high bit set
// in x - n*ones where it was clear in x, and a zero byte (x^c*ones, where x
// has c) is below 1. Which byte's bit is set is not exact; whether one is,
// is. x^c*ones has x's high bits for c below 0x80, so one &^x serves the
// three tests of the common case.
func escapeBits(x uint64, strict bool) uint64 {
	const ones = 0x0101010101010101
	// A zero byte where x has '"' or '\\', minus one.
	q, bs := (x^'"'*ones)-ones, (x^'\\'*ones)-ones
	m := (x - 0x20*ones) | q | bs
	if strict {
		d, c := (x^0x7f*ones)-ones, x^0xc2*ones
		return (m|d)&^x | (c-ones)&^c
	}
	return m &^ x
}

// Indent returns JSON.stringify(n, null, 2): the layout Serverless writes its
// templates in. Pairs whose Value is nil are JavaScript's undefined and are
// left out, as JSON.stringify leaves them out.
func (n *Node) Indent() []byte {
	return n.indentBytes(false)
}

// WriteIndent streams Indent's output to w in chunks of about 64 KiB, so a
// large template is never held whole in memory.
func (n *Node) WriteIndent(w io.Writer) error {
	e := &encoder{w: w}
	return e.write(n)
}

// WriteIndentCFN is WriteIndent for templates CloudFormation tools read
// as YAML: DEL and C1 control characters are written as \u escapes (the
// same JSON value). Serverless-mode output keeps WriteIndent, byte for byte
// what Serverless writes.
func (n *Node) WriteIndentCFN(w io.Writer) error {
	e := &encoder{w: w, strict: true}
	return e.write(n)
}

// IndentCFN is Indent with WriteIndentCFN's escaping.
func (n *Node) IndentCFN() []byte {
	return n.indentBytes(true)
}

// indentBytes collects the streamed output and joins it once: appending
// a large template to one growing slice would copy it several times.
func (n *Node) indentBytes(strict bool) []byte {
	var c collector
	e := &encoder{w: &c, strict: strict}
	_ = e.write(n) // a collector never fails
	out := make([]byte, 0, c.len)
	for _, b := range c.parts {
		out = append(out, b...)
	}
	return out
}

// collector keeps what an encoder writes; the encoder reuses its buffer,
// so each write is copied.
type collector struct {
	parts [][]byte
	len   int
}

func (c *collector) Write(b []byte) (int, error) {
	c.parts = append(c.parts, append([]byte(nil), b...))
	c.len += len(b)
	return len(b), nil
}
