//go:build unix

package action

import (
	"os"
	"path/filepath"
	"syscall"
)

// chownLike gives files the Action creates to the owner of the workspace.
// The container runs as root (the runner mounts the workspace and command
// files for root), and root-owned files in the checkout break later steps
// and the next checkout on self-hosted runners (actions/runner#434,
// #1282). Best effort: a failure leaves the file as it is.
func chownLike(root, p string) {
	if os.Geteuid() != 0 {
		return
	}
	fi, err := os.Stat(root)
	if err != nil {
		return
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Uid == 0 {
		return
	}
	// The file and every directory made for it, up to the root.
	for ; within(root, p) && p != root; p = filepath.Dir(p) {
		_ = os.Lchown(p, int(st.Uid), int(st.Gid))
	}
}
