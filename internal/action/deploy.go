package action

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stream-events/stream-events/internal/account"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/redact"
	"github.com/stream-events/stream-events/internal/stackref"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// deployOutcome is what deploying one service did.
type deployOutcome struct {
	mode   deploy.Mode
	stack  string
	params []stackref.Value // the template's parameter values and their sources
	res    *deploy.Result
	err    error
}

// markdown is the summary's deploy section. Values from AWS are escaped;
// ChangesMarkdown escapes its own cells.
func (o *deployOutcome) markdown() string {
	var b strings.Builder
	stack := "`" + textsafe.MarkdownCode(o.stack) + "`"
	switch {
	case o.res == nil && o.err != nil && o.stack == "": // refused before a stack was named
		fmt.Fprintf(&b, "**Not deployed**: %s\n", textsafe.Markdown(o.err.Error()))
		return b.String()
	case o.res == nil && o.err != nil:
		fmt.Fprintf(&b, "**Not deployed** (stack %s): %s\n", stack, textsafe.Markdown(o.err.Error()))
		return b.String()
	case o.mode == deploy.Preview && o.err != nil:
		fmt.Fprintf(&b, "**Preview failed** for stack %s (%s): %s\n\n", stack, changeSetKind(o.res), textsafe.Markdown(o.err.Error()))
	case o.mode == deploy.Preview:
		fmt.Fprintf(&b, "**Preview** of stack %s (%s): %d change(s)\n\n", stack, changeSetKind(o.res), len(o.res.Changes))
	case o.err == nil:
		fmt.Fprintf(&b, "**Deployed** stack %s: `%s`, %d change(s)\n\n", stack, o.res.StackStatus, len(o.res.Changes))
	default:
		fmt.Fprintf(&b, "**Deploy failed** for stack %s (status `%s`): %s\n\n", stack, o.res.StackStatus, textsafe.Markdown(o.err.Error()))
	}
	b.WriteString(paramsMarkdown(o.params))
	if o.err == nil || len(o.res.Changes) > 0 { // a run stopped before the changes were known has no table
		b.WriteString(deploy.ChangesMarkdown(o.res.Changes))
	}
	if lines := deploy.FailureLines(o.res); len(lines) > 0 {
		b.WriteString("\nFirst failing resources:\n\n")
		for _, l := range lines {
			b.WriteString("- " + textsafe.Markdown(l) + "\n")
		}
	}
	return b.String()
}

// redact replaces what the summary, the log and the outputs show of the
// outcome (AWS text, the stack name, the error) by its redacted copy,
// before any of it is escaped (see internal/redact). The error keeps its
// chain for the exit status.
func (o *deployOutcome) redact(red *redact.Redactor) {
	o.stack = red.String(o.stack)
	if o.err != nil {
		o.err = redactedError{msg: red.String(o.err.Error()), err: o.err}
	}
	for i := range o.params {
		v := &o.params[i]
		v.Name, v.Value, v.Source = red.String(v.Name), red.String(v.Value), red.String(v.Source)
	}
	r := o.res
	if r == nil {
		return
	}
	r.StackName, r.StackStatus, r.StackID, r.ChangeSetName = red.String(r.StackName), red.String(r.StackStatus), red.String(r.StackID), red.String(r.ChangeSetName)
	for i := range r.Changes {
		c := &r.Changes[i]
		c.LogicalID, c.PhysicalID, c.Type, c.Details = red.String(c.LogicalID), red.String(c.PhysicalID), red.String(c.Type), red.String(c.Details)
		for j := range c.Scope {
			c.Scope[j] = red.String(c.Scope[j])
		}
	}
	for i := range r.Outputs {
		r.Outputs[i].Key, r.Outputs[i].Value = red.String(r.Outputs[i].Key), red.String(r.Outputs[i].Value)
	}
	for i := range r.FailedEvents {
		e := &r.FailedEvents[i]
		e.LogicalID, e.PhysicalID, e.ResourceType, e.Reason = red.String(e.LogicalID), red.String(e.PhysicalID), red.String(e.ResourceType), red.String(e.Reason)
	}
}

