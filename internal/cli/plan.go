package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stream-events/stream-events/internal/awssession"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/plan"
	"github.com/stream-events/stream-events/internal/stackread"
	"github.com/stream-events/stream-events/internal/textsafe"
)

type planFlags struct {
	configFlags
	mode    string
	against string
	stack   string
	format  string
	out     string
}

const planSynopsis = "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--mode serverless|standalone] " +
	"[--against TEMPLATE | --stack NAME] [--format text|json|markdown] [-o FILE]"

func parsePlanFlags(env Env, args []string) (planFlags, error) {
	var f planFlags
	fs := newFlagSet(env, "plan", planSynopsis)
	f.register(fs)
	fs.StringVar(&f.mode, "mode", pipeline.Serverless, "`serverless` (what serverless deploy puts in its stack) or standalone (the stream stack deploy creates)")
	fs.StringVar(&f.against, "against", "", "compare with this `template` (JSON or YAML: serverless package output, an artifact, a GetTemplate answer)")
	fs.StringVar(&f.stack, "stack", "", "compare with the template of this deployed `stack` (default: provider.stackName or <service>-<stage>; standalone: <service>-<stage>-streams)")
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json or markdown")
	fs.StringVar(&f.out, "o", "", "write the plan to `file` instead of stdout")
	if err := parseFlags(fs, args); err != nil {
		return f, err
	}
	switch {
	case f.mode != pipeline.Serverless && f.mode != pipeline.Standalone:
		return f, exit.Usagef("--mode must be serverless or standalone, not %q", f.mode)
	case f.format != "text" && f.format != "json" && f.format != "markdown":
		return f, exit.Usagef("--format must be text, json or markdown, not %q", f.format)
	case f.against != "" && f.stack != "":
		return f, exit.Usagef("give --against or --stack, not both")
	}
	return f, nil
}

// runPlan compares the compiled stream resources with a template file or a
// deployed stack: the plan goes to stdout, findings and notes to stderr.
// It exits 1 when a hazard is an error: the deploy would fail or lose
// access.
func runPlan(ctx context.Context, env Env, args []string) error {
	f, err := parsePlanFlags(env, args)
	if err != nil {
		return err
	}
	var cfg *loader.Config
	var previous pipeline.Previous
	if f.against != "" {
		if cfg, err = pipeline.Load(ctx, f.request(env), "", nil); err != nil {
			return err
		}
		previous = func(*compile.Service) (string, []byte, error) {
			data, err := env.FS.ReadFile(files.Abs(env.Dir, f.against))
			if err != nil {
				return "", nil, fmt.Errorf("read --against template: %w", err)
			}
			return f.against, data, nil
		}
	} else {
		sess := awssession.New(env.Getenv, nil, nil)
		if cfg, err = pipeline.Load(ctx, f.request(env), sess.EnvRegion(), sess.RemoteFor(ctx, true, "")); err != nil {
			return err
		}
		previous = f.deployed(ctx, env, sess, cfg)
	}
	res, err := pipeline.Plan(cfg, pipeline.Options{Mode: f.mode}, previous)
	printFindings(env.Stderr, res.Findings)
	if err != nil {
		return err
	}
	if res.Plan == nil {
		return exit.ErrFindings
	}
	if err := f.write(env, res.Plan); err != nil {
		return err
	}
	if res.Plan.HasErrors() {
		return exit.ErrFindings
	}
	return nil
}

// deployed reads the template of the deployed stack; a stack that does
// not exist yet is nothing deployed.
func (f planFlags) deployed(ctx context.Context, env Env, sess *awssession.Session, cfg *loader.Config) pipeline.Previous {
	return func(svc *compile.Service) (string, []byte, error) {
		stack := f.stack
		if stack == "" {
			stack = pipeline.PlanStackName(cfg, svc, f.mode)
		}
		awsCfg, err := sess.Config(ctx, cfg.Region, "")
		if err != nil {
			return "", nil, err
		}
		data, err := stackread.NewFromConfig(awsCfg).Template(ctx, stack)
		var nf *stackread.StackNotFoundError
		if errors.As(err, &nf) {
			fmt.Fprintf(env.Stderr, "stack %s does not exist in %s: planning against nothing deployed\n", textsafe.Line(stack), textsafe.Line(cfg.Region))
			return stack, nil, nil
		}
		if err != nil {
			if missing := noCredentials(ctx, awsCfg, "read the template of stack "+stack+" in "+cfg.Region,
				", or compare with a template file instead (--against TEMPLATE)"); missing != nil {
				return "", nil, missing
			}
			return "", nil, err
		}
		fmt.Fprintf(env.Stderr, "comparing with stack %s in %s\n", textsafe.Line(stack), textsafe.Line(cfg.Region))
		return "stack " + stack, data, nil
	}
}

// noCredentials is the error for a command that needs AWS when the
// environment gives no credentials at all (the SDK's own error names only
// its last attempt, the instance metadata service), or nil when there are
// some. doing says what needed them; instead, what else the user can do.
func noCredentials(ctx context.Context, awsCfg aws.Config, doing, instead string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if deploy.HasCredentials(ctx, awsCfg) {
		return nil
	}
	return exit.With(exit.IO, fmt.Errorf("no AWS credentials to %s: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY%s", doing, instead))
}

func (f planFlags) write(env Env, p plan.Plan) error {
	var buf bytes.Buffer
	var err error
	switch f.format {
	case "json":
		err = plan.WriteJSON(&buf, p)
	case "markdown":
		err = plan.WriteMarkdown(&buf, p)
	default:
		err = plan.WriteText(&buf, p)
	}
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := env.FS.WriteFile(files.Abs(env.Dir, f.out), buf.Bytes()); err != nil {
			return fmt.Errorf("write plan: %w", err)
		}
		return nil
	}
	_, err = io.Copy(env.Stdout, &buf)
	return err
}
