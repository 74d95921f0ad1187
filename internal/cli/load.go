package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/pipeline"
)

// configFlags are the flags every command that reads a config shares.
type configFlags struct {
	config string
	stage  string
	region string
	opts   pipeline.KeyValues
	params pipeline.KeyValues
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "c", "", "config `file` (default: serverless.yml, .yaml or .json in the working directory)")
	fs.StringVar(&c.config, "config", "", "same as -c")
	fs.StringVar(&c.stage, "stage", "", "stage (default: provider.stage, then dev)")
	fs.StringVar(&c.region, "region", "", "region (default: provider.region, then us-east-1)")
	c.opts, c.params = pipeline.NewKeyValues("--opt"), pipeline.NewKeyValues("--param")
	fs.Var(&c.opts, "opt", "an option for ${opt:key}, as `key=value` (repeatable)")
	fs.Var(&c.params, "param", "a parameter for ${param:key}, as `key=value` (repeatable)")
}

// request is the pipeline's request for the config the flags name.
func (c *configFlags) request(env Env) pipeline.Request {
	return pipeline.Request{Config: c.config, Stage: c.stage, Region: c.region, Opts: c.opts, Params: c.params,
		Getenv: env.Getenv, Files: files.ForConfig(env.FS, env.Getenv, env.Dir, c.config)}
}

func newFlagSet(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: stream-events %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; -h answers with flag.ErrHelp, which exits 0.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return exit.Usagef("%s", err)
	}
	if fs.NArg() > 0 {
		return exit.Usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// printFindings writes findings in the canonical one-line form.
func printFindings(w io.Writer, fs diag.Findings) {
	for _, f := range fs.Sorted() {
		fmt.Fprintln(w, f.String())
	}
}
