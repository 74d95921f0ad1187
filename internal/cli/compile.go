package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/pipeline"
)

type compileFlags struct {
	configFlags
	mode     string
	base     string
	out      string
	strict   bool
	roleName string
	offline  bool
}

func runCompile(ctx context.Context, env Env, args []string) error {
	var f compileFlags
	fs := newFlagSet(env, "compile", "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--mode standalone|serverless] [--base FILE] [-o FILE] [--strict] [--role-name ROLE] [--offline]")
	f.register(fs)
	fs.StringVar(&f.mode, "mode", pipeline.Standalone, "`standalone` (a template that deploys on its own) or serverless (what Serverless v3 adds to its template)")
	fs.StringVar(&f.base, "base", "", "serverless mode: merge into this `template` (written by serverless package without stream events)")
	fs.StringVar(&f.out, "o", "", "write the template to `file` instead of stdout")
	fs.BoolVar(&f.strict, "strict", false, "fail on schema errors before compiling, as configValidationMode: error does")
	fs.StringVar(&f.roleName, "role-name", "", "standalone mode: attach the stream policy to this IAM `role` for every function")
	fs.BoolVar(&f.offline, "offline", false, "never call AWS: ${ssm:}, ${cf:}, ${s3:} and ${aws:accountId} take their fallback or stay unresolved (default: resolved with the AWS credentials the environment has, as deploy does)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.mode != pipeline.Standalone && f.mode != pipeline.Serverless {
		return exit.Usagef("--mode must be standalone or serverless, not %q", f.mode)
	}
	if f.base != "" && f.mode != pipeline.Serverless {
		return exit.Usagef("--base works with --mode serverless")
	}
	cfg, err := pipeline.Load(ctx, f.request(env), "", remoteFor(ctx, env, f.offline))
	if err != nil {
		return err
	}
	out, res, findings, err := pipeline.Compile(cfg, pipeline.Options{Mode: f.mode, Base: f.base, Strict: f.strict, RoleName: f.roleName,
		ReadBase: func(name string) ([]byte, error) { return env.FS.ReadFile(files.Abs(env.Dir, name)) }})
	if out != nil && f.mode == pipeline.Standalone {
		findings = append(findings, pipeline.ParameterNotes(res)...)
	}
	printFindings(env.Stderr, findings)
	if err != nil {
		return err
	}
	if out == nil {
		return exit.ErrFindings
	}
	return writeOutput(env, f.out, out, f.mode)
}

// writeOutput writes a template (see pipeline.Encode).
func writeOutput(env Env, path string, tpl *node.Node, mode string) error {
	if path == "" {
		err := pipeline.Encode(env.Stdout, tpl, mode)
		if err == nil {
			_, err = io.WriteString(env.Stdout, "\n")
		}
		return err
	}
	// Byte-identical with the file serverless package writes: no final newline.
	if err := writeFileStreamed(env.FS, files.Abs(env.Dir, path), tpl, mode); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// writeFileStreamed writes tpl to a file, streamed where the file system
// can (the real one), else whole.
func writeFileStreamed(fsys files.FS, path string, tpl *node.Node, mode string) error {
	c, ok := fsys.(interface {
		Create(string) (io.WriteCloser, error)
	})
	if !ok {
		return fsys.WriteFile(path, pipeline.Bytes(tpl, mode))
	}
	f, err := c.Create(path)
	if err != nil {
		return err
	}
	err = pipeline.Encode(f, tpl, mode)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
