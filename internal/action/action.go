// Package action is the GitHub Action: it reads the INPUT_* variables,
// runs the pipeline on every matching serverless.yml, and reports through
// the runner (workflow commands, the job summary, step outputs), a SARIF
// file and an artifact; it deploys through the deployer. Run is its one
// entry point.
package action

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/artifact"
	"github.com/stream-events/stream-events/internal/awssession"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/redact"
	"github.com/stream-events/stream-events/internal/rules"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// Env is what the Action may touch of the process.
type Env struct {
	Stdout  io.Writer // the step log
	Getenv  func(string) (string, bool)
	Dir     string // working directory
	FS      files.FS
	Version string // for SARIF and the artifact service's user agent

	// Environ lists every variable (os.Environ), to name the INPUT_* ones
	// that are no input; nil skips that check.
	Environ func() []string
}

// action is one run of the GitHub Action. Run locally with the same
// variables set, it behaves the same; what the runner would provide and is
// missing (the output file, the artifact service) is skipped with a note.
type action struct {
	ctx   context.Context // the run's: cancelled on SIGINT/SIGTERM
	env   Env
	r     *runner
	ws    workspace
	in    inputs
	gctx  ghContext
	start time.Time

	workDir     string // absolute
	templateDir string // absolute
	sarifPath   string // absolute, "" for none

	aws *awssession.Session
	rv  reviewState // the pull request, its plans and comment (review.go)

	// pending are the findings to annotate once the Action's own
	// annotations are out.
	pending diag.Findings
	// autoSkipped is the summary's Markdown on why deploy: auto did not
	// deploy, or "".
	autoSkipped string
}

// noDeploy is the deploy mode of deploy: off.
const noDeploy deploy.Mode = 0

// Run runs the Action and returns the error that decides its exit status
// (see internal/exit); its reason is already reported as an annotation.
func Run(ctx context.Context, env Env) error {
	r := newRunner(env.Stdout, env.Getenv)
	a := &action{ctx: ctx, env: env, r: r, ws: newWorkspace(env), start: time.Now()}
	a.aws = awssession.New(env.Getenv, r.idToken, r.red.Add)
	return a.finish(a.run())
}

// finish turns an error into an error annotation, so it shows on the run's
// page and not only in the log, then annotates the findings with what is
// left of GitHub's per-step budget (the Action's own annotations come first:
// they explain the step's outcome), and returns the exit status.
func (a *action) finish(err error) error {
	if cause := context.Cause(a.ctx); a.ctx.Err() != nil && exit.IsCancelled(cause) {
		a.r.ownError(nil, fmt.Sprintf("%v: the step stopped early; the summary and outputs hold what was done before", cause))
		err = exit.Combine(err, exit.With(exit.Code(cause), errors.New("")))
	}
	code := exit.Code(err)
	if err != nil {
		if msg := err.Error(); msg != "" {
			a.r.ownError(nil, msg)
		}
	}
	where := "the job summary and the step log"
	if a.sarifPath != "" {
		where = "the job summary, the step log and the SARIF file"
	}
	a.r.annotate(a.pending, where)
	a.pending = nil
	if ferr := a.r.flush(); code == exit.OK && ferr != nil {
		return fmt.Errorf("write log: %w", ferr)
	}
	if code == exit.OK {
		return nil
	}
	return exit.Silent(code)
}

func (a *action) run() error {
	if err := a.setup(); err != nil {
		return err
	}
	configs, err := expandConfigs(a.ws, a.workDir, a.in.configs, func(p string) bool { return a.env.FS.Stat(p) })
	if err != nil {
		return err
	}
	mode := a.deployMode()
	services := processServices(a.job(mode), configs)
	readErrors(services)
	// From here on every sink sees redacted values only (see internal/redact).
	redactServices(a.r.red, services)
	templateNames(services)
	a.r.logf("processed %d service(s) in %s", len(services), time.Since(a.start).Round(time.Millisecond))
	a.logServices(services)
	report, err := a.writeReports(services)
	if err != nil {
		return err
	}
	// A file that cannot be written is annotated; the others still are.
	writeErr := exit.Combine(a.writeTemplates(services), a.writeSARIF(&report))
	if a.in.annotations {
		a.annotate(services)
	}
	a.startReview(services, mode)
	deployErr := a.deployAll(services, mode)
	pubErr := a.publish(services, report)
	return exit.Combine(writeErr, deployErr, pubErr, a.finishReview(services), verdict(a.in.failOn, services))
}

// setup reads the inputs and the run's context and checks every path.
func (a *action) setup() error {
	if a.env.Environ != nil { // first: a misspelt input may explain a bad one
		if w := unknownInputs(a.env.Environ()); w != "" {
			a.r.ownWarning(w)
		}
	}
	in, err := readInputs(inputReader{gh: a.r.gh, getenv: a.env.Getenv})
	if err != nil {
		return exit.Usagef("%s", err)
	}
	a.in = in
	a.r.red.Add(in.token, "the github-token input") // before anything can print it
	for _, w := range in.warnings {
		a.r.ownWarning(w)
	}
	if a.in.artifactName != "" {
		if err := artifact.ValidateName(a.in.artifactName); err != nil {
			return exit.Usagef("input artifact-name: %s", err)
		}
	}
	// Only deploy: auto reads the event payload (for the default branch), so
	// only then may an unreadable one stop the step.
	if a.gctx, err = readGHContext(a.env, in.deploy == "auto"); err != nil {
		return err
	}
	if a.workDir, err = a.ws.resolve("working-directory", in.workingDir, false); err != nil {
		return err
	}
	if a.templateDir, err = a.ws.resolve("template-dir", in.templateDir, true); err != nil {
		return err
	}
	if in.sarifFile != "" {
		if a.sarifPath, err = a.ws.resolveFile("sarif-file", in.sarifFile); err != nil {
			return err
		}
	}
	return nil
}

