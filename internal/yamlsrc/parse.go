// Package yamlsrc reads a YAML (or JSON) document into a node tree that keeps
// the range of every value, the way Serverless v3 reads serverless.yml:
// js-yaml with the CloudFormation schema, so short tags such as !GetAtt A.B
// become their long form ({"Fn::GetAtt": ["A", "B"]}), merge keys work, and
// duplicate keys are an error. It never stops at the first problem: it returns
// the best tree it could build together with every finding.
//
// Two readers do this. The slow path, yaml.v3 and a conversion of its
// yaml.Node tree (parse.go), is the reference: it reads any YAML and makes
// every finding. The fast path (fast.go) is hand-written, because yaml.v3
// does not export its event parser (go.yaml.in/yaml/v4 keeps libyaml
// internal too) and its scanner and node tree were a third of a compile's
// time and half of its allocations, converting them another tenth. It
// reads the YAML serverless.yml files are written in straight into the
// node tree, in one pass, and gives up on anything else and on any problem;
// the slow path then reads the file, so findings and their messages never
// depend on it. Where it accepts a file, its tree is the slow path's,
// ranges and their quirks included: a differential test over the testdata,
// the corpus and generated documents, and FuzzFastPath, hold it to that.
package yamlsrc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
)

// Rule is the finding rule for documents that cannot be read as YAML.
const Rule = "yaml-syntax"

// Rules describes the rules of this package for the registry
// (internal/rules).
func Rules() []diag.Rule {
	return []diag.Rule{
		{ID: Rule, Severity: diag.Error, Fatal: true,
			Summary:     "not YAML as Serverless reads it (syntax, duplicate key, unknown tag, alias bomb)",
			Description: "The file is not valid YAML as Serverless reads it (js-yaml with the CloudFormation schema): a syntax error, a duplicate key, an unknown tag, more than one document, or runaway alias expansion.",
			Help:        "Fix the file at the position given; nothing else is checked until it parses. Tags other than the CloudFormation ones (`!Ref`, `!GetAtt`, `!Sub`...) are unknown to Serverless too, and a key must appear once per mapping."},
	}
}

// MaxNodes bounds the nodes that alias expansion may create, so a "billion
// laughs" document fails fast instead of exhausting memory.
const MaxNodes = 1_000_000

// MaxScalarBytes bounds the text of all the values of a document, aliases
// expanded: a long value behind an anchor used by thousands of aliases is
// little YAML but a huge configuration (a 310 kB file of 10,000 aliases to a
// 100 kB ARN took 35 s and 2.4 GB to lint, in its messages and template).
// A document without aliases is far below it (configs are read up to
// 10 MiB).
const MaxScalarBytes = 64 << 20

// cfnTags maps the CloudFormation short tags to their long-form key, as
// @serverless/utils/cloudformation-schema does.
var cfnTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!And": "Fn::And", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!Equals": "Fn::Equals", "!FindInMap": "Fn::FindInMap", "!GetAtt": "Fn::GetAtt",
	"!GetAZs": "Fn::GetAZs", "!If": "Fn::If", "!ImportValue": "Fn::ImportValue",
	"!Join": "Fn::Join", "!Not": "Fn::Not", "!Or": "Fn::Or", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!Sub": "Fn::Sub",
}

// Parse reads one YAML document. file names the document in ranges.
func Parse(file string, data []byte) (*node.Node, diag.Findings) {
	p := &parser{file: file}
	if !p.checkEncoding(data) {
		return nil, p.findings
	}
	if n, ok := p.parseFast(data); ok {
		return n, nil
	}
	return parseSlow(file, data)
}

