//go:build !unix

package cli

// chownLike does nothing where files have no Unix owner.
func chownLike(root, p string) {}
