//go:build unix

package loader

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/confine"
	"github.com/stream-events/stream-events/internal/vars"
)

// TestLoadRefusesIrregular: a ${file()} of a named pipe used to wait
// forever for a writer; it is now a positioned finding, and so is a file
// over the size limit. A named pipe given as the configuration is an error.
func TestLoadRefusesIrregular(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"serverless.yml": "a: ${file(./pipe):k}\nb: ${file(./big.txt)}\n",
		"big.txt":        strings.Repeat("x", int(confine.MaxFileSize)+1),
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Skip(err)
	}
	chdir(t, dir)
	done := make(chan string)
	go func() {
		c, err := Load("serverless.yml", vars.Options{})
		if err != nil {
			done <- err.Error()
			return
		}
		got := ""
		for _, f := range c.Findings {
			got += f.String() + "\n"
		}
		_, err = Load("pipe", vars.Options{})
		done <- got + fmt.Sprint(err)
	}()
	select {
	case got := <-done:
		want := `serverless.yml:1:4: Cannot resolve variable at "a": Cannot parse "pipe": not a regular file (a named pipe) [variable-file]
serverless.yml:2:4: Cannot resolve variable at "b": Cannot parse "big.txt": larger than the 10 MiB limit [variable-file]
read configuration: read pipe: not a regular file (a named pipe)`
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load blocked on a named pipe")
	}
}
