package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/stream-events/stream-events/internal/awssession"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/textsafe"
	"github.com/stream-events/stream-events/internal/vars"
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

// remoteFor gives the resolver of ${ssm:}, ${cf:}, ${s3:} and
// ${aws:accountId} when the job has AWS credentials, as deploy and the
// Action use them, so every command sees the same values; nil with
// --offline (a fallback then stands in, else the variable stays
// unresolved).
func remoteFor(ctx context.Context, env Env, offline bool) func(region string) vars.Remote {
	if offline {
		return nil
	}
	return awssession.New(env.Getenv, nil, nil).RemoteFor(ctx, false, "")
}

// printFindings writes findings in the canonical one-line form, with
// workflow commands in their values defused (textsafe.Neutralize).
func printFindings(w io.Writer, fs diag.Findings) {
	for _, f := range fs.Sorted() {
		fmt.Fprintln(w, textsafe.Neutralize(f.String()))
	}
}
