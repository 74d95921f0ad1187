package mototest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill moto_server when the test binary
// exits, since nothing else stops it.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
