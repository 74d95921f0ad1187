package vars

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// parseJSON reads a .json or .tfstate file as JavaScript's JSON.parse does,
// which is how Serverless's file source reads them: strict JSON (a byte
// order mark, a trailing comma, a comment or a single quote is an error),
// and a duplicated key keeps its first place and its last value. Values
// keep their positions for findings.
func parseJSON(name string, data []byte) (*node.Node, error) {
	p := &jsonParser{name: name, data: data, line: 1, col: 1}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.data) {
		return nil, p.errorf("unexpected non-whitespace character after JSON")
	}
	return v, nil
}

// maxJSONDepth bounds nesting, so a hostile file cannot exhaust the stack.
const maxJSONDepth = 1000

type jsonParser struct {
	name      string
	data      []byte
	i         int
	line, col int // of data[i], 1-based, col in code points
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s at line %d column %d", fmt.Sprintf(format, args...), p.line, p.col)
}

func (p *jsonParser) pos() diag.Range {
	return diag.Range{File: p.name, Start: diag.Pos{Line: p.line, Col: p.col}}
}

// advance moves past n bytes that hold no newline.
func (p *jsonParser) advance(n int) {
	p.col += utf8.RuneCount(p.data[p.i : p.i+n])
	p.i += n
}

// space skips JSON's four whitespace characters, and only them.
func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r':
			p.advance(1)
		case '\n':
			p.i++
			p.line, p.col = p.line+1, 1
		default:
			return
		}
	}
}

func (p *jsonParser) unexpected() error {
	if p.i >= len(p.data) {
		return p.errorf("unexpected end of JSON input")
	}
	r, _ := utf8.DecodeRune(p.data[p.i:])
	return p.errorf("unexpected token %q", r)
}

func (p *jsonParser) value(depth int) (*node.Node, error) {
	if depth > maxJSONDepth {
		return nil, p.errorf("nested too deeply")
	}
	if p.i >= len(p.data) {
		return nil, p.unexpected()
	}
	r := p.pos()
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return node.NewString(s, r), nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, lit := range []struct {
		text string
		n    func() *node.Node
	}{
		{"true", func() *node.Node { return node.NewBool(true, r) }},
		{"false", func() *node.Node { return node.NewBool(false, r) }},
		{"null", func() *node.Node { return node.NewNull(r) }},
	} {
		if len(p.data)-p.i >= len(lit.text) && string(p.data[p.i:p.i+len(lit.text)]) == lit.text {
			p.advance(len(lit.text))
			return lit.n(), nil
		}
	}
	return nil, p.unexpected()
}

func (p *jsonParser) object(depth int) (*node.Node, error) {
	m := node.NewMap(p.pos())
	p.advance(1)
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.advance(1)
		return m, nil
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			if p.i < len(p.data) {
				return nil, p.errorf("expected double-quoted property name")
			}
			return nil, p.unexpected()
		}
		kr := p.pos()
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, p.errorf("expected ':' after property name")
		}
		p.advance(1)
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if existing := m.GetPair(k); existing != nil {
			existing.Value = v // JSON.parse: the last value, in the first key's place
		} else {
			m.Pairs = append(m.Pairs, node.Pair{Key: node.NewString(k, kr), Value: v})
		}
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.advance(1)
			p.space()
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.advance(1)
			return m, nil
		}
		return nil, p.unexpected()
	}
}

func (p *jsonParser) array(depth int) (*node.Node, error) {
	s := node.NewSeq(p.pos())
	p.advance(1)
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.advance(1)
		return s, nil
	}
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		s.Items = append(s.Items, v)
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.advance(1)
			p.space()
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.advance(1)
			return s, nil
		}
		return nil, p.unexpected()
	}
}

// number reads JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() (*node.Node, error) {
	r := p.pos()
	j := p.i
	digits := func() int {
		k := j
		for j < len(p.data) && p.data[j] >= '0' && p.data[j] <= '9' {
			j++
		}
		return j - k
	}
	if p.data[j] == '-' {
		j++
	}
	switch {
	case j < len(p.data) && p.data[j] == '0':
		j++
	case digits() == 0:
		p.advance(j - p.i)
		return nil, p.errorf("no number after minus sign")
	}
	if j < len(p.data) && p.data[j] == '.' {
		j++
		if digits() == 0 {
			p.advance(j - p.i)
			return nil, p.errorf("unterminated fractional number")
		}
	}
	if j < len(p.data) && (p.data[j] == 'e' || p.data[j] == 'E') {
		j++
		if j < len(p.data) && (p.data[j] == '+' || p.data[j] == '-') {
			j++
		}
		if digits() == 0 {
			p.advance(j - p.i)
			return nil, p.errorf("exponent part is missing a number")
		}
	}
	f, _ := strconv.ParseFloat(string(p.data[p.i:j]), 64) // out of range: ±Inf or 0, as JavaScript
	p.advance(j - p.i)
	return node.NewNumber(f, r), nil
}

// str reads a string at p.i (on its opening quote).
func (p *jsonParser) str() (string, error) {
	p.advance(1)
	var b []byte
	for {
		if p.i >= len(p.data) {
			return "", p.errorf("unterminated string in JSON")
		}
		c := p.data[p.i]
		switch {
		case c == '"':
			p.advance(1)
			return string(b), nil
		case c < 0x20:
			return "", p.errorf("bad control character in string literal")
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			b = utf8.AppendRune(b, r)
		default:
			_, n := utf8.DecodeRune(p.data[p.i:])
			b = append(b, p.data[p.i:p.i+n]...)
			p.advance(n)
		}
	}
}

// escape reads one escape sequence; a surrogate pair is one rune.
func (p *jsonParser) escape() (rune, error) {
	if p.i+1 >= len(p.data) {
		return 0, p.errorf("unterminated string in JSON")
	}
	simple := map[byte]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}
	if r, ok := simple[p.data[p.i+1]]; ok {
		p.advance(2)
		return r, nil
	}
	if p.data[p.i+1] != 'u' {
		p.advance(1)
		return 0, p.errorf("bad escaped character")
	}
	r1, ok := p.hex4()
	if !ok {
		return 0, p.errorf("bad Unicode escape")
	}
	if utf16.IsSurrogate(r1) && p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
		save, col := p.i, p.col
		if r2, ok := p.hex4(); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, nil
			}
		}
		p.i, p.col = save, col
	}
	return r1, nil
}

// hex4 reads \uXXXX at p.i.
func (p *jsonParser) hex4() (rune, bool) {
	if p.i+6 > len(p.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.i+2:p.i+6]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.advance(6)
	return rune(v), true
}
