package node

import (
	"bytes"
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
	var b bytes.Buffer
	n.writeJSON(&b, false)
	return b.Bytes(), nil
}

// Stringify returns JSON.stringify(n).
func (n *Node) Stringify() string {
	var b bytes.Buffer
	n.writeJSON(&b, false)
	return b.String()
}

func (n *Node) writeJSON(b *bytes.Buffer, strict bool) {
	if n == nil {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case Null:
		b.WriteString("null")
	case Bool:
		b.WriteString(strconv.FormatBool(n.Bool))
	case Number:
		if math.IsNaN(n.Num) || math.IsInf(n.Num, 0) {
			b.WriteString("null")
			return
		}
		b.WriteString(FormatNumber(n.Num))
	case String:
		writeJSONString(b, n.Str, strict)
	case Seq:
		b.WriteByte('[')
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			it.writeJSON(b, strict)
		}
		b.WriteByte(']')
	case Map:
		b.WriteByte('{')
		for i, p := range definedPairs(JSOrder(n.Pairs)) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, p.Key.Str, strict)
			b.WriteByte(':')
			p.Value.writeJSON(b, strict)
		}
		b.WriteByte('}')
	}
}

// JSOrder returns pairs in the order JavaScript enumerates object keys:
// array-index keys (canonical non-negative integers below 2^32-1) first in
// ascending order, then the others in insertion order.
func JSOrder(pairs []Pair) []Pair {
	hasIndex := false
	for _, p := range pairs {
		if _, ok := arrayIndex(p.Key.Str); ok {
			hasIndex = true
			break
		}
	}
	if !hasIndex {
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

// writeJSONString writes s as JSON.stringify does: '"', '\\' and control
// characters are escaped, nothing else (no HTML escaping, U+2028 kept).
// strict also escapes DEL and the C1 controls (U+0080-U+009F): the same JSON
// value, which YAML-based readers of templates (cfn-lint) also accept.
func writeJSONString(b *bytes.Buffer, s string, strict bool) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && !(strict && (c == 0x7f || c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f)) {
			continue
		}
		b.WriteString(s[start:i])
		start = i + 1
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case 0xc2: // strict: a C1 control, two bytes in UTF-8
			b.WriteString(`\u00`)
			b.WriteByte(hex[s[i+1]>>4])
			b.WriteByte(hex[s[i+1]&0xf])
			i++
			start = i + 1
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// Indent returns JSON.stringify(n, null, 2): the layout Serverless writes its
// templates in. Pairs whose Value is nil are JavaScript's undefined and are
// left out, as JSON.stringify leaves them out.
func (n *Node) Indent() []byte {
	var b bytes.Buffer
	_ = n.WriteIndent(&b) // a bytes.Buffer never fails
	return b.Bytes()
}

// WriteIndent streams Indent's output to w in 64 KiB chunks, so a large
// template is never held twice in memory.
func (n *Node) WriteIndent(w io.Writer) error {
	return n.writeIndentTo(&streamWriter{w: w})
}

// WriteIndentCFN is WriteIndent for templates CloudFormation tools read
// as YAML: DEL and C1 control characters are written as \u escapes (the
// same JSON value). Serverless-mode output keeps WriteIndent, byte for byte
// what Serverless writes.
func (n *Node) WriteIndentCFN(w io.Writer) error {
	return n.writeIndentTo(&streamWriter{w: w, strict: true})
}

// IndentCFN is Indent with WriteIndentCFN's escaping.
func (n *Node) IndentCFN() []byte {
	var b bytes.Buffer
	_ = n.WriteIndentCFN(&b) // a bytes.Buffer never fails
	return b.Bytes()
}

func (n *Node) writeIndentTo(s *streamWriter) error {
	s.buf.Grow(1 << 16)
	n.writeIndent(s, 0)
	return s.flush()
}

type streamWriter struct {
	w      io.Writer
	buf    bytes.Buffer
	err    error
	strict bool
}

func (s *streamWriter) flush() error {
	if s.err == nil && s.buf.Len() > 0 {
		_, s.err = s.w.Write(s.buf.Bytes())
	}
	s.buf.Reset()
	return s.err
}

func (n *Node) writeIndent(s *streamWriter, depth int) {
	b := &s.buf
	if b.Len() >= 1<<16 {
		s.flush()
	}
	if n == nil || (n.Kind != Seq && n.Kind != Map) {
		n.writeJSON(b, s.strict)
		return
	}
	if n.Kind == Seq {
		if len(n.Items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, it := range n.Items {
			writeSpaces(b, depth+1)
			it.writeIndent(s, depth+1)
			if i < len(n.Items)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		writeSpaces(b, depth)
		b.WriteByte(']')
		return
	}
	pairs := definedPairs(JSOrder(n.Pairs))
	if len(pairs) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{\n")
	for i, p := range pairs {
		writeSpaces(b, depth+1)
		writeJSONString(b, p.Key.Str, s.strict)
		b.WriteString(": ")
		p.Value.writeIndent(s, depth+1)
		if i < len(pairs)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	writeSpaces(b, depth)
	b.WriteByte('}')
}

func definedPairs(pairs []Pair) []Pair {
	for _, p := range pairs {
		if p.Value == nil {
			out := make([]Pair, 0, len(pairs))
			for _, q := range pairs {
				if q.Value != nil {
					out = append(out, q)
				}
			}
			return out
		}
	}
	return pairs
}

const spaces = "                                                                "

func writeSpaces(b *bytes.Buffer, depth int) {
	for n := 2 * depth; n > 0; n -= len(spaces) {
		b.WriteString(spaces[:min(n, len(spaces))])
	}
}
