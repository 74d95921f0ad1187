package yamlsrc

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// The fast path (see the package comment) takes block mappings and
// sequences (compact and indentless ones too), one-line plain, quoted and
// flow values, literal and folded block scalars, comments, anchors,
// aliases, merge keys and the CloudFormation short tags. It gives up
// (ok=false) on anything else and on any problem at all: syntax errors,
// duplicate keys, other tags, multi-line plain or quoted scalars, tabs, a
// byte order mark, directives, several documents, alias expansion past a
// bound far below the slow path's. Each range is the slow path's, with its
// quirks: an empty flow collection that ends its parent ends that parent
// two columns past its start, a tagged quoted scalar ends where a plain one
// from its quote would, a block scalar ends with its header line.

// bailout is the panic value that unwinds the fast path to parseFast; it
// holds the line given up on, for tests.
type bailout struct{ line int }

// maxFastDepth bounds nesting on the fast path, well below yaml.v3's 10,000.
const maxFastDepth = 1000

type fastParser struct {
	p     *parser
	src   string
	b     []byte // src's bytes (the caller's data), read a word at a time
	i     int    // the cursor, a byte offset in src
	line  int    // the line of the cursor, 1-based
	ls    int    // the offset where that line starts
	depth int
	nodes int
	ascii bool // the file is ASCII: columns are byte offsets
	cr    bool // the file has a '\r' (CRLF line breaks)
	// colLine, colAt and col are the last column pos computed on a line
	// that is not ASCII.
	colLine, colAt, col int
	// anchors holds the anchored values read so far; nil while the
	// anchored collection is being read (an alias to it would be
	// circular).
	anchors map[string]*node.Node
	// expanded bounds the text that aliases add, as MaxScalarBytes bounds
	// the slow path's (counted generously: the fast path gives up first).
	expanded int
	mergeEnd diag.Pos // the end of the last merge value read
	carved   int      // the nodes of the arena's chunks so far
	// pairs and items are stacks of the entries of the collections being
	// read; each collection copies its own into a slice of exactly its
	// size when it ends.
	pairs []node.Pair
	items []*node.Node
}

// parseFast reads data on the fast path; ok is false when the slow path
// must read it. It never reports findings.
func (p *parser) parseFast(data []byte) (*node.Node, bool) {
	n, line := p.fastOrLine(data)
	return n, line == 0
}

// fastOrLine is parseFast that says which line it gave up on (-1 for the
// file as a whole).
func (p *parser) fastOrLine(data []byte) (n *node.Node, line int) {
	if len(data) > MaxScalarBytes || !fastBytes(data, p.ascii) {
		return nil, -1
	}
	f := &fastParser{p: p, src: string(data), b: data, line: 1, ascii: p.ascii, cr: bytes.IndexByte(data, '\r') >= 0}
	defer func() {
		if r := recover(); r != nil {
			b, is := r.(bailout)
			if !is {
				panic(r)
			}
			n, line = nil, b.line
		}
	}()
	return f.document(), 0
}

// fastBytes refuses what the fast path does not scan: tabs, a carriage
// return that does not end a line, a byte order mark and the Unicode line
// breaks (NEL, LS, PS), which YAML treats as spaces or breaks.
func fastBytes(data []byte, ascii bool) bool {
	if bytes.IndexByte(data, '\t') >= 0 {
		return false
	}
	if ascii {
		for i := 0; ; {
			j := bytes.IndexByte(data[i:], '\r')
			if j < 0 {
				return true
			}
			i += j + 1
			if i >= len(data) || data[i] != '\n' {
				return false
			}
		}
	}
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\t':
			return false
		case '\r':
			if i+1 >= len(data) || data[i+1] != '\n' {
				return false
			}
		case 0xC2:
			if i+1 < len(data) && data[i+1] == 0x85 {
				return false
			}
		case 0xE2:
			if i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9) {
				return false
			}
		case 0xEF:
			if i+2 < len(data) && data[i+1] == 0xBB && data[i+2] == 0xBF {
				return false
			}
		}
	}
	return true
}

func (f *fastParser) bail() { panic(bailout{f.line}) }

func (f *fastParser) enter() {
	f.depth++
	if f.depth > maxFastDepth {
		f.bail()
	}
}

// count counts a value, as the slow path's MaxNodes bound does (or more).
func (f *fastParser) count() {
	f.nodes++
	if f.nodes > MaxNodes {
		f.bail()
	}
}

// pos is the position of offset i on the cursor's line; columns count
// code points, as yaml.v3's do.
func (f *fastParser) pos(i int) diag.Pos {
	if f.ascii {
		return diag.Pos{Line: f.line, Col: 1 + i - f.ls}
	}
	// Count from the last position asked on this line: a long line of
	// many values costs linear time, not a count from its start for each.
	if f.colLine != f.line || i < f.colAt {
		f.colLine, f.colAt, f.col = f.line, f.ls, 1
	}
	f.col += utf8.RuneCountInString(f.src[f.colAt:i])
	f.colAt = i
	return diag.Pos{Line: f.line, Col: f.col}
}

// after is the position runes of text past p.
func (f *fastParser) after(p diag.Pos, text string) diag.Pos {
	if f.ascii || len(text) < 64 && isASCII(text) {
		return diag.Pos{Line: p.Line, Col: p.Col + len(text)}
	}
	return diag.Pos{Line: p.Line, Col: p.Col + utf8.RuneCountInString(text)}
}

// newNode returns a node of the parser's arena. It sets the fields one by
// one: copying a whole Node into the arena, as parser.alloc does, runs the
// write barrier over each of its words while the collector marks, which
// was a fifth of the fast path's time.
func (f *fastParser) newNode(k node.Kind, s string, r diag.Range) *node.Node {
	p := f.p
	if len(p.arena) == 0 {
		// The next chunk: what the nodes a byte of the text read so far
		// predict for the rest, and a few more.
		c := min(f.carved*(len(f.src)-f.i)/(f.i|1)+64, maxChunk)
		f.carved += c
		p.arena = make([]node.Node, c)
	}
	n := &p.arena[0]
	p.arena = p.arena[1:]
	n.Kind = k
	if s != "" { // the arena is zeroed: a store of nothing would still pay the write barrier
		n.Str = s
	}
	n.Range = r
	return n
}

