package annotate

import (
	"io"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// tabWidth is the tab stop used to expand tabs in snippets. Tabs are expanded
// by us, not the terminal, so the underline lines up whatever the terminal's
// tab setting is.
const tabWidth = 8

// ANSI SGR sequences, using actionlint's palette; severities take gcc's
// (error red, warning magenta, notice cyan), apart from the yellow file name.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
	ansiGray    = "\x1b[90m"
)

var severityColor = map[diag.Severity]string{diag.Error: ansiBold + ansiRed, diag.Warning: ansiBold + ansiMagenta, diag.Notice: ansiBold + ansiCyan}

// WriteText writes findings in actionlint's format with the severity: a line
// "file:line:col: severity: message [rule]", then, when src holds the file, the source
// line with a "^~~~" underline beneath the finding's span. src maps
// Range.File to the file's bytes. Columns in findings count Unicode code
// points; the underline is placed by display width, so tabs, multi-byte and
// East Asian wide characters before or inside the span keep it aligned. A
// span running past its first line is underlined to the end of that line.
// ANSI colours are written only when color is true. Workflow commands in
// the text are defused (textsafe.Neutralize), with zero-width spaces. A
// totals line ends the output, also when there is no finding, so a clean run
// says so.
func WriteText(w io.Writer, fs diag.Findings, src map[string][]byte, color bool) error {
	ew := newErrWriter(w)
	lines := newSourceLines(src)
	// A fixed width table: the package default follows the locale
	// (RUNEWIDTH_EASTASIAN, LANG), which would make output machine-dependent.
	width := &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}
	for _, f := range fs.Sorted() {
		writeTextFinding(ew, f, lines, width, color)
	}
	ew.str(Totals(fs, src) + "\n")
	return ew.flush()
}

// Totals is the line that ends text output: "2 errors, 1 warning, 0 notices
// in 1 file", or "no problems found in 1 file". The files are those read
// (src) and those findings name, which may not have been read.
func Totals(fs diag.Findings, src map[string][]byte) string {
	names := make(map[string]bool, len(src))
	for name := range src {
		names[name] = true
	}
	for _, f := range fs {
		if f.Range.File != "" {
			names[f.Range.File] = true
		}
	}
	in := " in " + diag.Plural(len(names), "file", "files")
	if len(fs) == 0 {
		return "no problems found" + in
	}
	return diag.Totals(fs.Count(diag.Error), fs.Count(diag.Warning), fs.Count(diag.Notice)) + in
}

func writeTextFinding(ew *errWriter, f diag.Finding, lines *sourceLines, width *runewidth.Condition, color bool) {
	p := painter(color)
	r := f.Range
	// Findings quote the user's YAML; in a runner's log a line of it could
	// otherwise be a workflow command (##[error], ::add-mask::).
	ew.str(textsafe.Neutralize(p(ansiYellow, oneLine(r.File))+p(ansiGray, ":")+strconv.Itoa(r.Start.Line)+
		p(ansiGray, ":")+strconv.Itoa(r.Start.Col)+p(ansiGray, ": ")+
		severity(p, f.Severity)+
		p(ansiBold, oneLine(f.Message))+p(ansiGray, " ["+oneLine(f.Rule)+"]")) + "\n")
	line, ok := lines.line(r.File, r.Start.Line)
	if !ok || r.Start.Col < 1 {
		return
	}
	seg, first, cutBefore, cutAfter := snippetWindow(lines, r, line)
	text, cells := displayLine(seg, width)
	mark := underline(shiftCols(r, first-1), cells)
	if cutBefore {
		text, mark = ellipsis+text, " "+mark
	}
	if cutAfter {
		text += ellipsis
	}
	lnum := strconv.Itoa(r.Start.Line)
	gutter := strings.Repeat(" ", len(lnum)+1)
	ew.str(p(ansiGray, gutter+"|") + "\n")
	ew.str(textsafe.Neutralize(p(ansiGray, lnum+" | ")+text) + "\n") // zero-width: the underline stays aligned
	ew.str(p(ansiGray, gutter+"| ") + p(ansiGreen, mark) + "\n")
}

// A snippet line longer than snippetMax code points is cut to snippetWidth
// of them, starting snippetBefore before the finding's column, with an
// ellipsis where text is left out: a multi-megabyte line (minified JSON, a
// hostile value) would otherwise be printed, and underlined, in full.
const (
	snippetMax    = 160
	snippetWidth  = 120
	snippetBefore = 40
	ellipsis      = "…"
)

// severity is the header's "error: " part, left out for a finding without
// severity.
func severity(p func(style, s string) string, s diag.Severity) string {
	if s == 0 {
		return ""
	}
	return p(severityColor[s], s.String()) + p(ansiGray, ": ")
}

// snippetWindow returns the part of line to print for r: its text, the
// code-point column at which it starts, and whether text was left out
// before and after it.
func snippetWindow(lines *sourceLines, r diag.Range, line []byte) (string, int, bool, bool) {
	if len(line) <= snippetMax {
		return string(line), 1, false, false
	}
	offset, n := lines.codePoints(r.File, r.Start.Line, line)
	if n <= snippetMax {
		return string(line), 1, false, false
	}
	lo := max(min(r.Start.Col-1, n)-snippetBefore, 0)
	hi := min(lo+snippetWidth, n)
	lo = max(min(lo, hi-snippetWidth), 0)
	return string(line[offset(lo):offset(hi)]), lo + 1, lo > 0, hi < n
}

// shiftCols moves r's columns on its first line by -by, for a snippet that
// starts by code points into the line.
func shiftCols(r diag.Range, by int) diag.Range {
	r.Start.Col -= by
	if r.End.Line == r.Start.Line {
		r.End.Col -= by
	}
	return r
}

// painter returns a function wrapping text in an ANSI style, or returning it
// unchanged when colour is off.
func painter(color bool) func(style, s string) string {
	if !color {
		return func(_, s string) string { return s }
	}
	return func(style, s string) string { return style + s + ansiReset }
}

// oneLine keeps the header on one line, which problem matchers and grep rely
// on, by spelling out line breaks in user-supplied text.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// displayLine prepares a source line for the terminal: tabs expand to the
// next tab stop and control characters become U+FFFD, so untrusted YAML can
// neither misalign the underline nor send escape sequences. cells[i] is the
// display column (0-based) where code point i starts; cells[len] is the
// line's total width.
func displayLine(line string, width *runewidth.Condition) (string, []int) {
	var b strings.Builder
	cells := make([]int, 0, len(line)+1)
	col := 0
	for _, r := range validUTF8(line) {
		cells = append(cells, col)
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			r = '\uFFFD'
		}
		b.WriteRune(r)
		col += width.RuneWidth(r)
	}
	return b.String(), append(cells, col)
}

// underline returns the "^~~~" marker for r, indented to the span's display
// column. cells comes from displayLine for the span's first line.
func underline(r diag.Range, cells []int) string {
	n := len(cells) - 1 // code points on the line
	start := r.Start.Col - 1
	if start > n {
		// The column points past the end of the line (e.g. a missing value):
		// put the caret where that column would be.
		return strings.Repeat(" ", cells[n]+start-n) + "^"
	}
	end := start
	switch {
	case r.End.Line > r.Start.Line:
		end = n
	case r.End.Line == r.Start.Line && r.End.Col > r.Start.Col:
		end = min(r.End.Col-1, n)
	}
	width := cells[end] - cells[start]
	return strings.Repeat(" ", cells[start]) + "^" + strings.Repeat("~", max(width-1, 0))
}
