package compile

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// upperFirst upper-cases the first symbol of s as lodash's upperFirst does
// in Serverless: lodash splits s into symbols (a character with its
// combining marks, variation selector, skin-tone modifier and zero-width
// joiner sequence) and calls JavaScript's toUpperCase on the first one,
// which applies Unicode's full case mapping ("ß" -> "SS", "ﬀ" -> "FF").
func upperFirst(s string) string {
	if asciiFirst(s) {
		// The first symbol is one ASCII character (nothing ASCII joins or
		// modifies it), so ASCII's case rule is the whole mapping, without
		// the []rune copy of s that splitting into symbols makes: logical
		// IDs are built from hundreds of such names per service.
		if c := s[0]; c >= 'a' && c <= 'z' {
			return string(rune(c-'a'+'A')) + s[1:]
		}
		return s
	}
	return upperFirstSymbol(s)
}

// asciiFirst reports that the first symbol of s is one ASCII character.
func asciiFirst(s string) bool {
	return len(s) > 0 && s[0] < utf8.RuneSelf && (len(s) == 1 || s[1] < utf8.RuneSelf)
}

// writeUpperFirst writes upperFirst(s) to b.
func writeUpperFirst(b *strings.Builder, s string) {
	if !asciiFirst(s) {
		b.WriteString(upperFirstSymbol(s))
		return
	}
	c := s[0]
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	b.WriteByte(c)
	b.WriteString(s[1:])
}

// upperFirstSymbol is upperFirst for any s.
func upperFirstSymbol(s string) string {
	n := firstSymbolLen(s)
	if n == 0 {
		return s
	}
	return jsToUpper(s[:n]) + s[n:]
}

// jsToUpper is JavaScript's String.prototype.toUpperCase. Go's unicode and
// golang.org/x/text/cases are both behind the Unicode version of the Node.js
// that runs Serverless (17.0 for Node 20.20, 15.0 for Go), so the mapping is
// a table generated from Node itself (jsupper_table.go, regenerated and
// checked by TestJSUpperTable). Uppercasing has no context-dependent rule
// outside Lithuanian, Turkish and Azeri locales, so a per-character table is
// the whole mapping.
func jsToUpper(s string) string {
	var b strings.Builder
	for _, r := range s {
		if u, ok := jsUpper(r); ok {
			b.WriteString(u)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func jsUpper(r rune) (string, bool) {
	i := sort.Search(len(jsUpperTable), func(i int) bool { return jsUpperTable[i].r >= r })
	if i < len(jsUpperTable) && jsUpperTable[i].r == r {
		return jsUpperTable[i].upper, true
	}
	return "", false
}

// The code point classes of lodash's _unicodeToArray.js, which writes them
// as UTF-16 ranges.
func isCombo(r rune) bool {
	return r >= 0x300 && r <= 0x36f || r >= 0xfe20 && r <= 0xfe2f || r >= 0x20d0 && r <= 0x20ff
}
func isFitz(r rune) bool     { return r >= 0x1f3fb && r <= 0x1f3ff }
func isRegional(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }
func isVarSel(r rune) bool   { return r == 0xfe0e || r == 0xfe0f }

const zwj = 0x200d

// firstSymbolLen is the byte length of the first match of lodash's
// reUnicode in s: rsFitz(?=rsFitz) | rsSymbol rsSeq.
func firstSymbolLen(s string) int {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	if isFitz(rs[0]) && len(rs) > 1 && isFitz(rs[1]) {
		return utf8.RuneLen(rs[0])
	}
	i := symbolEnd(rs, 0, true)
	// rsSeq: an optional variation selector, an optional modifier, then
	// zero-width-joined symbols, each with the same two options.
	i = optVarMod(rs, i)
	for i+1 < len(rs) && rs[i] == zwj {
		i = optVarMod(rs, symbolEnd(rs, i+1, false))
	}
	return len(string(rs[:i]))
}

// symbolEnd matches one symbol at rs[i]: a BMP character (rsSymbol allows
// one combining mark after it; a joined one does not), a pair of regional
// indicators, or an astral character.
func symbolEnd(rs []rune, i int, combo bool) int {
	switch {
	case rs[i] <= 0xffff:
		i++
		if combo && i < len(rs) && isCombo(rs[i]) {
			i++
		}
		return i
	case isRegional(rs[i]) && i+1 < len(rs) && isRegional(rs[i+1]):
		return i + 2
	}
	return i + 1
}

func optVarMod(rs []rune, i int) int {
	if i < len(rs) && isVarSel(rs[i]) {
		i++
	}
	if i < len(rs) && (isCombo(rs[i]) || isFitz(rs[i])) {
		i++
	}
	return i
}