// maxChunk bounds a chunk of the arena (10 MB), so that a document of
// blank lines or comments does not reserve a large one for nothing.
const maxChunk = 64 << 10

// set is newNode for a scalar value.
func (f *fastParser) set(v node.Node) *node.Node {
	n := f.newNode(v.Kind, v.Str, v.Range)
	n.Num = v.Num
	n.Bool = v.Bool
	return n
}

func (f *fastParser) rng(start, end diag.Pos) diag.Range {
	return diag.Range{File: f.p.file, Start: start, End: end}
}

func (f *fastParser) eof() bool { return f.i >= len(f.src) }

// peek returns the byte at the cursor: '\n' at the end of a line (a CRLF
// one too) or of the input.
func (f *fastParser) peek() byte { return f.at(f.i) }

func (f *fastParser) at(i int) byte {
	if uint(i) < uint(len(f.src)) { // also proves i >= 0: no bounds check
		if c := f.src[i]; c != '\r' {
			return c
		}
	}
	return '\n'
}

func (f *fastParser) skipSpaces() {
	if i := f.i; uint(i) < uint(len(f.src)) && f.src[i] == ' ' {
		f.skipMore()
	}
}

// skipMore is skipSpaces past the first space, eight bytes at a time
// (indentation is most of the spaces). It stays a call, so that
// skipSpaces, at every turn of the parser, is inlined.
//
//go:noinline
func (f *fastParser) skipMore() {
	i, b := f.i+1, f.b
	if i < len(b) && b[i] != ' ' { // one space, as after most ':'
		f.i = i
		return
	}
	for ; i >= 0 && i+8 <= len(b); i += 8 {
		if w := binary.LittleEndian.Uint64(b[i:i+8]) ^ ' '*ones; w != 0 {
			f.i = i + bits.TrailingZeros64(w)/8
			return
		}
	}
	for i < len(b) && b[i] == ' ' {
		i++
	}
	f.i = i
}

// plainEnd returns where a plain scalar in block context from j ends: at
// ": ", a ':' ending the line, " #" or the end of the line or input. It
// reads eight bytes at a time and tries each byte that may end the scalar
// in turn: the loop over each byte was a fifth of a parse.
func (f *fastParser) plainEnd(j int) int {
	b := f.b
	for ; j >= 0 && j+8 <= len(b); j += 8 {
		w := binary.LittleEndian.Uint64(b[j : j+8])
		m := stopsLF(w)
		if f.cr {
			m = stops(w)
		}
		for ; m != 0; m &= m - 1 {
			if k := j + bits.TrailingZeros64(m)/8; f.endsPlain(k) {
				return k
			}
		}
	}
	for ; j < len(f.src); j++ {
		if f.endsPlain(j) {
			return j
		}
	}
	return len(f.src)
}

// endsPlain reports whether the byte at k ends a plain scalar in block
// context; the scalar starts before k.
func (f *fastParser) endsPlain(k int) bool {
	switch f.src[k] {
	case '\n', '\r':
		return true
	case ':':
		d := f.at(k + 1)
		return d == ' ' || d == '\n'
	case '#':
		return k > 0 && f.src[k-1] == ' '
	}
	return false
}

// stops has the high bit set of each byte of w that is '\n', '\r', ':' or
// '#', and maybe of others, which endsPlain tells apart: the bytes from
// 0x08 to 0x0F, which are not in a file on the fast path (tabs) or at all
// (control characters), as b|7 is 0x0F for them all; and a byte after one
// of these (see zero).
func stops(w uint64) uint64 {
	return (zero(w^':'*ones) | zero(w^'#'*ones) | zero((w|7*ones)^0x0F*ones)) & high
}

// stopsLF is stops for a file without '\r', in two tests instead of
// three: b&^0x30 is 0x0A for '\n' and ':', and for '*' and 0x1A.
func stopsLF(w uint64) uint64 {
	return (zero((w&^(0x30*ones))^'\n'*ones) | zero(w^'#'*ones)) & high
}

// zero has the high bit set of each byte of x that is 0, and maybe of
// bytes after one, where the borrow of x-ones goes: a byte is 0 if x-ones
// borrows from it and it has its high bit clear.
func zero(x uint64) uint64 { return (x - ones) &^ x }

// lineEnd is the offset of the end of the cursor's line.
func (f *fastParser) lineEnd() int {
	if j := strings.IndexByte(f.src[f.i:], '\n'); j >= 0 {
		return f.i + j
	}
	return len(f.src)
}

// endLine checks that only spaces and a comment follow a value on its line
// and moves to the next line with content.
func (f *fastParser) endLine() {
	f.skipSpaces()
	if c := f.peek(); c == '#' {
		if f.src[f.i-1] != ' ' {
			f.bail()
		}
		f.i = f.lineEnd()
	} else if c != '\n' {
		f.bail()
	}
	f.nextContent()
}

// nextContent moves the cursor from the end of a line to the first
// character of the next line that is neither blank nor a comment, or to
// the end of the input.
func (f *fastParser) nextContent() {
	for {
		j := 0 // the cursor is at the line's end, most often a '\n'
		if f.i >= len(f.src) || f.src[f.i] != '\n' {
			j = strings.IndexByte(f.src[f.i:], '\n')
		}
		if j < 0 {
			f.i = len(f.src)
			return
		}
		f.i += j + 1
		f.line++
		f.ls = f.i
		f.skipSpaces()
		if f.eof() {
			return
		}
		if c := f.src[f.i]; c == '\n' || c == '\r' || c == '#' {
			continue
		}
		if f.i == f.ls && f.docMarker() {
			f.bail()
		}
		return
	}
}

