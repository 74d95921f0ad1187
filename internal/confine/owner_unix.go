//go:build unix

package confine

import (
	"os"
	"syscall"
)

// owner is the user and group to give new files: the root directory's,
// when the process is the superuser and the root belongs to someone else.
func owner(r *os.Root) (uid, gid int, ok bool) {
	if os.Geteuid() != 0 {
		return 0, 0, false
	}
	fi, err := r.Stat(".")
	if err != nil {
		return 0, 0, false
	}
	st, isUnix := fi.Sys().(*syscall.Stat_t)
	if !isUnix || st.Uid == 0 {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}
