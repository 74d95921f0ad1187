package annotate

import (
	"path/filepath"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/pathx"
)

// Relativize returns a copy of fs whose file paths are relative to repoRoot
// and use forward slashes, as GitHub annotations and SARIF need. A relative
// path is taken relative to workDir (the directory the tool ran in; empty
// means repoRoot). A path outside repoRoot cannot be linked to the
// repository, so it is left absolute rather than given "../" segments that
// would escape the root. With an empty repoRoot paths are only cleaned. It
// does not touch the file system.
func Relativize(fs diag.Findings, repoRoot, workDir string) diag.Findings {
	out := make(diag.Findings, len(fs))
	for i, f := range fs {
		f.Range.File = relativePath(f.Range.File, repoRoot, workDir)
		out[i] = f
	}
	return out
}

func relativePath(file, root, workDir string) string {
	if file == "" {
		return ""
	}
	if root == "" {
		return filepath.ToSlash(filepath.Clean(file))
	}
	if workDir == "" {
		workDir = root
	} else if !filepath.IsAbs(workDir) {
		workDir = filepath.Join(root, workDir)
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(workDir, file)
	}
	rel, _ := pathx.Rel(root, abs)
	return rel
}