// parseSlow reads a document with yaml.v3, the reference for the fast
// path; data has passed checkEncoding.
func parseSlow(file string, data []byte) (*node.Node, diag.Findings) {
	p := &parser{file: file, src: newSource(data)}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	// Two escapes js-yaml decodes make yaml.v3 refuse the file; it names
	// the first it meets, so each retry is tried in whichever order the
	// errors come, at most once each.
	var m mending
	joined := false
	for err != nil {
		var fixed []byte
		ok := false
		switch msg := err.Error(); {
		case m.slash.escape == 0 && strings.Contains(msg, "found unknown escape character"):
			// "\/", which js-yaml decodes as "/": retry with a stand-in
			// of the same length, mended after decoding.
			fixed, m.slash, ok = hideSlashEscapes(data)
		case !joined && strings.Contains(msg, "invalid Unicode character escape code"):
			// JSON-style surrogate pairs ("\ud83d\ude00"): retry with
			// each pair as one \U escape.
			fixed, m.joins, ok = joinSurrogatePairs(data)
			joined = true
		}
		if !ok {
			break
		}
		data = fixed
		doc = yaml.Node{}
		dec = yaml.NewDecoder(bytes.NewReader(data))
		err = dec.Decode(&doc)
	}
	if err == nil && (m.slash.escape != 0 || m.joins != nil) {
		m.mend(&doc)
	}
	if err != nil {
		if err.Error() == "EOF" {
			return node.NewNull(p.point(1, 1)), nil
		}
		p.yamlError(err)
		return nil, p.findings
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.errorf(p.point(extra.Line, extra.Column), "the file holds more than one YAML document; Serverless reads exactly one")
	}
	if len(doc.Content) == 0 {
		return node.NewNull(p.point(1, 1)), p.findings
	}
	n := p.convert(doc.Content[0])
	return n, p.findings
}

type parser struct {
	arena  []node.Node // nodes are carved from chunks: fewer allocations, and a tree laid out in order
	slices node.Arena  // the same for the pairs of mappings and the items of sequences
	// expanding holds the anchored nodes being converted, to stop an
	// alias that refers to its own ancestor.
	expanding map[*yaml.Node]bool
	file      string
	ascii     bool // set by checkEncoding: the file is ASCII
	src       *source
	findings  diag.Findings
	nodes     int
	overflow  bool
	// bytes counts the scalar text converted, aliases expanded; past
	// MaxScalarBytes values become null after one finding.
	bytes        int
	bytesOverrun bool
	alias        *yaml.Node // the outermost alias being expanded, where findings about expansion point
	// scalars are the anchored scalars converted so far: each alias to
	// one would find its end in the source again, and a long value used
	// by thousands of aliases would be scanned thousands of times.
	scalars map[*yaml.Node]node.Node
}

// alloc places v in the arena and returns its address.
func (p *parser) alloc(v node.Node) *node.Node {
	if len(p.arena) == 0 {
		p.arena = make([]node.Node, 512)
	}
	n := &p.arena[0]
	*n = v
	p.arena = p.arena[1:]
	return n
}

// pairSlice returns an empty slice with room for n pairs, carved from the
// parser's arena (node.Arena.Pairs). Its capacity is exactly n, so an append
// past it (a merge key, a later stage setting a key) moves to an array of
// its own and never writes over the next mapping's pairs.
func (p *parser) pairSlice(n int) []node.Pair { return p.slices.Pairs(n) }

// itemSlice is pairSlice for the items of a sequence.
func (p *parser) itemSlice(n int) []*node.Node { return p.slices.Items(n) }

func (p *parser) point(line, col int) diag.Range {
	return diag.Range{File: p.file, Start: diag.Pos{Line: line, Col: col}}
}

func (p *parser) errorf(r diag.Range, format string, args ...any) {
	p.findings = append(p.findings, diag.Finding{Rule: Rule, Severity: diag.Error, Message: fmt.Sprintf(format, args...), Range: r})
}

var yamlErrLine = lazyre.New(`^yaml: line (\d+): (.*)$`)