// docMarker reports "---" or "..." at the cursor, followed by a blank.
func (f *fastParser) docMarker() bool {
	rest := f.src[f.i:]
	return (strings.HasPrefix(rest, "---") || strings.HasPrefix(rest, "...")) &&
		(len(rest) == 3 || rest[3] == ' ' || rest[3] == '\n' || rest[3] == '\r')
}

// indent is the column (0-based) of the cursor at the start of a line's
// content, -1 at the end of the input.
func (f *fastParser) indent() int {
	if f.eof() {
		return -1
	}
	return f.i - f.ls
}

// isEntry reports a block sequence entry ("- " or "-" at the end of a
// line) at the cursor.
func (f *fastParser) isEntry() bool {
	if f.peek() != '-' {
		return false
	}
	c := f.at(f.i + 1)
	return c == ' ' || c == '\n'
}

func (f *fastParser) document() *node.Node {
	f.skipSpaces()
	if c := f.peek(); c == '#' || c == '\n' {
		f.nextContent()
	}
	if f.eof() {
		f.bail()
	}
	if f.i == f.ls && strings.HasPrefix(f.src[f.i:], "---") {
		if f.at(f.i+3) != '\n' {
			f.bail()
		}
		f.i += 3
		f.nextContent()
		if f.eof() {
			f.bail()
		}
	}
	if c := f.peek(); c == '{' || c == '[' {
		f.bail() // JSON, or a flow collection over lines
	}
	// The arena's chunks are sized to the document instead of 512 nodes
	// each, so that it ends near the tree's size in a few large
	// allocations: the first from its lines (the corpus's configs have
	// 1.5 to 1.9 nodes a line, 2.7 the benchmarks' service, and two a
	// flow item), the next ones from the nodes a byte so far (newNode).
	// Not before here: JSON (a template) is not read on the fast path.
	f.carved = min(2*strings.Count(f.src, "\n")+2*strings.Count(f.src, ",")+16, maxChunk)
	f.p.arena = make([]node.Node, f.carved)
	var n *node.Node
	if f.isEntry() {
		n, _ = f.blockSeq(f.indent(), false)
	} else {
		n, _ = f.blockMap(f.indent())
	}
	if !f.eof() {
		f.bail()
	}
	return n
}

// Each reader returns the node and its end as the last child of a
// collection, which the slow path's containerEnd computes: the node's end,
// except for an empty flow collection ("[]": two columns past its start).

// blockMap reads a block mapping whose first key is at the cursor, at
// column m.
func (f *fastParser) blockMap(m int) (*node.Node, diag.Pos) {
	return f.blockMapAt(m, f.pos(f.i))
}

// blockMapAt is blockMap for a mapping that starts at start (its anchor).
func (f *fastParser) blockMapAt(m int, start diag.Pos) (*node.Node, diag.Pos) {
	f.enter()
	f.count()
	n := f.newNode(node.Map, "", f.rng(start, diag.Pos{}))
	base := len(f.pairs)
	var end diag.Pos
	var index map[string]int // key -> index in f.pairs[base:], past 16 keys
	var merged map[string]bool
	// lens has bit n%64 set for the keys of length n (all of them after a
	// merge): a key of a length not seen yet is new, without a search.
	var lens uint64
	for {
		merge := f.peek() == '<' && strings.HasPrefix(f.src[f.i:], "<<") && f.mergeKey()
		key, colon := f.key()
		if merge {
			index, merged = f.merge(m, base, colon, index, merged)
			end = f.mergeEnd
			lens = ^uint64(0)
		} else {
			i := -1
			if bit := uint64(1) << (len(key.Str) % 64); lens&bit != 0 {
				i = f.find(base, key.Str, index)
			} else {
				lens |= bit
			}
			val, vend := f.blockValue(m, colon, true)
			end = vend
			if i >= 0 {
				if !merged[key.Str] {
					f.bail() // a duplicate key
				}
				merged[key.Str] = false // a merged key, overridden: now a key of its own
				f.pairs[base+i] = node.Pair{Key: key, Value: val}
			} else {
				index = f.add(base, node.Pair{Key: key, Value: val}, index)
			}
		}
		ind := f.indent()
		if ind < m {
			break
		}
		if ind > m || f.isEntry() {
			f.bail()
		}
	}
	n.Pairs = append(f.p.pairSlice(len(f.pairs)-base), f.pairs[base:]...)
	f.pairs = f.pairs[:base]
	n.Range.End = end
	f.depth--
	return n, end
}

// mergeKey reports a plain "<<" key at the cursor (a quoted one is a key
// like any other).
func (f *fastParser) mergeKey() bool {
	j := f.i + 2
	for j < len(f.src) && f.src[j] == ' ' {
		j++
	}
	return f.at(j) == ':' && (f.at(j+1) == ' ' || f.at(j+1) == '\n')
}

// merge reads the value of a "<<" key and merges its mappings into the
// mapping whose pairs start at base, as the slow path's merge does: keys
// already present win, the others are appended in their order. It takes
// "<<: *alias", "<<: [*a, *b]" and "<<: {k: v}" only.
func (f *fastParser) merge(m, base int, colon diag.Pos, index map[string]int, merged map[string]bool) (map[string]int, map[string]bool) {
	f.skipSpaces()
	c := f.peek()
	if c != '*' && c != '[' && c != '{' {
		f.bail()
	}
	val, end := f.blockValue(m, colon, true)
	f.mergeEnd = end
	sources := []*node.Node{val}
	if c == '[' {
		sources = val.Items
	}
	if merged == nil {
		merged = map[string]bool{}
	}
	for _, src := range sources {
		if src.Kind != node.Map {
			f.bail() // the slow path reports it
		}
		for _, pr := range src.Pairs {
			if f.find(base, pr.Key.Str, index) < 0 {
				index = f.add(base, pr, index)
				merged[pr.Key.Str] = true
			}
		}
	}
	return index, merged
}

