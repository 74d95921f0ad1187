package vars

import "strings"

// Most strings of a config that hold variables hold simple ones, repeated
// with different text around them: "arn:aws:dynamodb:${aws:region}:
// ${self:custom.account}:table/Orders7/stream/...". Parsing each string in
// full allocates its variables again; segments parses each distinct simple
// variable once and shares the result between the strings that hold it.
//
// A variable is simple when nothing between its "${" and the first "}"
// after it is one of `$ " ' \`: the parser then never nests a context nor
// enters a string literal, so that "}" ends the variable, or the foreign
// text ("${AWS::Region}") that parse.js leaves alone. Parsing from a "${"
// depends only on the text from there when the parser is in its outer state
// with nothing pending, which holds at a "${" that is not preceded by "$"
// (parse.js keeps the start of a "$$" run) in a string without "\" (no
// escape in progress), once every earlier segment ended in that state too:
// parseSegment checks that it did. Anything else is parsed in full, as is a
// string with a malformed variable, whose error quotes the whole string.
// TestParseSimpleMatchesParse and FuzzParseSimple hold the two parses equal.
//
// The sources of a simple variable are shared: their metas never hold
// variables, and the Start of such a meta is not read (resolveMeta reads it
// only to position a meta's own variables).

// segment is a simple variable parsed on its own.
type segment struct {
	vars []Var // offsets relative to the segment; nil for foreign text
	ok   bool  // parsed cleanly: usable in place of a full parse
}

// simple parses strings of simple variables for one resolution.
type simple struct {
	segs  map[string]segment // by the variable's text
	block []Var              // where results are carved from, a few allocations for all
}

// parse returns the variables of s, and false when s needs a full parse.
func (sp *simple) parse(s string) ([]Var, bool) {
	if strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	// The variables are appended straight into the block; a string that
	// turns out not simple leaves what it wrote there to be overwritten.
	if len(sp.block) < 4 {
		sp.block = make([]Var, 256)
	}
	out := sp.block[:0]
	for i := 0; ; {
		j := indexVar(s[i:])
		if j < 0 {
			break
		}
		start := i + j
		if start > 0 && s[start-1] == '$' {
			return nil, false
		}
		end := strings.IndexByte(s[start+2:], '}')
		if end < 0 {
			return nil, false
		}
		end += start + 3 // past the "}"
		text := s[start:end]
		seg, seen := sp.segs[text]
		if !seen {
			// Only segments that passed this check are remembered.
			if !plainSegment(text[2:]) {
				return nil, false
			}
			seg = parseSegment(text)
			sp.segs[text] = seg
		}
		if !seg.ok {
			return nil, false
		}
		for _, v := range seg.vars {
			v.Start += start
			v.End += start
			out = append(out, v)
		}
		i = end
	}
	if len(out) == 0 {
		return nil, true
	}
	vars := out[:len(out):len(out)]
	if len(out) <= len(sp.block) && &out[0] == &sp.block[0] {
		sp.block = sp.block[len(out):]
	}
	if len(vars) == 1 && vars[0].Start == 0 && vars[0].End == len(s) {
		vars[0].Whole = true
	}
	return vars, true
}

// parseSegment parses one simple variable as parse.js would at the outer
// state, and reports whether it ended there with nothing pending.
func parseSegment(text string) segment {
	p := &parser{value: text, escapeVarStart: -1}
	for p.index = 0; p.index < len(text); p.index++ {
		if err := p.step(text[p.index]); err != nil {
			return segment{}
		}
	}
	if p.state != stOut || len(p.contexts) > 0 || p.currentSource != nil || p.sources != nil || p.escapeVarStart >= 0 {
		return segment{}
	}
	var vars []Var
	if p.variables != nil {
		vars = p.variables.items
		for i := range vars {
			vars[i].Whole = false
		}
	}
	return segment{vars: vars, ok: true}
}

// plainSegment reports whether s holds none of `$ " '`: a loop, since
// strings.ContainsAny builds its set of bytes on every call.
func plainSegment(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '$', '"', '\'':
			return false
		}
	}
	return true
}