// parserProblems are the problems yaml.v3's parser (not its scanner)
// reports. yaml.v3 writes the 0-based line of their mark, where it adds one
// for the scanner's (decode.go, parser.fail): an unclosed [ on line 7 came
// out as line 6. The mark is the start of the collection being parsed (the
// [ of an unclosed flow sequence, the first key of a block mapping), or the
// unexpected token when that collection starts on line 1.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlError turns yaml.v3's errors, which carry a line only inside their
// text, into positioned findings.
func (p *parser) yamlError(err error) {
	for _, msg := range strings.Split(err.Error(), "\n") {
		msg = strings.TrimSpace(msg)
		line := 1
		if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
			if parserProblems[msg] {
				line++
			}
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		if msg == "" || msg == "unmarshal errors:" {
			continue
		}
		p.errorf(p.point(line, 1), "cannot parse YAML: %s", msg)
	}
}

func (p *parser) rangeOf(y *yaml.Node) diag.Range {
	r := p.point(y.Line, y.Column)
	r.End = p.src.scalarEnd(y)
	return r
}

func (p *parser) convert(y *yaml.Node) *node.Node {
	p.nodes++
	if p.nodes > MaxNodes {
		if !p.overflow {
			p.overflow = true
			p.errorf(p.point(y.Line, y.Column), "alias expansion creates more than %d values; refusing to expand further", MaxNodes)
		}
		return node.NewNull(p.point(y.Line, y.Column))
	}
	if y.Anchor != "" {
		if p.expanding == nil {
			p.expanding = map[*yaml.Node]bool{}
		}
		p.expanding[y] = true
		defer delete(p.expanding, y)
	}
	if short, ok := cfnTags[y.Tag]; ok {
		return p.intrinsic(y, short)
	}
	switch y.Kind {
	case yaml.AliasNode:
		if p.expanding[y.Alias] {
			// An alias inside its own anchor: a circular value, which
			// JSON (and so Serverless's template) cannot hold.
			p.errorf(p.point(y.Line, y.Column), "alias *%s is used inside its own anchor, which makes a circular value", y.Value)
			return node.NewNull(p.point(y.Line, y.Column))
		}
		// The value is the anchor's, but it is used here: findings about it
		// point at the alias ("*name"); the values inside keep their own.
		if p.alias == nil {
			p.alias = y
			defer func() { p.alias = nil }()
		}
		n := p.convert(y.Alias)
		n.Range = diag.Range{File: p.file, Start: diag.Pos{Line: y.Line, Col: y.Column},
			End: diag.Pos{Line: y.Line, Col: y.Column + 1 + utf8.RuneCountInString(y.Value)}}
		return n
	case yaml.DocumentNode:
		if len(y.Content) > 0 {
			return p.convert(y.Content[0])
		}
		return node.NewNull(p.point(y.Line, y.Column))
	case yaml.SequenceNode:
		return p.seq(y)
	case yaml.MappingNode:
		return p.mapping(y)
	}
	return p.scalar(y)
}

// intrinsic builds {"Fn::X": value} for a short tag. The GetAtt string form
// splits at the first dot, as the CloudFormation schema does.
func (p *parser) intrinsic(y *yaml.Node, key string) *node.Node {
	inner := *y
	inner.Tag = ""
	if y.Kind == yaml.ScalarNode {
		inner.Tag = "!!str"
	}
	r := p.rangeOf(y)
	if y.Kind != yaml.ScalarNode {
		r.End = p.src.containerEnd(y)
	}
	var v *node.Node
	if key == "Fn::GetAtt" && y.Kind == yaml.ScalarNode {
		first, rest, _ := strings.Cut(y.Value, ".")
		v = node.NewSeq(r, node.NewString(first, r), node.NewString(rest, r))
	} else {
		v = p.convert(&inner)
	}
	m := node.NewMap(r)
	m.Tag = y.Tag
	m.Pairs = []node.Pair{{Key: node.NewString(key, r), Value: v}}
	return m
}

func (p *parser) seq(y *yaml.Node) *node.Node {
	n := p.alloc(node.Node{Kind: node.Seq, Range: p.point(y.Line, y.Column)})
	n.Items = p.itemSlice(len(y.Content))
	for _, c := range y.Content {
		n.Items = append(n.Items, p.convert(c))
	}
	n.Range.End = p.src.containerEnd(y)
	return p.collectionTag(y, n)
}

