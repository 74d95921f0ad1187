//go:build !unix

package action

import "io/fs"

func owner(fs.FileInfo) string { return "" }
