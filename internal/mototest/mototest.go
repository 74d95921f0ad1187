// Package mototest runs moto_server (the AWS emulator) on loopback for
// tests: one shared by the tests of a package (URL), or one per test
// (Start). Tests skip when moto_server is not installed. It is test support: nothing outside tests imports it.
package mototest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"
)

var (
	once sync.Once
	url  string
)

// URL returns the endpoint of the process's moto_server, starting it on
// first use, or skips t when there is none. The server lives as long as
// the test binary (the kernel kills it with its parent on Linux).
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { url = start() })
	if url == "" {
		t.Skip("moto_server not found on PATH (or it did not start); skipping the emulator test")
	}
	return url
}

func start() string {
	path, err := exec.LookPath("moto_server")
	if err != nil {
		return ""
	}
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", "0")
	out, err := cmd.StderrPipe()
	if err != nil {
		return ""
	}
	cmd.Stdout = cmd.Stderr
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "moto_server did not start: %v\n", err)
		return ""
	}
	found := make(chan string, 1)
	go scanForURL(out, found)
	select {
	case u := <-found:
		return u
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		return ""
	}
}

// Start runs a moto_server of the test's own on a free loopback port and
// returns its URL (for AWS_ENDPOINT_URL); it is killed when t ends. Use it
// where a test needs an empty account; URL shares one server.
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