func (p *parser) mapping(y *yaml.Node) *node.Node {
	n := p.alloc(node.Node{Kind: node.Map, Range: p.point(y.Line, y.Column)})
	n.Pairs = p.pairSlice(len(y.Content) / 2)
	seen := map[string]diag.Pos{}
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		// An explicit "!!merge <<" key is the key "<<" to js-yaml 4.3.
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && explicitTag(k) == "" {
			p.merge(n, v, seen)
			continue
		}
		key := p.key(k)
		if prev, dup := seen[key.Str]; dup && prev.Line != 0 {
			p.errorf(key.Range, "key %q is duplicated; previously defined at line %d, column %d", key.Str, prev.Line, prev.Col)
		}
		_, present := seen[key.Str]
		seen[key.Str] = key.Range.Start
		val := p.convert(v)
		if present { // a duplicate (reported) or a merged key: the last one wins in place
			pair := n.GetPair(key.Str)
			pair.Key, pair.Value = key, val
			continue
		}
		n.Pairs = append(n.Pairs, node.Pair{Key: key, Value: val})
	}
	n.Range.End = p.src.containerEnd(y)
	return p.collectionTag(y, n)
}

// merge applies a "<<" merge key: keys already present win, the merged ones
// are appended in their order, as js-yaml does.
func (p *parser) merge(n *node.Node, v *yaml.Node, seen map[string]diag.Pos) {
	sources := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		sources = v.Content
	}
	for _, s := range sources {
		m := p.convert(s)
		if !m.IsMap() {
			p.errorf(p.point(s.Line, s.Column), "a merge key (<<) needs a mapping or a list of mappings, not %s", m.Kind)
			continue
		}
		for _, pair := range m.Pairs {
			if _, present := seen[pair.Key.Str]; !present {
				n.Pairs = append(n.Pairs, pair)
				seen[pair.Key.Str] = diag.Pos{} // merged keys may be overridden silently
			}
		}
	}
}

func (p *parser) key(k *yaml.Node) *node.Node {
	r := p.rangeOf(k)
	if k.Kind != yaml.ScalarNode {
		c := p.convert(k)
		p.errorf(r, "a mapping key must be a scalar, not %s", c.Kind)
		return node.NewString(c.Stringify(), r)
	}
	if explicitTag(k) == "" && k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return p.alloc(node.Node{Kind: node.String, Str: k.Value, Range: r})
	}
	// JavaScript object keys are strings: `1: x` is the key "1".
	v := p.scalar(k)
	if v.Kind == node.String {
		v.Range = r
		return v
	}
	return node.NewString(v.JSString(), r)
}

func (p *parser) scalar(y *yaml.Node) *node.Node {
	p.bytes += len(y.Value)
	if p.bytes > MaxScalarBytes {
		if !p.bytesOverrun {
			p.bytesOverrun = true
			at := y
			if p.alias != nil {
				at = p.alias
			}
			p.errorf(p.point(at.Line, at.Column), "alias expansion makes the values more than %d MiB of text; refusing to expand further", MaxScalarBytes>>20)
		}
		return node.NewNull(p.point(y.Line, y.Column))
	}
	if v, ok := p.scalars[y]; ok {
		return p.alloc(v)
	}
	found := len(p.findings)
	n := p.convertScalar(y)
	if y.Anchor != "" && len(p.findings) == found && n.Kind != node.Map && n.Kind != node.Seq {
		if p.scalars == nil {
			p.scalars = map[*yaml.Node]node.Node{}
		}
		p.scalars[y] = *n
	}
	return n
}

func (p *parser) convertScalar(y *yaml.Node) *node.Node {
	r := p.rangeOf(y)
	if tag := explicitTag(y); tag != "" {
		return p.taggedScalar(y, tag, r)
	}
	if y.Style == 0 && y.Tag != "!!merge" && !p.src.nonSpecific(y) { // plain, untagged: js-yaml's resolution
		return p.alloc(resolvePlain(y.Value, r))
	}
	return p.alloc(node.Node{Kind: node.String, Str: y.Value, Range: r})
}

