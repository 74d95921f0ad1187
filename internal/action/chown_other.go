//go:build !unix

package action

// chownLike does nothing where files have no Unix owner.
func chownLike(root, p string) {}
