package vars

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
)

func zeroRange() diag.Range { return diag.Range{} }

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