var surrogatePair = lazyre.New(`\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})`)

// joinSurrogatePairs rewrites "\uD83D\uDE00" escapes as "\U0001F600",
// and returns what each rewrite stands for, so that mending can put the
// text back where a backslash is not an escape (plain, single-quoted and
// block scalars, which js-yaml keeps as written). It refuses a file that
// already holds one of the rewrites' texts. Columns after such a pair on
// its line move two to the left, which only matters in a file that
// yaml.v3 could not read otherwise.
func joinSurrogatePairs(data []byte) ([]byte, map[string]string, bool) {
	if !surrogatePair.Match(data) {
		return nil, nil, false
	}
	joins := map[string]string{}
	fixed := surrogatePair.ReplaceAllFunc(data, func(m []byte) []byte {
		hi, _ := strconv.ParseUint(string(m[2:6]), 16, 16)
		lo, _ := strconv.ParseUint(string(m[8:12]), 16, 16)
		r := utf16.DecodeRune(rune(hi), rune(lo))
		joined := fmt.Sprintf(`\U%08X`, r)
		joins[joined] = string(m)
		return []byte(joined)
	})
	for joined := range joins {
		if bytes.Contains(data, []byte(joined)) {
			return nil, nil, false
		}
	}
	return fixed, joins, true
}

// source answers end positions, which yaml.v3 does not record. Columns are
// code points; each position is found from the line's rune index, built
// once per line that is not ASCII, so a long line with many values (a
// minified JSON config) costs linear time and memory, not a scan or a
// []rune copy of the line per value.
type source struct {
	lines []string
	runes map[int][]int           // line -> byte offset of each code point, for non-ASCII lines
	ascii []uint8                 // line-1 -> 0 not yet known, isASCII or notASCII
	ends  map[*yaml.Node]diag.Pos // containerEnd's results
}

func newSource(data []byte) *source {
	lines := strings.Split(string(data), "\n")
	// A block-style config has about one container per line: the map of
	// their ends is sized once rather than grown.
	return &source{lines: lines, runes: map[int][]int{}, ascii: make([]uint8, len(lines)), ends: make(map[*yaml.Node]diag.Pos, len(lines))}
}

const (
	lineASCII uint8 = 1 + iota
	lineNotASCII
)

// offset converts a 1-based code-point column of line n to a byte offset
// in s.line(n), len(line) when past its end.
func (s *source) offset(n, col int) int {
	text := s.line(n)
	var class uint8
	if n >= 1 && n <= len(s.ascii) {
		class = s.ascii[n-1]
		if class == 0 {
			class = lineNotASCII
			if isASCII(text) {
				class = lineASCII
			}
			s.ascii[n-1] = class
		}
	} else if isASCII(text) {
		class = lineASCII
	}
	if class == lineASCII {
		return min(max(col-1, 0), len(text))
	}
	idx, ok := s.runes[n]
	if !ok {
		idx = make([]int, 0, len(text))
		for i := range text {
			idx = append(idx, i)
		}
		s.runes[n] = idx
	}
	if col-1 < 0 {
		return 0
	}
	if col-1 >= len(idx) {
		return len(text)
	}
	return idx[col-1]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (s *source) line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	return strings.TrimSuffix(s.lines[n-1], "\r")
}

