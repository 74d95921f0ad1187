package annotate

import (
	"bufio"
	"io"
)

// errWriter buffers output and remembers the first write error, so the
// formatters can write line by line and check for failure once at the end.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func newErrWriter(w io.Writer) *errWriter { return &errWriter{w: bufio.NewWriter(w)} }

func (e *errWriter) str(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// flush writes out buffered output and returns the first error seen.
func (e *errWriter) flush() error {
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}
