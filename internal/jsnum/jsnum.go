// Package jsnum converts strings to numbers as JavaScript's Number(string)
// does (ECMAScript StringToNumber), the one copy for the variable resolver
// (Serverless parses literals with it) and for ajv's type coercion (which
// compares a string with +string).
package jsnum

import (
	"math"
	"math/big"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/lazyre"
)

var (
	// StrDecimalLiteral without "Infinity": ASCII digits only, no numeric
	// separators ("1_000" is NaN), a fraction with digits on either side
	// of the point, an optional exponent.
	decimal = lazyre.New(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)
	// NonDecimalIntegerLiteral: no sign, no separators.
	radix = lazyre.New(`^0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$`)
)

// Number returns Number(s) and whether it is a number (not NaN):
//   - JavaScript's white space and line terminators around s are ignored,
//     and a string of only those (or "") is 0;
//   - decimal literals with an optional sign, ".5", "5.", exponents;
//     beyond the float64 range they are ±Infinity or ±0, like "1e99999";
//   - "Infinity", "+Infinity", "-Infinity", but not "inf" or "NaN";
//   - 0x, 0o and 0b integers of any length, without a sign, rounded once
//     to the nearest float64 ("0xFFFFFFFFFFFFFFFFF" is 2.9514790517935283e20);
//   - "-0" is negative zero.
//
// Everything else, numeric separators included, is NaN: then the result
// is NaN and false.
func Number(s string) (float64, bool) {
	s = trim(s)
	switch {
	case s == "":
		return 0, true
	case s == "Infinity" || s == "+Infinity":
		return math.Inf(1), true
	case s == "-Infinity":
		return math.Inf(-1), true
	case radix.MatchString(s):
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]]
		i, _ := new(big.Int).SetString(s[2:], base) // cannot fail: the pattern matched
		f, _ := new(big.Float).SetInt(i).Float64()  // nearest, ties to even, as JavaScript
		return f, true
	case decimal.MatchString(s):
		// Out of range, ParseFloat returns ±Inf or ±0 with ErrRange, as
		// JavaScript rounds; the pattern leaves no syntax error.
		f, _ := strconv.ParseFloat(s, 64)
		return f, true
	}
	return math.NaN(), false
}

// trim removes ECMAScript's StrWhiteSpaceChar from both ends: it differs
// from unicode.IsSpace on U+FEFF (space to JavaScript) and U+0085 (not).
func trim(s string) string {
	start, end := 0, len(s)
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:end])
		if !isSpace(r) {
			break
		}
		start += n
	}
	for start < end {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !isSpace(r) {
			break
		}
		end -= n
	}
	return s[start:end]
}

func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', '\ufeff', '\u2028', '\u2029':
		return true
	}
	return unicode.Is(unicode.Zs, r)
}
