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
	index map[string][]int // file → byte offset of the start of each line
}

func newSourceLines(src map[string][]byte) *sourceLines {
	return &sourceLines{src: src, index: map[string][]int{}}
}

// line returns the text of the 1-based line n of file without its line
// terminator. yaml.v3 counts "\r\n" as one break, so a trailing "\r" is
// dropped too; a lone "\r" is not treated as a break.
func (s *sourceLines) line(file string, n int) (string, bool) {
	b, ok := s.src[file]
	if !ok || n < 1 {
		return "", false
	}
	starts, ok := s.index[file]
	if !ok {
		starts = lineStarts(b)
		s.index[file] = starts
	}
	if n > len(starts) {
		return "", false
	}
	end := len(b)
	if n < len(starts) {
		end = starts[n] - 1 // the "\n" before the next line
	}
	l := bytes.TrimSuffix(b[starts[n-1]:end], []byte("\n")) // the last line's
	l = bytes.TrimSuffix(l, []byte("\r"))
	return string(l), true
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
