package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/node"
)

// deployOptions are the deploy settings that `stream-events deploy` takes
// as flags and the Action as inputs.
type deployOptions struct {
	stackName       string
	tags            keyValues
	parameters      keyValues // values for the standalone template's Parameters
	roleARN         string    // CloudFormation service role
	s3Bucket        string
	timeout         time.Duration
	termProtection  bool
	disableRollback bool
	keepChangeSet   bool
}

// input builds the deployer's input for one stack.
func (o deployOptions) input(stack string, body []byte, mode deploy.Mode) deploy.Input {
	in := deploy.Input{StackName: stack, TemplateBody: body, Mode: mode, RoleARN: o.roleARN, S3Bucket: o.s3Bucket,
		Timeout: o.timeout, TerminationProtection: o.termProtection, DisableRollback: o.disableRollback,
		KeepChangeSet: o.keepChangeSet}
	for _, k := range o.tags.keys {
		in.Tags = append(in.Tags, deploy.Tag{Key: k, Value: o.tags.m[k]})
	}
	return in
}

// defaultStackName keeps the stream mappings apart from the stack
// Serverless deploys (<service>-<stage>).
func defaultStackName(svc *compile.Service) string {
	return svc.Name + "-" + svc.Stage + "-streams"
}

// standaloneTemplate compiles cfg for deployment: always the standalone
// template, which deploys on its own next to the Serverless stack, with
// params as the values of its Parameters. A nil template means findings
// stop the deployment.
func standaloneTemplate(env Env, cfg *loader.Config, roleName string, params keyValues, how string) ([]byte, *compile.Result, diag.Findings, error) {
	tpl, res, fs, err := compileService(env, cfg, compileFlags{mode: "standalone", roleName: roleName})
	if err != nil || tpl == nil {
		return nil, res, fs, err
	}
	if err := applyParameters(tpl, params, how); err != nil {
		return nil, res, fs, err
	}
	return tpl.IndentCFN(), res, fs, nil
}

// applyParameters writes each value as its parameter's Default. The
// deployer sends the template as it is, and a Default is how a template
// carries a value without a ParameterValue. A parameter left without a
// value would fail CreateChangeSet; it is reported here, with the flag
// or input that sets it.
func applyParameters(tpl *node.Node, params keyValues, how string) error {
	ps := tpl.Get("Parameters")
	for _, k := range params.keys {
		p := ps.Get(k)
		if p == nil {
			return usagef("template parameter %q does not exist; the template has %s", k, paramList(ps))
		}
		p.Set("Default", node.NewString(params.m[k], diag.Range{}))
	}
	var missing []string
	if ps.IsMap() {
		for _, pair := range ps.Pairs {
			if pair.Value.Get("Default") == nil {
				missing = append(missing, pair.Key.Str)
			}
		}
	}
	if len(missing) > 0 {
		return usagef("the standalone template references resources of the Serverless stack; give their values with %s (for example %s=...): %s",
			how, missing[0], strings.Join(missing, ", "))
	}
	return nil
}

func paramList(ps *node.Node) string {
	if !ps.IsMap() || len(ps.Pairs) == 0 {
		return "no parameters"
	}
	var names []string
	for _, p := range ps.Pairs {
		names = append(names, p.Key.Str)
	}
	sort.Strings(names)
	return "parameters " + strings.Join(names, ", ")
}

// hasProviderRegion reports whether the config names its region.
func hasProviderRegion(cfg *loader.Config) bool {
	return cfg.Root != nil && !cfg.Root.Get("provider").Get("region").IsNull()
}

// envRegion is AWS_REGION or AWS_DEFAULT_REGION, which a deploy uses when
// neither the flag nor the config names a region.
func envRegion(env Env) string {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v, ok := env.Getenv(k); ok && v != "" {
			return v
		}
	}
	return ""
}

// pollIntervalEnv overrides the deployer's poll delays: tests set
// milliseconds, and impatient users may set a few seconds.
const pollIntervalEnv = "STREAM_EVENTS_POLL_INTERVAL"

func newDeployer(env Env, cfg aws.Config, sink func(deploy.Event)) *deploy.Deployer {
	opts := []deploy.Option{deploy.WithEventSink(sink)}
	if v, ok := env.Getenv(pollIntervalEnv); ok {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			opts = append(opts, deploy.WithPollDelays(d, d, 1))
		}
	}
	return deploy.NewFromConfig(cfg, opts...)
}

// eventLog prints the deployer's live progress: in Actions, groups become
// ::group:: and warnings ::warning::; text from AWS is kept to one line so
// it can never issue a workflow command.
type eventLog struct {
	w       io.Writer
	actions bool
}

func (l eventLog) sink(e deploy.Event) {
	msg := oneLine(e.Message)
	switch {
	case e.Kind == deploy.EventGroupStart && l.actions:
		fmt.Fprintf(l.w, "::group::%s\n", escapeData(e.Message))
	case e.Kind == deploy.EventGroupStart:
		fmt.Fprintf(l.w, "== %s\n", msg)
	case e.Kind == deploy.EventGroupEnd && l.actions:
		fmt.Fprintln(l.w, "::endgroup::")
	case e.Kind == deploy.EventGroupEnd:
	case e.Kind == deploy.EventWarning && l.actions:
		fmt.Fprintf(l.w, "::warning::%s\n", escapeData(e.Message))
	case e.Kind == deploy.EventWarning:
		fmt.Fprintf(l.w, "warning: %s\n", msg)
	default:
		fmt.Fprintln(l.w, msg)
	}
}

// maxFailureAnnotations bounds the failing resources shown as annotations;
// the first ones are the root causes.
const maxFailureAnnotations = 5

// failureLines describes the first failing resources of a deployment.
func failureLines(res *deploy.Result) []string {
	if res == nil {
		return nil
	}
	var out []string
	for i, ev := range res.FailedEvents {
		if i == maxFailureAnnotations {
			break
		}
		out = append(out, fmt.Sprintf("%s %s %s: %s", ev.LogicalID, ev.ResourceType, ev.Status, ev.Reason))
	}
	return out
}
