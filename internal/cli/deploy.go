package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/stream-events/stream-events/internal/account"
	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/awssession"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/textsafe"
)

type deployFlags struct {
	configFlags
	mode            string
	roleName        string
	stackName       string
	serverlessStack string // where the template's parameters take their values
	tags            pipeline.KeyValues
	parameters      pipeline.KeyValues // values for the standalone template's Parameters
	settings        deploy.Input       // the stack settings of every deploy
	noPreflight     bool
}

const deploySynopsis = "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--stack-name NAME] [--mode preview|execute] " +
	"[--tag k=v]... [--parameter K=V]... [--serverless-stack NAME] [--role-arn ARN] [--role-name ROLE] [--s3-bucket B] [--timeout D] " +
	"[--termination-protection] [--disable-rollback] [--keep-change-set] [--no-preflight]"

func parseDeployFlags(env Env, args []string) (deployFlags, error) {
	var f deployFlags
	fs := newFlagSet(env, "deploy", deploySynopsis)
	f.register(fs)
	f.tags, f.parameters = pipeline.NewKeyValues("--tag"), pipeline.NewKeyValues("--parameter")
	fs.StringVar(&f.stackName, "stack-name", "", "stack `name` (default: <service>-<stage>-streams)")
	fs.StringVar(&f.serverlessStack, "serverless-stack", "", "the Serverless stack `name` the template's parameters are read from (default: provider.stackName, else <service>-<stage>)")
	fs.StringVar(&f.mode, "mode", "preview", "`preview` (create and describe a change set, then delete it) or execute")
	fs.Var(&f.tags, "tag", "a stack tag, as `key=value` (repeatable)")
	fs.Var(&f.parameters, "parameter", "a value for a template parameter, as `Name=value` (repeatable): the standalone template's parameters stand for resources of the Serverless stack")
	fs.StringVar(&f.settings.RoleARN, "role-arn", "", "CloudFormation service role `ARN` (default: the caller's credentials)")
	fs.StringVar(&f.roleName, "role-name", "", "attach the stream policy to this IAM `role` for every function")
	fs.StringVar(&f.settings.S3Bucket, "s3-bucket", "", "S3 `bucket` for templates over 51,200 bytes")
	f.settings.Timeout = deploy.DefaultTimeout
	fs.Var(durationFlag{&f.settings.Timeout}, "timeout", "give up after this `duration` (5m, 90s, 1h)")
	fs.BoolVar(&f.settings.TerminationProtection, "termination-protection", false, "enable termination protection on the stack")
	fs.BoolVar(&f.settings.DisableRollback, "disable-rollback", false, "keep resources of a failed execution for debugging")
	fs.BoolVar(&f.settings.KeepChangeSet, "keep-change-set", false, "preview: keep the change set for review in the console")
	fs.BoolVar(&f.noPreflight, "no-preflight", false, "skip the pre-flight checks of the account (functions, sources, roles, destinations, existing mappings) before the change set")
	if err := parseFlags(fs, args); err != nil {
		return f, err
	}
	if _, ok := deploy.ParseMode(f.mode); !ok {
		return f, exit.Usagef("--mode must be preview or execute, not %q", f.mode)
	}
	if f.settings.Timeout <= 0 {
		return f, exit.Usagef("--timeout must be positive, not %s", f.settings.Timeout)
	}
	f.settings.Tags = deploy.Tags(f.tags.Keys(), f.tags.Get)
	if f.stackName != "" && !deploy.ValidStackName(f.stackName) {
		return f, exit.Usagef("--stack-name %q is not a CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters", f.stackName)
	}
	return f, nil
}

// runDeploy deploys the standalone template of one config through a change
// set. Progress goes to stderr; the change table and the result to stdout.
func runDeploy(ctx context.Context, env Env, args []string) error {
	f, err := parseDeployFlags(env, args)
	if err != nil {
		return err
	}
	mode, _ := deploy.ParseMode(f.mode)
	sess := awssession.New(env.Getenv, nil, nil)
	// The config is read in the region the deploy will use: the flag, the
	// config's provider.region, else AWS_REGION.
	cfg, err := pipeline.Load(ctx, f.request(env), sess.EnvRegion(), sess.RemoteFor(ctx, true, ""))
	if err != nil {
		return err
	}
	tpl, stack, err := deployableTemplate(env, cfg, f)
	if err != nil {
		return err
	}
	awsCfg, err := sess.Config(ctx, cfg.Region, "")
	if err != nil {
		return err
	}
	if err := noCredentials(ctx, awsCfg, "deploy stack "+stack+" in "+cfg.Region,
		" (in GitHub Actions: the role-to-assume input, or aws-actions/configure-aws-credentials)"); err != nil {
		return err
	}
	acct := account.NewFromConfig(awsCfg)
	body, err := resolveParameters(ctx, env, cfg, tpl, f, acct)
	if err != nil {
		return err
	}
	if !f.noPreflight {
		if err := runPreflight(ctx, env, cfg, tpl, stack, f.serverlessStack, acct); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stderr, "%s stack %s in %s\n", mode, textsafe.Line(stack), textsafe.Line(cfg.Region))
	d := sess.Deployer(awsCfg, eventLog{w: env.Stderr}.sink)
	res, err := d.Deploy(ctx, f.settings.For(stack, body, mode))
	writeDeployResult(env.Stdout, mode, res, err)
	for _, l := range deploy.FailureLines(res) {
		fmt.Fprintf(env.Stderr, "failed: %s\n", textsafe.Line(l))
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("deploy of %s cancelled: %w", stack, err)
		}
		return err
	}
	return nil
}

