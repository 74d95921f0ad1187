package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stream-events/stream-events/internal/cli"
	"github.com/stream-events/stream-events/internal/exit"
)

// FuzzCLI runs whole commands (lint, and compile in both modes) on arbitrary
// configs: every path from the loader to the encoder must turn bad input
// into findings and an exit status, never a panic.
func FuzzCLI(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/cases/*/serverless.yml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFS{"serverless.yml": data}
		for _, args := range [][]string{{"lint", "--format", "sarif"}, {"compile"}, {"compile", "--mode", "serverless"}} {
			code := cli.Main(context.Background(), cli.Env{Args: args, Stdout: io.Discard, Stderr: io.Discard, Dir: "/bench", FS: files,
				Getenv: func(string) (string, bool) { return "", false }})
			if code != exit.OK && code != exit.Findings {
				t.Fatalf("%v exited %d", args, code)
			}
		}
	})
}