// find returns the index of key k among the pairs from base, or -1.
func (f *fastParser) find(base int, k string, index map[string]int) int {
	if index != nil {
		if i, ok := index[k]; ok {
			return i
		}
		return -1
	}
	for i, pr := range f.pairs[base:] {
		if pr.Key.Str == k {
			return i
		}
	}
	return -1
}

// add appends a pair to the mapping whose pairs start at base; past 16
// keys an index finds them.
func (f *fastParser) add(base int, pr node.Pair, index map[string]int) map[string]int {
	f.pairs = append(f.pairs, pr)
	n := len(f.pairs) - base
	if index == nil && n > 16 {
		index = make(map[string]int, 64)
		for i, p := range f.pairs[base:] {
			index[p.Key.Str] = i
		}
	} else if index != nil {
		index[pr.Key.Str] = n - 1
	}
	return index
}

// key reads a block mapping's key and its ':', returning the position
// just past the ':'.
func (f *fastParser) key() (*node.Node, diag.Pos) {
	var key *node.Node
	st := f.i
	switch c := f.peek(); c {
	case '"', '\'':
		s, r := f.quoted()
		key = f.newNode(node.String, s, r)
	default:
		if !f.plainStart(c) {
			f.bail()
		}
		v := f.plainBlock()
		if start := f.pos(st); plainString(v) { // most keys, without a call
			key = f.newNode(node.String, v, f.rng(start, f.after(start, v)))
		} else {
			key = f.plainKey(v, start)
		}
	}
	f.skipSpaces()
	if f.peek() != ':' || f.i-st > 1000 {
		f.bail() // not a key, or one longer than yaml.v3's simple keys
	}
	f.i++
	if c := f.peek(); c != ' ' && c != '\n' {
		f.bail()
	}
	return key, f.pos(f.i)
}

// plainKey makes the key node of a plain key: a string, as JavaScript
// object keys are ("1: x" is the key "1").
func (f *fastParser) plainKey(v string, start diag.Pos) *node.Node {
	r := f.rng(start, f.after(start, v))
	if plainString(v) {
		return f.newNode(node.String, v, r)
	}
	k := resolvePlain(v, r)
	if k.Kind != node.String {
		k = node.Node{Kind: node.String, Str: k.JSString(), Range: r}
	}
	return f.set(k)
}

// blockValue reads the value after a mapping's ':' or a sequence's '-'
// (mark is just past it) in a collection at column m.
func (f *fastParser) blockValue(m int, mark diag.Pos, mapValue bool) (*node.Node, diag.Pos) {
	f.skipSpaces()
	// One look at the byte decides (an anchor or a tag with a value on
	// its line leaves the cursor where it was).
	switch f.peek() {
	case '&':
		if n, end, ok := f.anchoredBlock(m, mapValue); ok {
			return n, end
		}
	case '!':
		if n, end, ok := f.taggedBlock(m, mapValue); ok {
			return n, end
		}
	case '\n', '#':
		return f.valueBelow(m, mark, mapValue)
	case '|', '>':
		n, end := f.blockScalar(m)
		if f.indent() > m {
			f.bail()
		}
		return n, end
	}
	n, end := f.inline(false)
	f.endLine()
	if f.indent() > m {
		f.bail() // a multi-line scalar, or worse
	}
	return n, end
}

// valueBelow is blockValue when nothing but a comment follows the mark
// on its line: a collection or a scalar below, or null.
func (f *fastParser) valueBelow(m int, mark diag.Pos, mapValue bool) (*node.Node, diag.Pos) {
	f.endLine()
	ind := f.indent()
	switch {
	case ind > m && f.isEntry():
		return f.blockSeq(ind, false)
	case ind > m && f.keyAhead():
		return f.blockMap(ind)
	case ind > m:
		n, end := f.inline(false)
		f.endLine()
		if f.indent() > m {
			f.bail()
		}
		return n, end
	case ind == m && mapValue && f.isEntry():
		return f.blockSeq(ind, true)
	}
	f.count()
	return f.newNode(node.Null, "", f.rng(mark, mark)), mark
}

// blockScalar reads a literal (|) or folded (>) block scalar whose
// indicator is at the cursor, in a collection at column m, as yaml.v3
// does. It gives up on an indentation indicator, on blank lines before the
// first line of text or with more spaces than the text's indentation, on
// more-indented lines of a folded scalar, and on a last line without a
// line break.
func (f *fastParser) blockScalar(m int) (*node.Node, diag.Pos) {
	f.count()
	st := f.i
	start := f.pos(st)
	literal := f.src[st] == '|'
	f.i++
	chomp := f.peek()
	if chomp == '-' || chomp == '+' {
		f.i++
	}
	if c := f.peek(); c != ' ' && c != '\n' {
		f.bail() // an indentation indicator, or not a block scalar
	}
	eol := f.lineEnd()
	// The slow path's end: the header line, a comment included.
	end := f.after(start, strings.TrimRight(strings.TrimSuffix(f.src[st:eol], "\r"), " "))
	f.skipSpaces()
	if c := f.peek(); c != '#' && c != '\n' {
		f.bail()
	}
	if eol >= len(f.src) {
		f.bail() // no text
	}
	var buf []byte
	indent, empty := -1, 0
	pos, line := eol+1, f.line+1
	for pos < len(f.src) {
		le := strings.IndexByte(f.src[pos:], '\n')
		if le < 0 {
			le = len(f.src)
		} else {
			le += pos
		}
		text := strings.TrimSuffix(f.src[pos:le], "\r")
		sp := 0
		for sp < len(text) && text[sp] == ' ' {
			sp++
		}
		if sp == len(text) { // a blank line
			if indent < 0 || sp > indent || le == len(f.src) && text != "" {
				f.bail()
			}
			empty++
			pos, line = le+1, line+1
			continue
		}
		if indent < 0 {
			if sp <= m {
				f.bail() // no text
			}
			indent = sp
		}
		if sp < indent {
			break
		}
		content := text[indent:]
		if !literal && content[0] == ' ' || le == len(f.src) {
			f.bail()
		}
		switch {
		case indent >= 0 && buf == nil:
		case literal:
			buf = append(buf, '\n')
			fallthrough
		default:
			for range empty {
				buf = append(buf, '\n')
			}
			if !literal && empty == 0 {
				buf = append(buf, ' ')
			}
		}
		if buf == nil {
			buf = make([]byte, 0, 64)
		}
		buf = append(buf, content...)
		empty = 0
		pos, line = le+1, line+1
	}
	if buf == nil {
		f.bail()
	}
	switch chomp {
	case '-':
	case '+':
		buf = append(buf, '\n')
		for range empty {
			buf = append(buf, '\n')
		}
	default:
		buf = append(buf, '\n')
	}
	// The cursor moves to the line that ends the scalar, as nextContent
	// leaves it.
	f.line, f.ls, f.i = line, min(pos, len(f.src)), min(pos, len(f.src))
	if !f.eof() {
		f.skipSpaces()
		if c := f.peek(); c == '#' || c == '\n' {
			f.nextContent()
		} else if f.i == f.ls && f.docMarker() {
			f.bail()
		}
	}
	return f.newNode(node.String, string(buf), f.rng(start, end)), end
}

