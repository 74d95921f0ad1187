package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stream-events/stream-events/internal/benchsvc"
)

var gcLine = regexp.MustCompile(`(?m)^gc \d+ @`)

// TestGCTuning runs compile on a service of 300 functions (about 17 MB
// allocated) with the collector traced: tuneGC leaves at most the one
// collection the runtime does during package initialisation, before main,
// where the default setting collects at 4, 8 and 16 MB; and a GOGC the
// user sets is kept.
func TestGCTuning(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "stream-events")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "serverless.yml"), benchsvc.Service(300), 0o644); err != nil {
		t.Fatal(err)
	}
	collections := func(env ...string) int {
		t.Helper()
		cmd := exec.Command(bin, "compile", "--mode", "serverless")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"GODEBUG=gctrace=1"}, env...)...)
		var trace bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &trace
		if err := cmd.Run(); err != nil {
			t.Fatalf("compile: %v\n%s", err, trace.Bytes())
		}
		return len(gcLine.FindAllIndex(trace.Bytes(), -1))
	}
	// The default setting collects 4 times here (at 4, 8 and 16 MB,
	// and during package initialisation); a cycle of the runtime's own
	// that overlaps the tuning can add one on a busy machine.
	if n := collections(); n > 2 {
		t.Errorf("compile of 300 functions collected %d times, want at most 2 (the one before main, and a cycle the runtime may start while main tunes)", n)
	}
	if n := collections("GOGC=50"); n < 3 {
		t.Errorf("with GOGC=50 set, compile of 300 functions collected %d times, want the user's setting (3 or more)", n)
	}
}
