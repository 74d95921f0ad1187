package mototest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill moto_server when the test binary
// exits or dies without running its cleanup (a panic or -timeout).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
