package annotate

import (
	"bytes"
	"errors"
)

type bytesBuffer = bytes.Buffer

// failWriter fails every write, to check that errors reach the caller.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
