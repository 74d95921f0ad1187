package action

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/stream-events/stream-events/internal/confine"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/pathx"
)

// workspace is where the Action may read and write: the repository
// checkout (GITHUB_WORKSPACE) and the runner's temp directory.
type workspace struct {
	root string // absolute; findings and outputs are relative to it
	temp string // RUNNER_TEMP, absolute, or ""
}

func newWorkspace(env Env) workspace {
	ws := workspace{root: env.Dir}
	if v, ok := env.Getenv("GITHUB_WORKSPACE"); ok && v != "" {
		ws.root = files.Abs(env.Dir, v)
	}
	if v, ok := env.Getenv("RUNNER_TEMP"); ok && v != "" {
		ws.temp = files.Abs(env.Dir, v)
	}
	ws.root = filepath.Clean(ws.root)
	return ws
}

// resolve turns an input path into an absolute one inside the workspace,
// or inside RUNNER_TEMP when allowTemp is set. Relative paths are taken
// from the workspace. Absolute paths elsewhere, ".." escapes and symbolic
// links that lead out are refused: the Action runs as root and must not
// read or write anywhere a workflow input points it to.
func (ws workspace) resolve(input, p string, allowTemp bool) (string, error) {
	return ws.check(input, p, allowTemp, filepath.Clean(files.Abs(ws.root, p)))
}

// resolveFile is resolve for a file the Action writes: its directory is
// checked here, and the file itself where it is written (see writeFile),
// so a link the repository holds at its path fails that file alone.
func (ws workspace) resolveFile(input, p string) (string, error) {
	abs := filepath.Clean(files.Abs(ws.root, p))
	if _, err := ws.check(input, p, true, filepath.Dir(abs)); err != nil {
		return "", err
	}
	return abs, nil
}

func (ws workspace) check(input, p string, allowTemp bool, abs string) (string, error) {
	roots := []string{ws.root}
	if allowTemp && ws.temp != "" {
		roots = append(roots, ws.temp)
	}
	for _, r := range roots {
		if _, err := confine.Resolve(r, abs); err == nil {
			return abs, nil
		}
	}
	where := "the workspace (" + ws.root + ")"
	if allowTemp && ws.temp != "" {
		where += " or RUNNER_TEMP (" + ws.temp + ")"
	}
	return "", exit.Usagef("input %s: %q is outside %s; give a path inside it", input, p, where)
}

// rootOf is the root a file the Action writes is confined to: the
// workspace or RUNNER_TEMP, whichever holds p (the deeper one when one
// holds the other).
func (ws workspace) rootOf(p string) string {
	if ws.temp != "" && pathx.Within(ws.temp, p) && (!pathx.Within(ws.root, p) || pathx.Within(ws.root, ws.temp)) {
		return ws.temp
	}
	return ws.root
}

// rel returns p relative to the workspace with forward slashes, the form
// GitHub wants in annotations, SARIF and outputs. A path outside the
// workspace (RUNNER_TEMP) stays absolute.
func (ws workspace) rel(p string) string {
	r, _ := pathx.Rel(ws.root, p)
	return r
}

// skipDirs are never searched by a glob unless the pattern names them:
// dependencies and build output hold serverless.yml files of their own.
var skipDirs = []string{"node_modules", ".serverless", ".git"}

// expandConfigs turns the config input's lines into workspace-relative
// config paths, sorted and without duplicates. A line without glob
// characters is a plain path (the default "serverless.yml" also finds
// serverless.yaml and serverless.json, as the CLI does).
func expandConfigs(ws workspace, workDir string, patterns []string, stat func(string) bool) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, pat := range patterns {
		paths, err := expandOne(ws, workDir, pat, stat)
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func expandOne(ws workspace, workDir, pat string, stat func(string) bool) ([]string, error) {
	if !hasMeta(pat) {
		p, err := findConfig(workDir, pat, stat)
		if err != nil {
			return nil, err
		}
		if configKind(p) == notConfig {
			return nil, exit.Usagef("input config: %s is not a serverless.yml, .yaml or .json file", pat)
		}
		abs, err := ws.resolve("config", filepath.Join(workDir, p), false)
		if err != nil {
			return nil, err
		}
		return []string{ws.rel(abs)}, nil
	}
	pat = path.Clean(filepath.ToSlash(pat))
	if !doublestar.ValidatePattern(pat) || strings.HasPrefix(pat, "/") || strings.HasPrefix(pat, "../") || pat == ".." {
		return nil, exit.Usagef("input config: %q is not a valid glob relative to the working directory", pat)
	}
	var out []string
	usable := 0
	err := doublestar.GlobWalk(os.DirFS(workDir), pat, func(p string, d fs.DirEntry) error {
		if skipped(p, pat) || d.IsDir() {
			return nil
		}
		abs, err := ws.resolve("config", filepath.Join(workDir, filepath.FromSlash(p)), false)
		if err != nil {
			return nil // a symbolic link out of the workspace is not a config of this repository
		}
		out = append(out, ws.rel(abs))
		if configKind(p) != notConfig {
			usable++
		}
		return nil
	}, doublestar.WithNoFollow()) // a linked directory may loop, or lead out of the workspace
	if err != nil {
		return nil, exit.With(exit.IO, fmt.Errorf("search %q: %w", pat, err))
	}
	if usable == 0 {
		return nil, exit.Usagef("input config: no serverless.yml, .yaml or .json file matches %q in %s", pat, ws.rel(workDir))
	}
	return out, nil
}

// What a file a glob matched is to the Action.
const (
	notConfig     = iota // another file (README.md, handler.js): skipped with a warning
	staticConfig         // YAML or JSON: loaded
	dynamicConfig        // serverless.js or .ts: an error, it cannot be read statically
)

// configKind tells by its name what a matched file is: a glob such as
// "**/*" also matches the repository's other files, each of which is a
// finding of its own rather than a failed step.
func configKind(p string) int {
	ext := pathExt(p)
	switch ext {
	case ".yml", ".yaml", ".json":
		return staticConfig
	case ".js", ".mjs", ".cjs", ".ts":
		if strings.TrimSuffix(path.Base(p), ext) == "serverless" {
			return dynamicConfig
		}
	}
	return notConfig
}

// findConfig applies the CLI's rule for a plain path: the default name
// also finds serverless.yaml and serverless.json.
func findConfig(workDir, p string, stat func(string) bool) (string, error) {
	if p == actionDefaults["config"] && !stat(filepath.Join(workDir, p)) {
		for _, alt := range []string{"serverless.yaml", "serverless.json"} {
			if stat(filepath.Join(workDir, alt)) {
				return alt, nil
			}
		}
	}
	if !stat(filepath.Join(workDir, p)) {
		return "", exit.Usagef("input config: %s not found in %s", p, workDir)
	}
	return p, nil
}

func hasMeta(p string) bool { return strings.ContainsAny(p, "*?[{") }

// skipped reports whether p lies in a directory of skipDirs that the
// pattern does not name.
func skipped(p, pat string) bool {
	for _, seg := range strings.Split(path.Dir(p), "/") {
		for _, d := range skipDirs {
			if seg == d && !strings.Contains(pat, d) {
				return true
			}
		}
	}
	return false
}
