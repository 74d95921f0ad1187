package vars

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// textRange is the range of bytes start..end of n's string. The node's
// range tells how the scalar was written: on one line and exactly as long
// as its value (plain) or two longer (quoted, without escapes), offsets map
// to columns; otherwise (block scalars, escapes, folded lines) the node's
// own start is the best position there is.
func textRange(n *node.Node, start, end int) diag.Range {
	r := n.Range
	if r.Start.Line == 0 || r.End.Line != r.Start.Line || start < 0 || end > len(n.Str) || start > end {
		return r
	}
	width := r.End.Col - r.Start.Col
	runes := runeCount(n.Str)
	col := r.Start.Col
	switch width {
	case runes:
	case runes + 2:
		col++
	default:
		return r
	}
	out := diag.Range{File: r.File}
	out.Start = diag.Pos{Line: r.Start.Line, Col: col + runeCount(n.Str[:start])}
	out.End = diag.Pos{Line: r.Start.Line, Col: col + runeCount(n.Str[:end])}
	return out
}