// anchoredBlock reads "&name" ending its line and the block collection
// on the lines below, which starts at the anchor; ok is false, the cursor
// unmoved, when a value follows the anchor on its line.
func (f *fastParser) anchoredBlock(m int, mapValue bool) (*node.Node, diag.Pos, bool) {
	st := f.i
	start := f.pos(st)
	name := f.anchorName()
	f.skipSpaces()
	if c := f.peek(); c != '\n' && c != '#' {
		f.i = st
		return nil, diag.Pos{}, false
	}
	if f.src[f.i-1] != ' ' && f.peek() == '#' {
		f.bail()
	}
	f.endLine()
	f.defining(name)
	var n *node.Node
	var end diag.Pos
	switch ind := f.indent(); {
	case ind > m && f.isEntry():
		n, end = f.blockSeqAt(ind, false, start)
	case ind > m && f.keyAhead():
		n, end = f.blockMapAt(ind, start)
	case ind == m && mapValue && f.isEntry():
		n, end = f.blockSeqAt(ind, true, start)
	default:
		f.bail() // an anchored null, or a scalar below its anchor
	}
	f.anchors[name] = n
	return n, end, true
}

// taggedBlock reads a CloudFormation short tag ending its line and the
// block collection on the lines below it (a "!Join" line, then "- x" and
// "- [...]"), which starts at the tag, and builds its long form as the
// slow path's intrinsic does; ok is false, the cursor unmoved, when a
// value follows the tag on its line.
func (f *fastParser) taggedBlock(m int, mapValue bool) (*node.Node, diag.Pos, bool) {
	st := f.i
	j := st + 1
	for j < len(f.src) && f.src[j] != ' ' && f.src[j] != '\n' && f.src[j] != '\r' && f.src[j] != '#' {
		j++
	}
	tag := f.src[st:j]
	f.i = j
	f.skipSpaces()
	if c := f.peek(); c != '\n' && (c != '#' || f.src[f.i-1] != ' ') {
		f.i = st
		return nil, diag.Pos{}, false
	}
	long, ok := cfnTags[tag]
	if !ok {
		f.bail()
	}
	start := f.pos(st)
	f.endLine()
	f.count()
	var v *node.Node
	var end diag.Pos
	switch ind := f.indent(); {
	case ind > m && f.isEntry():
		v, end = f.blockSeqAt(ind, false, start)
	case ind > m && f.keyAhead():
		v, end = f.blockMapAt(ind, start)
	case ind == m && mapValue && f.isEntry():
		v, end = f.blockSeqAt(ind, true, start)
	default:
		f.bail() // an empty tagged value, or a scalar below its tag
	}
	r := f.rng(start, v.Range.End)
	n := f.newNode(node.Map, "", r)
	n.Tag = tag
	n.Pairs = append(f.p.pairSlice(1), node.Pair{Key: f.newNode(node.String, long, r), Value: v})
	return n, end, true
}

// blockSeq reads a block sequence whose first '-' is at the cursor, at
// column s; indentless is a sequence at its parent key's column.
func (f *fastParser) blockSeq(s int, indentless bool) (*node.Node, diag.Pos) {
	return f.blockSeqAt(s, indentless, f.pos(f.i))
}

// blockSeqAt is blockSeq for a sequence that starts at start (its anchor).
func (f *fastParser) blockSeqAt(s int, indentless bool, start diag.Pos) (*node.Node, diag.Pos) {
	f.enter()
	f.count()
	n := f.newNode(node.Seq, "", f.rng(start, diag.Pos{}))
	base := len(f.items)
	var end diag.Pos
	for {
		f.i++ // the '-'
		mark := f.pos(f.i)
		f.skipSpaces()
		var it *node.Node
		switch {
		case f.isEntry(): // "- - x": a sequence in a sequence, at its own column
			it, end = f.blockSeq(f.i-f.ls, false)
		case f.keyAhead(): // "- k: v": a mapping at its first key's column
			it, end = f.blockMap(f.i - f.ls)
		default:
			it, end = f.blockValue(s, mark, false)
		}
		f.items = append(f.items, it)
		ind := f.indent()
		if ind < s {
			break
		}
		if ind > s {
			f.bail()
		}
		if !f.isEntry() {
			if indentless {
				break
			}
			f.bail()
		}
	}
	n.Items = append(f.p.itemSlice(len(f.items)-base), f.items[base:]...)
	f.items = f.items[:base]
	n.Range.End = end
	f.depth--
	return n, end
}

