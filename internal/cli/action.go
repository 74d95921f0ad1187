package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/artifact"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
)

// action is one run of `stream-events action`, the GitHub Action. It
// reads INPUT_* variables, handles every matching serverless.yml, and
// reports through workflow commands, the job summary, step outputs, a
// SARIF file and an artifact. Run locally with the same variables set, it
// behaves the same; what the runner would provide and is missing (the
// output file, the artifact service) is skipped with a note.
type action struct {
	env   Env
	out   *console // stdout: the step log
	gh    *githubactions.Action
	red   *redactor
	ws    workspace
	in    actionInputs
	gctx  ghContext
	start time.Time

	workDir     string // absolute
	templateDir string // absolute
	sarifPath   string // absolute, "" for none

	aws awsSession

	// pending are the findings to annotate once the Action's own
	// annotations are out; ownErrors and ownWarnings count those.
	pending                diag.Findings
	ownErrors, ownWarnings int
}

const actionUsage = `Usage: stream-events action

Runs as the GitHub Action: reads its inputs from INPUT_* variables (the
runner sets INPUT_CONFIG, INPUT_ARTIFACT-NAME, ...; every input is
documented in action.yml), writes annotations and workflow commands to
stdout, outputs to $GITHUB_OUTPUT and the job summary to
$GITHUB_STEP_SUMMARY, and uploads the artifact. Run locally with the same
variables set, it behaves the same.
`

func runAction(env Env, args []string) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprint(env.Stdout, actionUsage)
		return nil
	}
	if len(args) > 0 {
		return usagef("action takes no arguments: it reads INPUT_* variables (see action.yml)")
	}
	a := newAction(env)
	return a.finish(a.run())
}

func newAction(env Env) *action {
	red := newRedactor(env.Getenv)
	out := &console{w: env.Stdout, red: red}
	getenv := func(k string) string { v, _ := env.Getenv(k); return v }
	gh := githubactions.New(githubactions.WithWriter(out), githubactions.WithGetenv(getenv))
	a := &action{env: env, out: out, gh: gh, red: red, ws: newWorkspace(env), start: time.Now()}
	a.aws = awsSession{env: env, red: red, gh: gh}
	return a
}

// finish turns an error into an error annotation, so it shows on the run's
// page and not only in the log, then annotates the findings with what is
// left of GitHub's per-step budget (the Action's own annotations come first:
// they explain the step's outcome), and returns the exit status.
func (a *action) finish(err error) error {
	code := ExitOK
	if err != nil {
		code = ExitIO
		var ue *usageError
		var ee *exitError
		switch {
		case errors.As(err, &ue):
			code = ExitUsage
		case errors.As(err, &ee):
			code = ee.code
		}
		if msg := err.Error(); msg != "" {
			a.ownError(nil, a.red.String(msg))
		}
	}
	a.flushAnnotations()
	if ferr := a.out.Flush(); code == ExitOK && ferr != nil {
		return ioError(fmt.Errorf("write log: %w", ferr))
	}
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code, err: errors.New("")}
}

// ownError and ownWarning emit the Action's own annotations and count them
// against GitHub's per-step limits.
func (a *action) ownError(fields map[string]string, msg string) {
	a.ownErrors++
	a.gh.WithFieldsMap(fields).Errorf("%s", msg)
}

func (a *action) ownWarning(msg string) {
	a.ownWarnings++
	a.gh.Warningf("%s", msg)
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
	templateNames(services)
	readErrors(services)
	a.logf("processed %d service(s) in %s", len(services), time.Since(a.start).Round(time.Millisecond))
	a.logServices(services)
	if err := a.writeTemplates(services); err != nil {
		return err
	}
	report, err := a.writeReports(services)
	if err != nil {
		return err
	}
	if a.in.annotations {
		a.annotate(services)
	}
	deployErr := a.deployAll(services, mode)
	return combine(deployErr, a.publish(services, report), verdict(a.in.failOn, services))
}