// redactedError shows a redacted message and keeps the chain of the error.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// paramsMarkdown lists the template's parameter values and their sources.
func paramsMarkdown(vs []stackref.Value) string {
	if len(vs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| parameter | value | from |\n|---|---|---|\n")
	for _, v := range vs {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", textsafe.Markdown(v.Name), textsafe.Markdown(v.Value), textsafe.Markdown(v.Source))
	}
	return b.String() + "\n"
}

func changeSetKind(res *deploy.Result) string {
	if res.ChangeSetType == "CREATE" {
		return "new stack"
	}
	return "update"
}

// deployAll deploys every service, one after the other so their live logs
// stay readable. A service with error findings is refused.
func (a *action) deployAll(services []*service, mode deploy.Mode) error {
	if mode == noDeploy {
		return nil
	}
	if a.in.stackName != "" && len(services) > 1 {
		return exit.Usagef("input stack-name names one stack, but config matches %d services; leave stack-name empty to deploy each to <service>-<stage>-streams", len(services))
	}
	if a.in.serverlessStack != "" && len(services) > 1 {
		return exit.Usagef("input serverless-stack names one stack, but config matches %d services; leave it empty to read each service's own", len(services))
	}
	if bad := a.in.parameters.unused(services); len(bad) > 0 {
		return exit.Usagef("input %s: %s names no service (keys with a mapping are service names or config paths)", a.in.parametersInput, strings.Join(bad, ", "))
	}
	var errs []error
	for _, s := range services {
		if s.noStreams { // nothing to deploy: the log and the summary say so
			continue
		}
		errs = append(errs, a.deployService(s, mode))
	}
	return exit.Combine(errs...)
}

func (a *action) deployService(s *service, mode deploy.Mode) error {
	o := &deployOutcome{mode: mode, stack: a.in.stackName}
	s.deploy = o
	defer o.redact(a.r.red) // before the summary and outputs show it
	if n := s.findings.Count(diag.Error); n > 0 || s.cfg == nil {
		o.err = fmt.Errorf("%s has %d error finding(s); fix them before deploying", s.config, n)
		return exit.With(exit.Findings, o.err)
	}
	tpl, fs, err := pipeline.StandaloneTemplate(s.cfg, a.in.roleName)
	if err == nil && tpl == nil {
		err = exit.With(exit.Findings, fmt.Errorf("%s: the standalone template cannot be compiled: %s", s.config, firstError(fs)))
	}
	if err != nil {
		o.err = err
		return err
	}
	if o.stack == "" {
		o.stack = pipeline.DefaultStackName(tpl.Result.Service)
	}
	return a.runDeployment(s, o, tpl)
}

// resolveParameters fills the template's parameters from the input, then
// from the Serverless stack. A value nobody finds is a finding at its
// reference, annotated with the service's others.
func (a *action) resolveParameters(s *service, o *deployOutcome, tpl *pipeline.Template, cfg aws.Config) ([]byte, error) {
	stack := a.in.serverlessStack
	if stack == "" {
		stack = pipeline.ServerlessStackName(tpl.Result.Service)
	}
	given := a.in.parameters.forService(tpl.Result.Service.Name, s.config)
	fs, err := tpl.Resolve(a.ctx, given, "the "+a.in.parametersInput+" input", stack, account.NewFromConfig(cfg))
	if err != nil {
		if exit.Code(err) == exit.Usage {
			return nil, exit.Usagef("%s: %s", s.config, exit.Message(err))
		}
		return nil, exit.With(exit.IO, fmt.Errorf("%s: %w", s.config, err))
	}
	o.params = tpl.Values
	if len(fs) > 0 {
		s.findings = append(s.findings, fs...).Sorted()
		a.pending = append(a.pending, fs...)
		return nil, exit.With(exit.Findings, fmt.Errorf("%s: %d template parameter(s) without a value: %s", s.config, len(fs), fs[0].Message))
	}
	for _, v := range tpl.Values {
		a.r.logf("parameter %s = %s (from %s)", v.Name, v.Value, v.Source)
	}
	body := tpl.Body()
	return body, a.refuseSecrets(s, body)
}

func firstError(fs diag.Findings) string {
	for _, f := range fs.Sorted() {
		if f.Severity == diag.Error {
			return f.String()
		}
	}
	return "unknown error"
}

func (a *action) refuseSecrets(s *service, body []byte) error {
	if from, ok := a.r.red.Find(body); ok {
		return exit.With(exit.Findings, fmt.Errorf("%s: the template contains the value of %s; not deploying it", s.config, from))
	}
	return nil
}

func (a *action) runDeployment(s *service, o *deployOutcome, tpl *pipeline.Template) error {
	ctx := a.ctx
	cfg, err := a.aws.Config(ctx, s.region, a.in.roleToAssume)
	if err != nil {
		o.err = err
		return exit.With(exit.IO, fmt.Errorf("%s: %w", s.config, err))
	}
	body, err := a.resolveParameters(s, o, tpl, cfg)
	if err == nil {
		err = a.preflight(s, o, tpl, cfg)
	}
	if err != nil {
		o.err = err
		return err
	}
	a.r.logf("%s stack %s in %s for %s", o.mode, o.stack, s.region, s.config)
	d := a.aws.Deployer(cfg, a.r.deployEvent)
	o.res, o.err = d.Deploy(ctx, a.in.settings.For(o.stack, body, o.mode))
	o.redact(a.r.red)
	a.logDeploy(o)
	if o.err == nil {
		return nil
	}
	if errors.Is(o.err, a.canceled()) {
		return exit.With(exit.IO, fmt.Errorf("%s: deploy of %s cancelled: %w", s.config, o.stack, o.err))
	}
	return exit.With(exit.IO, fmt.Errorf("%s: %w", s.config, o.err))
}

// logDeploy prints the change table and, for a failed execution, the first
// failing resources as error annotations.
func (a *action) logDeploy(o *deployOutcome) {
	if o.res == nil {
		return
	}
	// Without a change set there are no changes to show: "No changes."
	// would read as a successful no-op.
	if o.res.ChangeSetID != "" {
		var buf bytes.Buffer
		_ = deploy.WriteChangesTable(&buf, o.res.Changes)
		a.r.logf("changes for stack %s:", o.stack)
		a.r.fenced(buf.String())
	}
	for _, ev := range deploy.FirstFailures(o.res) {
		a.r.ownError(map[string]string{"title": ev.LogicalID + " " + ev.Status},
			fmt.Sprintf("stack %s: %s %s failed: %s", o.stack, ev.ResourceType, ev.LogicalID, ev.Reason))
	}
}

// reservedOutputs are the Action's own outputs; a stack output of the same
// name is only in stack-outputs.
var reservedOutputs = map[string]bool{
	"template-paths": true, "errors": true, "warnings": true, "notices": true, "sarif-file": true,
	"services": true, "artifact-id": true, "artifact-url": true, "stack-id": true, "stack-status": true,
	"change-set-id": true, "has-changes": true, "changes": true, "stack-outputs": true, "deployments": true,
}

// deployment is one entry of the deployments output.
type deployment struct {
	Config      string            `json:"config"`
	Stack       string            `json:"stack"`
	Mode        string            `json:"mode"`
	StackID     string            `json:"stackId,omitempty"`
	StackStatus string            `json:"stackStatus,omitempty"`
	ChangeSetID string            `json:"changeSetId,omitempty"`
	HasChanges  bool              `json:"hasChanges"`
	Changes     []deploy.Change   `json:"changes"`
	Outputs     map[string]string `json:"outputs"`
	Error       string            `json:"error,omitempty"`
}

// deployOutputs are the deploy outputs: deployments (JSON, every service)
// and, when one service was deployed, its stack-id, stack-status,
// change-set-id, has-changes, changes (JSON), stack-outputs (JSON) and
// each stack output under its own key.
func deployOutputs(services []*service) []output {
	var deps []deployment
	var last *service
	for _, s := range services {
		if s.deploy != nil {
			deps = append(deps, newDeployment(s))
			last = s
		}
	}
	if len(deps) == 0 {
		return nil
	}
	outs := []output{{"deployments", mustJSON(deps)}}
	if len(deps) != 1 {
		return outs
	}
	d := deps[0]
	outs = append(outs, output{"stack-id", d.StackID}, output{"stack-status", d.StackStatus},
		output{"change-set-id", d.ChangeSetID}, output{"has-changes", hasChanges(d)},
		output{"changes", mustJSON(d.Changes)}, output{"stack-outputs", mustJSON(d.Outputs)})
	for _, o := range last.deployOutputsList() {
		if !reservedOutputs[o.Key] {
			outs = append(outs, output{o.Key, o.Value})
		}
	}
	return outs
}

func newDeployment(s *service) deployment {
	o := s.deploy
	d := deployment{Config: s.config, Stack: o.stack, Mode: o.mode.String(), Changes: []deploy.Change{}, Outputs: map[string]string{}}
	if o.err != nil {
		d.Error = o.err.Error()
	}
	if r := o.res; r != nil {
		d.StackID, d.StackStatus, d.ChangeSetID, d.HasChanges = r.StackID, r.StackStatus, r.ChangeSetID, r.HasChanges
		if r.Changes != nil {
			d.Changes = r.Changes
		}
		for _, out := range r.Outputs {
			d.Outputs[out.Key] = out.Value
		}
	}
	return d
}

// deployOutputsList is the stack outputs of the deployed service, if any.
func (s *service) deployOutputsList() []deploy.Output {
	if s.deploy == nil || s.deploy.res == nil {
		return nil
	}
	return s.deploy.res.Outputs
}

// hasChanges is "true" or "false" once a change set was described, and
// empty when the deploy stopped before: a workflow gating on "false" must
// not read a failure as nothing to do.
func hasChanges(d deployment) string {
	if d.ChangeSetID == "" {
		return ""
	}
	return strconv.FormatBool(d.HasChanges)
}

// canceled is the error a cancelled run wraps: SIGINT or SIGTERM.
func (a *action) canceled() error {
	if err := a.ctx.Err(); err != nil {
		return err
	}
	return errNotCanceled
}

var errNotCanceled = errors.New("not cancelled")