// keyAhead reports a mapping key (a scalar and ": ") at the cursor,
// without moving it.
func (f *fastParser) keyAhead() bool {
	j := f.i
	switch c := f.peek(); c {
	case '"', '\'':
		j++
		for {
			if j >= len(f.src) || f.src[j] == '\n' || f.src[j] == '\r' {
				return false
			}
			d := f.src[j]
			switch {
			case c == '"' && d == '\\':
				j += 2
				continue
			case c == '\'' && d == '\'' && f.at(j+1) == '\'':
				j += 2
				continue
			case d == c:
			default:
				j++
				continue
			}
			break
		}
		j++
		for j < len(f.src) && f.src[j] == ' ' {
			j++
		}
		return f.at(j) == ':' && (f.at(j+1) == ' ' || f.at(j+1) == '\n')
	default:
		if !f.plainStart(c) {
			return false
		}
		j = f.plainEnd(j)
		return j < len(f.src) && f.src[j] == ':'
	}
}

// plainStart reports whether c, at the cursor, may start a plain scalar
// on the fast path: not an indicator, and "-" only before a digit, a
// letter or a dot ("-1", "-foo").
func (f *fastParser) plainStart(c byte) bool {
	if c == '-' {
		next := f.at(f.i + 1)
		return next >= '0' && next <= '9' || next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z' || next == '.'
	}
	return !indicator[c]
}

// indicator is the bytes other than '-' that do not start a plain scalar
// on the fast path (a table: the switch was a chain of comparisons).
var indicator = func() (t [256]bool) {
	for _, c := range []byte("?:,[]{}#&*!|>'\"%@` \n") {
		t[c] = true
	}
	return t
}()

// plainBlock scans a one-line plain scalar in block context: up to ": ",
// a ':' ending the line, " #" or the end of the line. The cursor ends just
// past its text, trailing spaces excluded.
func (f *fastParser) plainBlock() string {
	st := f.i
	j, src := f.plainEnd(st), f.src
	for j > st && src[j-1] == ' ' {
		j--
	}
	f.i = j
	return src[st:j]
}

// plainFlow is plainBlock inside a flow collection, where ",[]{}?" end a
// plain scalar too.
func (f *fastParser) plainFlow() string {
	st := f.i
	j := st
scan:
	for ; j < len(f.src); j++ {
		switch f.src[j] {
		case '\n', '\r', ',', '?', '[', ']', '{', '}':
			break scan
		case ':':
			if d := f.at(j + 1); d == ' ' || d == '\n' {
				break scan
			}
		case '#':
			if f.src[j-1] == ' ' {
				break scan
			}
		}
	}
	v := strings.TrimRight(f.src[st:j], " ")
	if strings.HasSuffix(v, ":") {
		f.bail()
	}
	f.i = st + len(v)
	return v
}

// inline reads a value that starts at the cursor and ends on its line.
func (f *fastParser) inline(flow bool) (*node.Node, diag.Pos) {
	switch f.peek() {
	case '&':
		return f.anchored(flow)
	case '*':
		return f.alias()
	case '!':
		return f.tagged(flow)
	}
	return f.untagged(flow, f.pos(f.i))
}

// untagged reads a value without properties, or whose anchor (at start)
// has been read.
func (f *fastParser) untagged(flow bool, start diag.Pos) (*node.Node, diag.Pos) {
	switch c := f.peek(); c {
	case '[':
		return f.flowSeq(start)
	case '{':
		return f.flowMap(start)
	case '"', '\'':
		f.count()
		s, r := f.quoted()
		r.Start = start
		return f.newNode(node.String, s, r), r.End
	default:
		if !f.plainStart(c) {
			f.bail()
		}
	}
	f.count()
	text := f.pos(f.i)
	var v string
	if flow {
		v = f.plainFlow()
	} else {
		v = f.plainBlock()
		if f.peek() == ':' {
			f.bail() // "a: b: c"
		}
	}
	if v == "<<" {
		f.bail()
	}
	r := f.rng(start, f.after(text, v))
	return f.scalar(v, r), r.End
}

// scalar makes the node of a plain scalar: resolvePlain's value, the
// common strings, booleans and integers without its copy of a node (and
// for integers, without parsing a float).
func (f *fastParser) scalar(v string, r diag.Range) *node.Node {
	if plainString(v) {
		return f.newNode(node.String, v, r)
	}
	switch v {
	case "true", "True", "TRUE":
		n := f.newNode(node.Bool, "", r)
		n.Bool = true
		return n
	case "false", "False", "FALSE":
		return f.newNode(node.Bool, "", r)
	}
	if len(v) <= 15 && digits(v) { // below 2^53: exact as a float64
		x := 0
		for i := 0; i < len(v); i++ {
			x = x*10 + int(v[i]-'0')
		}
		n := f.newNode(node.Number, "", r)
		n.Num = float64(x)
		return n
	}
	return f.set(resolvePlain(v, r))
}

// anchorName reads "&name" or "*name" at the cursor.
func (f *fastParser) anchorName() string {
	j := f.i + 1
	for j < len(f.src) && isAnchorChar(f.src[j]) {
		j++
	}
	name := f.src[f.i+1 : j]
	if name == "" {
		f.bail()
	}
	f.i = j
	return name
}

// isAnchorChar is yaml.v3's is_alpha: the characters of anchor names.
func isAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-'
}

// anchored reads "&name value", the value on the same line.
func (f *fastParser) anchored(flow bool) (*node.Node, diag.Pos) {
	start := f.pos(f.i)
	name := f.anchorName()
	if f.peek() != ' ' {
		f.bail()
	}
	f.skipSpaces()
	switch f.peek() {
	case '\n', '#', '&', '*', '!':
		f.bail() // an anchored null, two properties, or a tag too
	}
	if !flow && f.keyAhead() {
		f.bail() // "&a k: v" anchors the key
	}
	f.defining(name)
	n, end := f.untagged(flow, start)
	f.anchors[name] = n
	return n, end
}

