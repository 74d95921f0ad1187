package annotate

import (
	"bytes"
	"unicode/utf8"
)

// sourceLines finds lines in the source files handed to a writer. It indexes
// each file once, on first use, so printing thousands of findings does not
// rescan the file for every one.
type sourceLines struct {
	src   map[string][]byte
	index map[string][]int    // file → byte offset of the start of each line
	runes map[lineKey][]int32 // long non-ASCII lines → byte offset of each code point
}

type lineKey struct {
	file string
	n    int
}

func newSourceLines(src map[string][]byte) *sourceLines {
	return &sourceLines{src: src, index: map[string][]int{}, runes: map[lineKey][]int32{}}
}

// line returns the text of the 1-based line n of file without its line
// terminator. yaml.v3 counts "\r\n" as one break, so a trailing "\r" is
// dropped too; a lone "\r" is not treated as a break. The bytes are the
// file's own: callers must not change them.
func (s *sourceLines) line(file string, n int) ([]byte, bool) {
	b, ok := s.src[file]
	if !ok || n < 1 {
		return nil, false
	}
	starts, ok := s.index[file]
	if !ok {
		starts = lineStarts(b)
		s.index[file] = starts
	}
	if n > len(starts) {
		return nil, false
	}
	end := len(b)
	if n < len(starts) {
		end = starts[n] - 1 // the "\n" before the next line
	}
	l := bytes.TrimSuffix(b[starts[n-1]:end], []byte("\n")) // the last line's
	l = bytes.TrimSuffix(l, []byte("\r"))
	return l, true
}

// codePoints returns a function giving the byte offset of code point i of
// line n (len(line) for i at or past the end) and the line's length in
// code points. A non-ASCII line is indexed once, so windowing many
// findings on one long line stays linear.
func (s *sourceLines) codePoints(file string, n int, line []byte) (func(i int) int, int) {
	if isASCII(line) {
		return func(i int) int { return min(max(i, 0), len(line)) }, len(line)
	}
	idx, ok := s.runes[lineKey{file, n}]
	if !ok {
		idx = make([]int32, 0, utf8.RuneCount(line))
		for i := 0; i < len(line); {
			idx = append(idx, int32(i))
			_, w := utf8.DecodeRune(line[i:])
			i += w
		}
		s.runes[lineKey{file, n}] = idx
	}
	return func(i int) int {
		if i >= len(idx) {
			return len(line)
		}
		return int(idx[max(i, 0)])
	}, len(idx)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lineStarts returns the byte offset at which every line of b starts. A final
// newline does not start an extra, empty line.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' && i+1 < len(b) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// validUTF8 replaces invalid UTF-8 so printing never emits broken sequences.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string(bytes.ToValidUTF8([]byte(s), []byte("\uFFFD")))
}
