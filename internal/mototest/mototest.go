// Package mototest runs moto_server, the AWS emulator, on loopback for
// tests that need a real CloudFormation API: one server per call, stopped
// when the test ends. Without moto_server on PATH the test is skipped.
package mototest

import (
	"bufio"
	"io"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// Start runs moto_server on a free loopback port and returns its URL (for
// AWS_ENDPOINT_URL); it is killed when t ends.
func Start(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server not found on PATH; skipping the emulator test")
	}
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", "0")
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Skipf("moto_server did not start: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go scanForURL(out, found)
	select {
	case u := <-found:
		return u
	case <-time.After(20 * time.Second):
		t.Skip("moto_server printed no address within 20s")
	}
	return ""
}

// scanForURL reports the address in Flask's " * Running on http://..." line
// and keeps draining the output so the server never blocks on a full pipe.
func scanForURL(r io.Reader, found chan<- string) {
	re := regexp.MustCompile(`Running on (http://127\.0\.0\.1:\d+)`)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			select {
			case found <- m[1]:
			default:
			}
		}
	}
}