// defining marks an anchor whose value is being read: an alias to it
// inside that value would be circular.
func (f *fastParser) defining(name string) {
	if f.anchors == nil {
		f.anchors = map[string]*node.Node{}
	}
	f.anchors[name] = nil
}

// maxExpanded bounds the text (counted generously) that the fast path
// copies for aliases, far below MaxScalarBytes and MaxNodes: past it the
// slow path, with its findings, decides.
const maxExpanded = 4 << 20

// alias reads "*name": a copy of the anchored value, whose range is the
// alias's while the values inside keep theirs, as the slow path's convert
// makes it.
func (f *fastParser) alias() (*node.Node, diag.Pos) {
	start := f.pos(f.i)
	name := f.anchorName()
	switch f.peek() {
	case ' ', '\n', ',', ']', '}':
	default:
		f.bail()
	}
	target := f.anchors[name]
	if target == nil {
		f.bail() // unknown, or circular
	}
	f.count()
	n := f.copyNode(target)
	n.Range.Start = start
	n.Range.End = diag.Pos{Line: start.Line, Col: start.Col + 1 + len(name)}
	return n, n.Range.End
}

// copyNode copies an anchored value for an alias, counting what it adds.
func (f *fastParser) copyNode(t *node.Node) *node.Node {
	f.count()
	w := len(t.Str) // the text the slow path counts, or more
	if t.Range.Start.Line == t.Range.End.Line {
		w = max(w, t.Range.End.Col-t.Range.Start.Col)
	}
	f.expanded += w + 16 // a node is text too
	if f.expanded > maxExpanded {
		f.bail()
	}
	n := f.newNode(t.Kind, t.Str, t.Range)
	n.Num, n.Bool, n.Tag = t.Num, t.Bool, t.Tag
	switch t.Kind {
	case node.Seq:
		n.Items = f.p.itemSlice(len(t.Items))
		for _, it := range t.Items {
			n.Items = append(n.Items, f.copyNode(it))
		}
	case node.Map:
		n.Pairs = f.p.pairSlice(len(t.Pairs))
		for _, pr := range t.Pairs {
			n.Pairs = append(n.Pairs, node.Pair{Key: f.copyNode(pr.Key), Value: f.copyNode(pr.Value)})
		}
	}
	return n
}

// quoted reads a one-line single- or double-quoted scalar; its range ends
// past the closing quote.
func (f *fastParser) quoted() (string, diag.Range) {
	q := f.src[f.i]
	st := f.i
	start := f.pos(st)
	j := st + 1
	var b []byte // the value, once an escape makes it differ from the text
	from := j    // the text not yet copied to b
	for {
		if j >= len(f.src) || f.src[j] == '\n' || f.src[j] == '\r' {
			f.bail()
		}
		c := f.src[j]
		if c == q {
			if q == '\'' && f.at(j+1) == '\'' {
				b = append(b, f.src[from:j+1]...)
				j += 2
				from = j
				continue
			}
			break
		}
		if q == '"' && c == '\\' {
			var e byte
			switch f.at(j + 1) {
			case '0':
				e = 0
			case 'a':
				e = '\a'
			case 'b':
				e = '\b'
			case 't':
				e = '\t'
			case 'n':
				e = '\n'
			case 'v':
				e = '\v'
			case 'f':
				e = '\f'
			case 'r':
				e = '\r'
			case 'e':
				e = 0x1B
			case ' ', '"', '\\': // not "\/": the slow path reads it (slash.go)
				e = f.src[j+1]
			case 'x', 'u', 'U', 'N', '_', 'L', 'P':
				r, w := f.runeEscape(j)
				b = utf8.AppendRune(append(b, f.src[from:j]...), r)
				j += w
				from = j
				continue
			default:
				f.bail() // a line continuation, or an error
			}
			b = append(append(b, f.src[from:j]...), e)
			j += 2
			from = j
			continue
		}
		j++
	}
	s := f.src[st+1 : j]
	if b != nil {
		s = string(append(b, f.src[from:j]...))
	}
	f.i = j + 1
	return s, f.rng(start, f.after(start, f.src[st:j+1]))
}

// runeEscape decodes the escape at j (a backslash) that stands for a
// code point, returning it and the escape's length. It gives up on a
// surrogate (which the slow path joins in pairs) and what yaml.v3 refuses.
func (f *fastParser) runeEscape(j int) (rune, int) {
	switch f.src[j+1] {
	case 'N':
		return 0x85, 2
	case '_':
		return 0xA0, 2
	case 'L':
		return 0x2028, 2
	case 'P':
		return 0x2029, 2
	}
	n := 8
	switch f.src[j+1] {
	case 'x':
		n = 2
	case 'u':
		n = 4
	}
	if j+2+n > len(f.src) {
		f.bail()
	}
	var r rune
	for _, c := range []byte(f.src[j+2 : j+2+n]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			f.bail()
		}
		r = r<<4 | rune(d)
	}
	if r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
		f.bail()
	}
	return r, 2 + n
}

