package vars

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
)

func zeroRange() diag.Range { return diag.Range{} }

var (
	jsDecimal = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)
	jsRadix   = regexp.MustCompile(`^0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$`)
)

// jsNumber converts s as JavaScript's Number(s) does and reports whether
// the result is a number (not NaN): whitespace is trimmed, "" is 0, and
// hexadecimal, octal, binary and Infinity forms are accepted.
func jsNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, true
	case s == "Infinity" || s == "+Infinity":
		return math.Inf(1), true
	case s == "-Infinity":
		return math.Inf(-1), true
	case jsRadix.MatchString(s):
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]]
		f, err := strconv.ParseUint(s[2:], base, 64)
		if err != nil {
			// Too large for uint64: accumulate as a float like JavaScript.
			v := 0.0
			for _, c := range s[2:] {
				d, _ := strconv.ParseUint(string(c), base, 8)
				v = v*float64(base) + float64(d)
			}
			return v, true
		}
		return float64(f), true
	case jsDecimal.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// utf16Index converts a byte offset in s to the UTF-16 index JavaScript
// would report.
func utf16Index(s string, off int) int {
	if off > len(s) {
		off = len(s)
	}
	n := 0
	for _, r := range s[:off] {
		n += utf16.RuneLen(r)
	}
	return n
}

// utf16Len is JavaScript's string length.
func utf16Len(s string) int { return utf16Index(s, len(s)) }

// runeCount counts code points, the unit of diag.Pos columns.
func runeCount(s string) int { return utf8.RuneCountInString(s) }
