// Package pathx answers, without touching the file system, whether a path
// lies inside a root and what it is relative to that root. It is the one
// copy of that check: a hand-written "filepath.Rel and a '..' prefix" is
// easy to get wrong ("..foo" is inside, "../foo" is not), and pure
// packages need it too. Symbolic links are not seen here; package confine
// checks the real file system.
package pathx

import (
	"path/filepath"
	"strings"
)

// Within reports whether p is root or below it, lexically: both are
// cleaned, and an absolute path is never within a relative root or the
// other way round.
func Within(root, p string) bool {
	_, ok := Rel(root, p)
	return ok
}

// Rel returns p relative to root with forward slashes (the form findings,
// annotations and SARIF use; "." for root itself) and true when p is root
// or below it. Otherwise it returns p cleaned, with forward slashes, and
// false: a path outside the root keeps its own form rather than gaining
// "../" segments.
func Rel(root, p string) (string, bool) {
	root, p = filepath.Clean(root), filepath.Clean(p)
	if filepath.IsAbs(root) != filepath.IsAbs(p) {
		return filepath.ToSlash(p), false
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return filepath.ToSlash(p), false
	}
	return filepath.ToSlash(rel), true
}
