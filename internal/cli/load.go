package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/vars"
)

// configFlags are the flags every command that reads a config shares.
type configFlags struct {
	config string
	stage  string
	region string
	opts   keyValues
	params keyValues
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "c", "", "config `file` (default: serverless.yml, .yaml or .json in the working directory)")
	fs.StringVar(&c.config, "config", "", "same as -c")
	fs.StringVar(&c.stage, "stage", "", "stage (default: provider.stage, then dev)")
	fs.StringVar(&c.region, "region", "", "region (default: provider.region, then us-east-1)")
	c.opts.name, c.params.name = "--opt", "--param"
	fs.Var(&c.opts, "opt", "an option for ${opt:key}, as `key=value` (repeatable)")
	fs.Var(&c.params, "param", "a parameter for ${param:key}, as `key=value` (repeatable)")
}

// errHelp means -h was asked for and answered.
var errHelp = flag.ErrHelp

func newFlagSet(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: stream-events %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return usagef("%s", err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// loadConfig finds and loads the config with its variables resolved.
func loadConfig(env Env, c *configFlags, remote vars.Remote, ctx context.Context) (*loader.Config, error) {
	// Paths stay relative to the working directory, as the user wrote them:
	// they name the files in every finding.
	if err := compile.CheckOptions(c.stage, c.region); err != nil {
		return nil, usagef("%s", err)
	}
	path, err := loader.Find("", c.config, func(p string) bool { return env.FS.Stat(absPath(env.Dir, p)) })
	if err != nil {
		return nil, usagef("%s", err)
	}
	opts := map[string]string{}
	for k, v := range c.opts.m {
		opts[k] = v
	}
	cfg, err := loader.Load(path, vars.Options{
		Stage:      c.stage,
		Region:     c.region,
		Opts:       opts,
		Params:     c.params.m,
		Getenv:     env.Getenv,
		ReadFile:   confinedReader(env),
		ServiceDir: filepath.Dir(path),
		Root:       relRoot(env),
		Remote:     remote,
		Ctx:        ctx,
	})
	if err != nil {
		return nil, ioError(err)
	}
	return cfg, nil
}

// errOutsideRoot refuses a file that is, or links to, something outside the
// repository: ${file()} must not read the runner's secrets into a template.
var errOutsideRoot = errors.New("the file is outside the repository root (through a symbolic link)")

// confinedReader reads files relative to the working directory and refuses
// any whose real path (symbolic links followed) leaves the repository root.
// The resolver already refuses "../" paths; links are checked here, where
// the real file system is known.
func confinedReader(env Env) func(string) ([]byte, error) {
	root, err := filepath.EvalSymlinks(repoRoot(env))
	if err != nil {
		root = repoRoot(env)
	}
	return func(p string) ([]byte, error) {
		abs := absPath(env.Dir, p)
		if _, isOS := env.FS.(OSFS); isOS && root != "" {
			real, err := filepath.EvalSymlinks(abs)
			if err != nil {
				return nil, err
			}
			if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return nil, errOutsideRoot
			}
		}
		return env.FS.ReadFile(abs)
	}
}

// relRoot is the repository root relative to the working directory.
func relRoot(env Env) string {
	root := repoRoot(env)
	if rel, err := filepath.Rel(env.Dir, root); err == nil && env.Dir != "" {
		return rel
	}
	return root
}

func absPath(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// repoRoot bounds ${file(...)}: the workspace in Actions, else the working
// directory's git root, else the working directory.
func repoRoot(env Env) string {
	if ws, ok := env.Getenv("GITHUB_WORKSPACE"); ok && ws != "" && env.Dir != "" && strings.HasPrefix(env.Dir, ws) {
		return ws
	}
	for d := env.Dir; d != "" && d != "/" && d != "."; d = filepath.Dir(d) {
		if env.FS.Stat(filepath.Join(d, ".git", "HEAD")) {
			return d
		}
	}
	return env.Dir
}

// printFindings writes findings in the canonical one-line form.
func printFindings(w io.Writer, fs diag.Findings) {
	for _, f := range fs.Sorted() {
		fmt.Fprintln(w, f.String())
	}
}
