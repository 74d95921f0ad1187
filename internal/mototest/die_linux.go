package mototest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill moto_server if the test binary dies
// without running its cleanup (a panic or -timeout).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
