package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/cli"
)

// memFS serves files from memory, so the benchmark measures the tool, not
// the disk.
type memFS map[string][]byte

func (m memFS) ReadFile(name string) ([]byte, error) {
	if b, ok := m[strings.TrimPrefix(name, "/bench/")]; ok {
		return b, nil
	}
	return nil, fs.ErrNotExist
}

func (m memFS) WriteFile(string, []byte) error { return errors.New("read-only") }

func (m memFS) Stat(name string) bool {
	_, ok := m[strings.TrimPrefix(name, "/bench/")]
	return ok
}

// BenchmarkCompile measures load + resolve + compile + encode of a service
// of 10, 100, 1000 and 5000 functions with 4 stream events each (5000
// shows the growth stays linear).
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 5000} {
		files := memFS{"serverless.yml": benchsvc.Service(n)}
		modes := []string{"serverless", "standalone"}
		if n > 10 {
			// A standalone stack of 100 or more such functions is over CloudFormation's
			// 500-resource quota, so standalone mode refuses it.
			modes = modes[:1]
		}
		for _, mode := range modes {
			b.Run(fmt.Sprintf("functions=%d/mode=%s", n, mode), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					code := cli.Main(context.Background(), cli.Env{
						Args:   []string{"compile", "--mode", mode},
						Stdout: io.Discard, Stderr: io.Discard, Dir: "/bench", FS: files,
						Getenv: func(string) (string, bool) { return "", false },
					})
					if code != 0 {
						b.Fatalf("exit %d", code)
					}
				}
			})
		}
	}
}
