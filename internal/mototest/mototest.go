// Package mototest starts one moto_server (the AWS emulator) on loopback
// for the tests of a package, on first use. Tests skip when moto_server is
// not installed. It is test support: nothing outside tests imports it.
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