// scalarEnd finds where a scalar token ends (exclusive), in code points.
func (s *source) scalarEnd(y *yaml.Node) diag.Pos {
	if y.Kind != yaml.ScalarNode && y.Kind != yaml.AliasNode {
		return diag.Pos{}
	}
	if y.Kind == yaml.ScalarNode && y.Style == 0 && y.Anchor == "" &&
		!strings.ContainsAny(y.Value, "\n") && y.Value != "" {
		// A plain one-line scalar is written exactly as its value.
		return diag.Pos{Line: y.Line, Col: y.Column + utf8.RuneCountInString(y.Value)}
	}
	text := s.line(y.Line)
	off := s.offset(y.Line, y.Column)
	if off >= len(text) {
		return diag.Pos{Line: y.Line, Col: y.Column}
	}
	rest := text[off:]
	// Skip a tag or anchor written before the value on the same line.
	for strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "&") {
		sp := strings.IndexByte(rest, ' ')
		if sp < 0 {
			break
		}
		rest = strings.TrimLeft(rest[sp:], " ")
	}
	startCol := y.Column + utf8.RuneCountInString(text[off:len(text)-len(rest)])
	switch y.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		return s.quotedEnd(y.Line, startCol, y.Style == yaml.DoubleQuotedStyle)
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return diag.Pos{Line: y.Line, Col: y.Column + utf8.RuneCountInString(strings.TrimRight(text[off:], " "))}
	}
	if y.Kind == yaml.ScalarNode && !strings.Contains(y.Value, "\n") && strings.HasPrefix(rest, y.Value) {
		return diag.Pos{Line: y.Line, Col: startCol + utf8.RuneCountInString(y.Value)}
	}
	return diag.Pos{Line: y.Line, Col: startCol + utf8.RuneCountInString(plainToken(rest))}
}

// nonSpecific reports a plain scalar written with the non-specific tag
// "!" ("! 12"), which js-yaml reads as a string and yaml.v3 resolves as
// if untagged.
func (s *source) nonSpecific(y *yaml.Node) bool {
	text := s.line(y.Line)
	rest := text[s.offset(y.Line, y.Column):]
	for strings.HasPrefix(rest, "&") { // an anchor before the tag
		sp := strings.IndexAny(rest, " \t")
		if sp < 0 {
			return false
		}
		rest = strings.TrimLeft(rest[sp:], " \t")
	}
	return rest == "!" || strings.HasPrefix(rest, "! ") || strings.HasPrefix(rest, "!\t")
}

// plainToken returns the plain scalar at the start of rest: up to a comment,
// or a flow indicator.
func plainToken(rest string) string {
	end := len(rest)
	if i := strings.Index(rest, " #"); i >= 0 {
		end = i
	}
	for i, c := range rest[:end] {
		if c == ',' || c == ']' || c == '}' {
			end = i
			break
		}
	}
	return strings.TrimRight(rest[:end], " \t")
}

// quotedEnd scans from the opening quote at (line, col) to the closing one.
// It scans bytes: the quotes and the backslash are ASCII, and the column
// is counted only over the bytes scanned.
func (s *source) quotedEnd(line, col int, double bool) diag.Pos {
	for l := line; l <= len(s.lines); l++ {
		text := s.line(l)
		from, startCol := 0, 1
		if l == line {
			from, startCol = s.offset(line, col)+1, col+1 // just past the opening quote
		}
		for i := from; i < len(text); i++ {
			c := text[i]
			switch {
			case double && c == '\\':
				i++
			case !double && c == '\'' && i+1 < len(text) && text[i+1] == '\'':
				i++
			case (double && c == '"') || (!double && c == '\''):
				return diag.Pos{Line: l, Col: startCol + utf8.RuneCountInString(text[from:i]) + 1}
			}
		}
	}
	return diag.Pos{Line: line, Col: col}
}

// containerEnd is the end of the last value inside a mapping or sequence.
// Ends are remembered: containers are converted inside out, so each one
// finds its last child's end at once instead of walking down to the
// deepest value again, which made deep nesting quadratic in time.
func (s *source) containerEnd(y *yaml.Node) diag.Pos {
	if end, ok := s.ends[y]; ok {
		return end
	}
	end := diag.Pos{Line: y.Line, Col: y.Column}
	if len(y.Content) > 0 {
		last := y.Content[len(y.Content)-1]
		switch {
		case last.Kind == yaml.ScalarNode || last.Kind == yaml.AliasNode:
			end = s.scalarEnd(last)
		case len(last.Content) == 0:
			// An empty flow collection: "[]" or "{}".
			end = diag.Pos{Line: last.Line, Col: last.Column + 2}
		default:
			end = s.containerEnd(last)
		}
	}
	s.ends[y] = end
	return end
}