// job is what every service worker needs: configs are read relative to
// the workspace root, so every path in a finding is already what GitHub
// wants.
func (a *action) job(mode deploy.Mode) serviceJob {
	job := serviceJob{ctx: a.ctx, getenv: a.env.Getenv, files: files.InDir(a.env.FS, a.env.Getenv, a.ws.root), root: a.ws.root,
		opts: pipeline.Options{Mode: a.in.mode, RoleName: a.in.roleName, SkipEmpty: true},
		red:  a.r.red, now: time.Now(),
		remote: a.aws.RemoteFor(a.ctx, mode != noDeploy, a.in.roleToAssume)}
	job.req = pipeline.Request{Stage: a.in.stage, Region: a.in.region, Opts: a.in.opts, Params: a.in.params,
		Getenv: a.env.Getenv, Files: job.files}
	if mode != noDeploy {
		job.envRegion = a.aws.EnvRegion()
	}
	return job
}

// readErrors turns a config that could not be read into an error finding
// on it, so it is annotated, summarised and counted like any other.
func readErrors(services []*service) {
	for _, s := range services {
		if s.err != nil {
			s.findings = append(s.findings, diag.Finding{Rule: rules.ConfigRead, Severity: diag.Error,
				Range: diag.Range{File: s.config}, Message: s.err.Error()})
		}
	}
}

// verdict applies fail-on to the findings of every service.
func verdict(failOn diag.Severity, services []*service) error {
	var all diag.Findings
	for _, s := range services {
		if s.err != nil {
			return exit.Silent(exit.IO)
		}
		all = append(all, s.findings...)
	}
	if failOn != 0 && all.AtLeast(failOn) {
		return exit.ErrFindings
	}
	return nil
}

// ghContext is what the Action reads of the workflow run.
type ghContext struct {
	eventName     string
	ref           string
	defaultBranch string // repository.default_branch of the event payload
	repo          annotate.RepoInfo
	runID         string
	retentionDays int // GITHUB_RETENTION_DAYS; 0 if unknown
}

func readGHContext(env Env, needPayload bool) (ghContext, error) {
	get := func(k string) string { v, _ := env.Getenv(k); return v }
	c := ghContext{eventName: get("GITHUB_EVENT_NAME"), ref: get("GITHUB_REF"), runID: get("GITHUB_RUN_ID"),
		repo: annotate.RepoInfo{ServerURL: get("GITHUB_SERVER_URL"), Repository: get("GITHUB_REPOSITORY"), SHA: get("GITHUB_SHA")}}
	c.retentionDays, _ = strconv.Atoi(get("GITHUB_RETENTION_DAYS"))
	if p := get("GITHUB_EVENT_PATH"); p != "" && needPayload {
		data, err := os.ReadFile(p)
		if err != nil {
			return c, fmt.Errorf("read the event payload: %w", err)
		}
		var ev struct {
			Repository struct {
				DefaultBranch string `json:"default_branch"`
			} `json:"repository"`
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			return c, fmt.Errorf("read the event payload %s: %w", p, err)
		}
		c.defaultBranch = ev.Repository.DefaultBranch
	}
	return c, nil
}

// deployMode resolves the deploy input. auto previews on pull requests and
// executes on a push to the default branch; any other event deploys
// nothing, so a workflow can run the step on every trigger.
func (a *action) deployMode() deploy.Mode {
	switch a.in.deploy {
	case "preview":
		return deploy.Preview
	case "execute":
		return deploy.Execute
	case "auto":
		return a.autoMode()
	}
	return noDeploy
}

func (a *action) autoMode() deploy.Mode {
	g := a.gctx
	switch {
	case g.eventName == "pull_request":
		a.r.logf("deploy: auto: previewing the change set of this pull request")
		return deploy.Preview
	case g.eventName == "push" && g.defaultBranch != "" && g.ref == "refs/heads/"+g.defaultBranch:
		a.r.logf("deploy: auto: executing on a push to the default branch %s", g.defaultBranch)
		return deploy.Execute
	}
	a.r.logf("deploy: auto: not deploying (event %q, ref %q, default branch %q): auto previews pull requests and executes pushes to the default branch",
		g.eventName, g.ref, g.defaultBranch)
	a.autoSkipped = autoSkippedMarkdown(a.r.red, g)
	return noDeploy
}

// countSeverity sums a severity over services.
func countSeverity(services []*service, sev diag.Severity) int {
	n := 0
	for _, s := range services {
		n += s.findings.Count(sev)
	}
	return n
}

// allFindings is every service's findings, in service order.
func allFindings(services []*service) diag.Findings {
	var all diag.Findings
	for _, s := range services {
		all = append(all, s.findings...)
	}
	return all
}

// autoSkippedMarkdown says why deploy: auto deployed nothing. The ref and
// branch names come from the event, so they are redacted, then escaped.
func autoSkippedMarkdown(red *redact.Redactor, g ghContext) string {
	code := func(s string) string {
		if s == "" {
			return "none"
		}
		return "`" + textsafe.MarkdownCode(red.String(s)) + "`"
	}
	branch := "the default branch " + code(g.defaultBranch)
	if g.defaultBranch == "" {
		branch = "the default branch, which is unknown without the event payload (GITHUB_EVENT_PATH)"
	}
	return fmt.Sprintf("**Not deployed** (deploy: auto): event %s, ref %s. auto previews pull requests and executes pushes to %s.",
		code(g.eventName), code(g.ref), branch)
}