// setup reads the inputs and the run's context and checks every path.
func (a *action) setup() error {
	in, err := readInputs(inputReader{gh: a.gh, getenv: a.env.Getenv})
	if err != nil {
		return usagef("%s", err)
	}
	a.in = in
	if a.in.artifactName != "" {
		if err := artifact.ValidateName(a.in.artifactName); err != nil {
			return usagef("input artifact-name: %s", err)
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
		if a.sarifPath, err = a.ws.resolve("sarif-file", in.sarifFile, true); err != nil {
			return err
		}
	}
	return nil
}

// job is what every service worker needs: configs are read relative to
// the workspace root, so every path in a finding is already what GitHub
// wants.
func (a *action) job(mode deploy.Mode) serviceJob {
	env := a.env
	env.Dir = a.ws.root
	f := compileFlags{mode: a.in.mode, roleName: a.in.roleName, skipEmpty: true}
	f.stage, f.region, f.opts, f.params = a.in.stage, a.in.region, a.in.opts, a.in.params
	job := serviceJob{env: env, flags: f, red: a.red, now: time.Now(),
		remote: a.aws.remoteFor(env.Ctx, mode != 0, a.in.roleToAssume)}
	if mode != 0 {
		job.envRegion = envRegion(a.env)
	}
	return job
}

// readErrors turns a config that could not be read into an error finding
// on it, so it is annotated, summarised and counted like any other.
func readErrors(services []*service) {
	for _, s := range services {
		if s.err != nil {
			s.findings = append(s.findings, diag.Finding{Rule: "config-read", Severity: diag.Error,
				Range: diag.Range{File: s.config}, Message: s.err.Error()})
		}
	}
}

// verdict applies fail-on to the findings of every service.
func verdict(failOn diag.Severity, services []*service) error {
	var all diag.Findings
	for _, s := range services {
		if s.err != nil {
			return &exitError{code: ExitIO, err: errors.New("")}
		}
		all = append(all, s.findings...)
	}
	if failOn != 0 && all.AtLeast(failOn) {
		return findingsFail
	}
	return nil
}

func (a *action) logf(format string, args ...any) {
	fmt.Fprintf(a.out, format+"\n", args...)
}

// ghContext is what the Action reads of the workflow run.
type ghContext struct {
	eventName     string
	ref           string
	defaultBranch string // repository.default_branch of the event payload
	repo          annotate.RepoInfo
	runID         string
	retentionDays int // GITHUB_RETENTION_DAYS; 0 if unknown
	outputFile    string
	summaryFile   string
}

func readGHContext(env Env, needPayload bool) (ghContext, error) {
	get := func(k string) string { v, _ := env.Getenv(k); return v }
	c := ghContext{eventName: get("GITHUB_EVENT_NAME"), ref: get("GITHUB_REF"), runID: get("GITHUB_RUN_ID"),
		outputFile: get("GITHUB_OUTPUT"), summaryFile: get("GITHUB_STEP_SUMMARY"),
		repo: annotate.RepoInfo{ServerURL: get("GITHUB_SERVER_URL"), Repository: get("GITHUB_REPOSITORY"), SHA: get("GITHUB_SHA")}}
	c.retentionDays, _ = strconv.Atoi(get("GITHUB_RETENTION_DAYS"))
	if p := get("GITHUB_EVENT_PATH"); p != "" && needPayload {
		data, err := os.ReadFile(p)
		if err != nil {
			return c, ioError(fmt.Errorf("read the event payload: %w", err))
		}
		var ev struct {
			Repository struct {
				DefaultBranch string `json:"default_branch"`
			} `json:"repository"`
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			return c, ioError(fmt.Errorf("read the event payload %s: %w", p, err))
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
	return 0
}

func (a *action) autoMode() deploy.Mode {
	g := a.gctx
	switch {
	case g.eventName == "pull_request":
		a.logf("deploy: auto: previewing the change set of this pull request")
		return deploy.Preview
	case g.eventName == "push" && g.defaultBranch != "" && g.ref == "refs/heads/"+g.defaultBranch:
		a.logf("deploy: auto: executing on a push to the default branch %s", g.defaultBranch)
		return deploy.Execute
	}
	a.logf("deploy: auto: not deploying (event %q, ref %q, default branch %q): auto previews pull requests and executes pushes to the default branch",
		g.eventName, g.ref, g.defaultBranch)
	return 0
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

// oneLine makes text from AWS or user files safe as a single log line.
func oneLine(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	if strings.HasPrefix(strings.TrimSpace(s), "::") {
		s = "> " + s // never a workflow command
	}
	return s
}

// combine merges errors into one exit status: the highest code wins and
// every non-empty message is kept.
func combine(errs ...error) error {
	code, n := 0, 0
	var msgs []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		n++
		c := ExitIO
		var ue *usageError
		var ee *exitError
		switch {
		case errors.As(err, &ue):
			c = ExitUsage
		case errors.As(err, &ee):
			c = ee.code
		}
		code = max(code, c)
		if m := err.Error(); m != "" {
			msgs = append(msgs, m)
		}
	}
	if n == 0 {
		return nil
	}
	return &exitError{code: code, err: errors.New(strings.Join(msgs, "; "))}
}
