package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/loader"
)

type deployFlags struct {
	configFlags
	deployOptions
	mode     string
	roleName string
}

const deploySynopsis = "[-c FILE] [--stage S] [--region R] [--opt k=v]... [--param k=v]... [--stack-name NAME] [--mode preview|execute] " +
	"[--tag k=v]... [--parameter K=V]... [--role-arn ARN] [--role-name ROLE] [--s3-bucket B] [--timeout D] " +
	"[--termination-protection] [--disable-rollback] [--keep-change-set]"

func parseDeployFlags(env Env, args []string) (deployFlags, error) {
	var f deployFlags
	fs := newFlagSet(env, "deploy", deploySynopsis)
	f.register(fs)
	f.tags.name, f.parameters.name = "--tag", "--parameter"
	fs.StringVar(&f.stackName, "stack-name", "", "stack `name` (default: <service>-<stage>-streams)")
	fs.StringVar(&f.mode, "mode", "preview", "`preview` (create and describe a change set, then delete it) or execute")
	fs.Var(&f.tags, "tag", "a stack tag, as `key=value` (repeatable)")
	fs.Var(&f.parameters, "parameter", "a value for a template parameter, as `Name=value` (repeatable): the standalone template's parameters stand for resources of the Serverless stack")
	fs.StringVar(&f.roleARN, "role-arn", "", "CloudFormation service role `ARN` (default: the caller's credentials)")
	fs.StringVar(&f.roleName, "role-name", "", "attach the stream policy to this IAM `role` for every function")
	fs.StringVar(&f.s3Bucket, "s3-bucket", "", "S3 `bucket` for templates over 51,200 bytes")
	fs.DurationVar(&f.timeout, "timeout", deploy.DefaultTimeout, "give up after this `duration`")
	fs.BoolVar(&f.termProtection, "termination-protection", false, "enable termination protection on the stack")
	fs.BoolVar(&f.disableRollback, "disable-rollback", false, "keep resources of a failed execution for debugging")
	fs.BoolVar(&f.keepChangeSet, "keep-change-set", false, "preview: keep the change set for review in the console")
	if err := parseFlags(fs, args); err != nil {
		return f, err
	}
	if _, ok := deploy.ParseMode(f.mode); !ok {
		return f, usagef("--mode must be preview or execute, not %q", f.mode)
	}
	if f.timeout <= 0 {
		return f, usagef("--timeout must be positive, not %s", f.timeout)
	}
	if f.stackName != "" && !deploy.ValidStackName(f.stackName) {
		return f, usagef("--stack-name %q is not a CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters", f.stackName)
	}
	return f, nil
}

// runDeploy deploys the standalone template of one config through a change
// set. Progress goes to stderr; the change table and the result to stdout.
func runDeploy(env Env, args []string) error {
	f, err := parseDeployFlags(env, args)
	if err != nil {
		return err
	}
	mode, _ := deploy.ParseMode(f.mode)
	sess := &awsSession{env: env, red: newRedactor(env.Getenv)}
	cfg, err := loadForDeploy(env, &f, sess)
	if err != nil {
		return err
	}
	body, stack, err := deployableTemplate(env, cfg, f)
	if err != nil {
		return err
	}
	awsCfg, err := sess.config(env.Ctx, cfg.Region, "")
	if err != nil {
		return ioError(err)
	}
	fmt.Fprintf(env.Stderr, "%s stack %s in %s\n", mode, stack, cfg.Region)
	d := newDeployer(env, awsCfg, eventLog{w: env.Stderr}.sink)
	res, err := d.Deploy(env.Ctx, f.input(stack, body, mode))
	writeDeployResult(env.Stdout, mode, res)
	for _, l := range failureLines(res) {
		fmt.Fprintf(env.Stderr, "failed: %s\n", oneLine(l))
	}
	if err != nil {
		if env.Ctx.Err() != nil {
			return ioError(fmt.Errorf("deploy of %s cancelled: %w", stack, err))
		}
		return ioError(err)
	}
	return nil
}

// loadForDeploy reads the config in the region the deploy will use: the
// flag, the config's provider.region, else AWS_REGION. Remote variables
// are resolved when credentials exist: the config is read offline first
// to learn its region.
func loadForDeploy(env Env, f *deployFlags, sess *awsSession) (*loader.Config, error) {
	cfg, err := loadConfig(env, &f.configFlags, nil, env.Ctx)
	if err != nil {
		return nil, err
	}
	again := false
	if r := envRegion(env); f.region == "" && r != "" && !hasProviderRegion(cfg) && r != cfg.Region {
		f.region, again = r, true
	}
	remote := sess.remoteFor(env.Ctx, true, "")(regionOr(f.region, cfg.Region))
	if remote == nil && !again {
		return cfg, nil
	}
	return loadConfig(env, &f.configFlags, remote, env.Ctx)
}

func regionOr(r, fallback string) string {
	if r != "" {
		return r
	}
	return fallback
}

// deployableTemplate lints and compiles the config and refuses to go on
// when any finding is an error.
func deployableTemplate(env Env, cfg *loader.Config, f deployFlags) ([]byte, string, error) {
	findings := lintConfig(cfg, time.Now())
	body, res, cf, err := standaloneTemplate(env, cfg, f.roleName, f.parameters, "--parameter")
	findings = append(findings, cf...).Sorted()
	_ = annotate.WriteText(env.Stderr, findings, cfg.Sources, env.StderrTerminal)
	if err != nil {
		return nil, "", err
	}
	if n := findings.Count(diag.Error); n > 0 || body == nil {
		return nil, "", &exitError{code: ExitFindings, err: fmt.Errorf("not deploying: %d error finding(s)", n)}
	}
	stack := f.stackName
	if stack == "" {
		stack = defaultStackName(res.Service)
	}
	return body, stack, nil
}

// writeDeployResult prints the change table and the stack's state.
func writeDeployResult(w io.Writer, mode deploy.Mode, res *deploy.Result) {
	if res == nil {
		return
	}
	if res.ChangeSetName != "" || len(res.Changes) > 0 {
		fmt.Fprintf(w, "Change set %s for stack %s:\n", res.ChangeSetName, res.StackName)
		_ = deploy.WriteChangesTable(w, res.Changes)
	}
	if mode == deploy.Execute || res.StackStatus != "" {
		fmt.Fprintf(w, "Stack %s: %s\n", res.StackName, dashIfEmpty(res.StackStatus))
	}
	for _, o := range res.Outputs {
		fmt.Fprintf(w, "Output %s = %s\n", o.Key, oneLine(o.Value))
	}
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