// deployableTemplate lints and compiles the config and refuses to go on
// when any finding is an error.
func deployableTemplate(env Env, cfg *loader.Config, f deployFlags) (*pipeline.Template, string, error) {
	tpl, findings, err := pipeline.LintedTemplate(cfg, f.roleName, time.Now())
	_ = annotate.WriteText(env.Stderr, findings, cfg.Sources, env.StderrTerminal)
	if err != nil {
		return nil, "", err
	}
	if n := findings.Count(diag.Error); n > 0 || tpl == nil {
		return nil, "", exit.With(exit.Findings, fmt.Errorf("not deploying: %d error finding(s)", n))
	}
	stack := f.stackName
	if stack == "" {
		stack = pipeline.DefaultStackName(tpl.Result.Service)
	}
	return tpl, stack, nil
}

// resolveParameters fills the template's parameters (--parameter first,
// then the Serverless stack) and prints each value with its source.
func resolveParameters(ctx context.Context, env Env, cfg *loader.Config, tpl *pipeline.Template, f deployFlags, r pipeline.StackReader) ([]byte, error) {
	stack := f.serverlessStack
	if stack == "" {
		stack = pipeline.ServerlessStackName(tpl.Result.Service)
	}
	findings, err := tpl.Resolve(ctx, f.parameters, "--parameter", stack, r)
	if err != nil {
		return nil, err
	}
	if len(findings) > 0 {
		_ = annotate.WriteText(env.Stderr, findings, cfg.Sources, env.StderrTerminal)
		return nil, exit.With(exit.Findings, fmt.Errorf("not deploying: %d template parameter(s) without a value", len(findings)))
	}
	for _, v := range tpl.Values {
		fmt.Fprintf(env.Stdout, "Parameter %s = %s (from %s)\n", textsafe.Line(v.Name), textsafe.Line(v.Value), textsafe.Line(v.Source))
	}
	return tpl.Body(), nil
}

// writeDeployResult prints the change table and the stack's state; text
// from AWS or the config is neutralised (textsafe), as a run: step's log
// would act on it. A run stopped before the changes were known has no
// table: "No changes." would be a claim nobody checked.
func writeDeployResult(w io.Writer, mode deploy.Mode, res *deploy.Result, err error) {
	if res == nil {
		return
	}
	var b bytes.Buffer
	if res.ChangeSetName != "" && err == nil || len(res.Changes) > 0 {
		fmt.Fprintf(&b, "Change set %s for stack %s:\n", res.ChangeSetName, res.StackName)
		_ = deploy.WriteChangesTable(&b, res.Changes)
	}
	switch {
	case res.StackStatus != "":
		fmt.Fprintf(&b, "Stack %s: %s\n", res.StackName, res.StackStatus)
	case mode == deploy.Preview && res.ChangeSetType == "CREATE":
		// The preview deleted the REVIEW_IN_PROGRESS stub it created.
		fmt.Fprintf(&b, "Stack %s: does not exist yet (executing this change set creates it)\n", res.StackName)
	case mode == deploy.Execute:
		fmt.Fprintf(&b, "Stack %s: does not exist\n", res.StackName)
	}
	for _, o := range res.Outputs {
		fmt.Fprintf(&b, "Output %s = %s\n", textsafe.Line(o.Key), textsafe.Line(o.Value))
	}
	_, _ = io.WriteString(w, textsafe.Neutralize(b.String()))
}

// eventLog prints the deployer's live progress as plain text; text from AWS
// is kept to one line so it can never issue a workflow command.
type eventLog struct{ w io.Writer }

func (l eventLog) sink(e deploy.Event) {
	switch e.Kind {
	case deploy.EventGroupStart:
		fmt.Fprintf(l.w, "== %s\n", textsafe.Line(e.Message))
	case deploy.EventGroupEnd:
	case deploy.EventWarning:
		fmt.Fprintf(l.w, "warning: %s\n", textsafe.Line(e.Message))
	default:
		fmt.Fprintln(l.w, textsafe.Line(e.Message))
	}
}