// tagged reads a value written with a CloudFormation short tag and builds
// its long form, as the slow path's intrinsic does.
func (f *fastParser) tagged(flow bool) (*node.Node, diag.Pos) {
	st := f.i
	j := st + 1
	for j < len(f.src) && f.src[j] != ' ' && f.src[j] != '\n' && f.src[j] != '\r' {
		j++
	}
	tag := f.src[st:j]
	long, ok := cfnTags[tag]
	if !ok || f.at(j) != ' ' {
		f.bail()
	}
	f.count()
	start := f.pos(st)
	f.i = j
	f.skipSpaces()
	var v *node.Node
	var r diag.Range
	var end diag.Pos
	switch c := f.peek(); c {
	case '[', '{':
		if c == '[' {
			v, end = f.flowSeq(start)
		} else {
			v, end = f.flowMap(start)
		}
		r = f.rng(start, v.Range.End)
	case '"', '\'', '\n', '#':
		if c == '\n' || c == '#' {
			f.bail() // a tagged block collection or an empty value
		}
		open := f.i
		s, _ := f.quoted()
		// The slow path's scalarEnd does not recognise a tagged quoted
		// scalar as quoted: it ends where the value's text would, or
		// where a plain scalar starting at the quote would.
		// (Without a line break in s, a prefix of the text from the quote
		// is one of its line.)
		openPos := f.pos(open)
		if strings.ContainsRune(s, '\r') {
			f.bail()
		}
		if !strings.Contains(s, "\n") && strings.HasPrefix(f.src[open:], s) {
			end = f.after(openPos, s)
		} else {
			end = f.after(openPos, f.plainTokenAt(open))
		}
		r = f.rng(start, end)
		v = f.tagScalar(long, s, r)
	default:
		if !f.plainStart(c) {
			f.bail()
		}
		textStart := f.pos(f.i)
		var s string
		if flow {
			s = f.plainFlow()
		} else {
			s = f.plainBlock()
			if f.peek() == ':' {
				f.bail()
			}
		}
		end = f.after(textStart, s)
		r = f.rng(start, end)
		v = f.tagScalar(long, s, r)
	}
	m := f.newNode(node.Map, "", r)
	m.Tag = tag
	m.Pairs = append(f.p.pairSlice(1), node.Pair{Key: f.newNode(node.String, long, r), Value: v})
	return m, end
}

// plainTokenAt is plainToken of the rest of the line from i, scanning
// only up to where it ends: to the end of the line for each value of a
// long line would be quadratic.
func (f *fastParser) plainTokenAt(i int) string {
	j := i
scan:
	for ; j < len(f.src); j++ {
		switch f.src[j] {
		case '\n', '\r', ',', ']', '}':
			break scan
		case '#':
			if j > i && f.src[j-1] == ' ' {
				j--
				break scan
			}
		}
	}
	return strings.TrimRight(f.src[i:j], " \t")
}

// tagScalar is the value of a tagged scalar: a string, or for !GetAtt the
// two parts around its first dot.
func (f *fastParser) tagScalar(long, s string, r diag.Range) *node.Node {
	f.count()
	if long == "Fn::GetAtt" {
		first, rest, _ := strings.Cut(s, ".")
		seq := f.newNode(node.Seq, "", r)
		seq.Items = append(f.p.itemSlice(2),
			f.newNode(node.String, first, r),
			f.newNode(node.String, rest, r))
		return seq
	}
	return f.newNode(node.String, s, r)
}

// flowOpen starts a flow collection of kind k whose opening bracket is at
// the cursor; empty reports "[]" or "{}", which it has read and left (the
// depth is already given back).
func (f *fastParser) flowOpen(k node.Kind, close byte, start diag.Pos) (n *node.Node, empty bool) {
	f.enter()
	f.count()
	f.i++
	n = f.newNode(k, "", f.rng(start, start))
	f.skipSpaces()
	if f.peek() == close {
		f.i++
		f.depth--
		return n, true
	}
	return n, false
}

// flowNext reads what follows an entry of a flow collection: its closing
// bracket (true) or a comma before another entry (false). Anything else,
// and a comma before the closing bracket, are the slow path's.
func (f *fastParser) flowNext(close byte) bool {
	f.skipSpaces()
	c := f.peek()
	f.i++
	if c == close {
		return true
	}
	if c != ',' {
		f.bail()
	}
	f.skipSpaces()
	if f.peek() == close {
		f.bail()
	}
	return false
}

// flowSeq reads a one-line flow sequence whose '[' is at the cursor; start
// is its position (a tag's, when tagged).
func (f *fastParser) flowSeq(start diag.Pos) (*node.Node, diag.Pos) {
	n, empty := f.flowOpen(node.Seq, ']', start)
	if empty {
		n.Items = f.p.itemSlice(0)
		return n, diag.Pos{Line: start.Line, Col: start.Col + 2}
	}
	base := len(f.items)
	var end diag.Pos
	for {
		var it *node.Node
		it, end = f.inline(true)
		f.items = append(f.items, it)
		if f.flowNext(']') {
			break
		}
	}
	n.Items = append(f.p.itemSlice(len(f.items)-base), f.items[base:]...)
	f.items = f.items[:base]
	n.Range.End = end
	f.depth--
	return n, end
}

// flowMap reads a one-line flow mapping whose '{' is at the cursor.
func (f *fastParser) flowMap(start diag.Pos) (*node.Node, diag.Pos) {
	n, empty := f.flowOpen(node.Map, '}', start)
	if empty {
		n.Pairs = f.p.pairSlice(0)
		return n, diag.Pos{Line: start.Line, Col: start.Col + 2}
	}
	base := len(f.pairs)
	var end diag.Pos
	var index map[string]int
	for {
		var key *node.Node
		st := f.i
		switch c := f.peek(); c {
		case '"', '\'':
			s, r := f.quoted()
			key = f.newNode(node.String, s, r)
		default:
			if !f.plainStart(c) {
				f.bail()
			}
			key = f.plainKey(f.plainFlow(), f.pos(st))
			if key.Str == "<<" {
				f.bail() // a merge key
			}
		}
		if f.find(base, key.Str, index) >= 0 {
			f.bail() // a duplicate key
		}
		f.skipSpaces()
		if f.peek() != ':' || f.at(f.i+1) != ' ' || f.i-st > 1000 {
			f.bail()
		}
		f.i++
		f.skipSpaces()
		var val *node.Node
		val, end = f.inline(true)
		index = f.add(base, node.Pair{Key: key, Value: val}, index)
		if f.flowNext('}') {
			break
		}
	}
	n.Pairs = append(f.p.pairSlice(len(f.pairs)-base), f.pairs[base:]...)
	f.pairs = f.pairs[:base]
	n.Range.End = end
	f.depth--
	return n, end
}
