package github

import (
	"strconv"
	"strings"
)

// AddedLines returns the lines of the new side that a unified diff patch
// (the patch of the pull request files API: hunks without file headers)
// adds, merged into ranges in ascending order. Context and removed lines
// are not changes of the new file.
func AddedLines(patch string) []LineRange {
	var out []LineRange
	line := 0
	inHunk := false
	for _, l := range strings.Split(patch, "\n") {
		if strings.HasPrefix(l, "@@") {
			start, ok := newStart(l)
			line, inHunk = start, ok
			continue
		}
		if !inHunk || l == "" {
			continue
		}
		switch l[0] {
		case '+':
			if n := len(out); n > 0 && out[n-1].End == line-1 {
				out[n-1].End = line
			} else {
				out = append(out, LineRange{line, line})
			}
			line++
		case ' ':
			line++
		case '-', '\\': // removed line; "\ No newline at end of file"
		}
	}
	return out
}

// newStart reads "@@ -a,b +c,d @@ section" and returns c.
func newStart(h string) (int, bool) {
	_, rest, ok := strings.Cut(h, " +")
	if !ok {
		return 0, false
	}
	end := strings.IndexAny(rest, ", ")
	if end < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(rest[:end])
	return n, err == nil
}
