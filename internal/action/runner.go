package action

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/sethvargo/go-githubactions"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/redact"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// runner is the Action's one channel to the GitHub runner: every workflow
// command (groups, masks, stop-commands, annotations), log line, the step
// outputs and the job summary go through it. Its methods take raw text and
// findings and do redact, then escape, then write (internal/redact): a
// command's message and properties are escaped by textsafe.CommandData and
// CommandProperty, and a log line is neutralised (textsafe.Neutralize), so
// user text in it cannot issue a workflow command. The console redacts
// every byte once more as the last guard.
type runner struct {
	log *console // stdout: the step log
	red *redact.Redactor
	gh  *githubactions.Action // inputs and the OIDC token

	outputFile  string // GITHUB_OUTPUT, "" outside Actions
	summaryFile string // GITHUB_STEP_SUMMARY, "" outside Actions

	// ownErrors and ownWarnings count the Action's own annotations, which
	// come out of GitHub's per-step limits before the findings'.
	ownErrors, ownWarnings int
}

func newRunner(w io.Writer, getenv func(string) (string, bool)) *runner {
	red := redact.New(getenv)
	log := &console{w: w, red: red}
	get := func(k string) string { v, _ := getenv(k); return v }
	return &runner{log: log, red: red,
		gh:         githubactions.New(githubactions.WithWriter(log), githubactions.WithGetenv(get)),
		outputFile: get("GITHUB_OUTPUT"), summaryFile: get("GITHUB_STEP_SUMMARY")}
}

// logf writes one line to the step log, redacted and neutralised: its
// arguments are often paths and names from the pull request.
func (r *runner) logf(format string, args ...any) {
	fmt.Fprint(r.log, textsafe.Neutralize(r.red.String(fmt.Sprintf(format, args...)))+"\n")
}

// command issues a workflow command, with properties sorted as
// actions/toolkit's command.ts writes them.
func (r *runner) command(name string, props map[string]string, msg string) {
	var b strings.Builder
	b.WriteString("::" + name)
	if len(props) > 0 {
		l := make([]string, 0, len(props))
		for k, v := range props {
			l = append(l, k+"="+textsafe.CommandProperty(r.red.String(v)))
		}
		sort.Strings(l)
		b.WriteString(" " + strings.Join(l, ","))
	}
	b.WriteString("::" + textsafe.CommandData(r.red.String(msg)) + "\n")
	fmt.Fprint(r.log, b.String())
}

// group starts a foldable group of log lines; endGroup ends it.
func (r *runner) group(title string) { r.command("group", nil, title) }
func (r *runner) endGroup()          { r.command("endgroup", nil, "") }

// fenced writes text taken from user files or AWS (source snippets,
// CloudFormation reasons), redacted, between stop-commands, so a line of it
// starting with "::" cannot issue a command. The token is random per use,
// as GitHub asks.
func (r *runner) fenced(text string) {
	tok := randomHex(16)
	fmt.Fprint(r.log, "::stop-commands::"+tok+"\n"+r.red.String(text)+"::"+tok+"::\n")
}

// mask registers a secret with the runner (::add-mask::) and with the
// redactor. The command line itself must reach the runner unredacted, and
// the runner does not echo it.
func (r *runner) mask(secret, from string) { r.log.mask(secret, from) }

// ownError and ownWarning emit the Action's own annotations and count them
// against GitHub's per-step limits.
func (r *runner) ownError(props map[string]string, msg string) {
	r.ownErrors++
	r.command("error", props, msg)
}

func (r *runner) ownWarning(msg string) {
	r.ownWarnings++
	r.command("warning", nil, msg)
}

// annotate emits the most important findings within what is left of
// GitHub's per-step limits (10 errors, 10 warnings, 10 notices, less the
// Action's own), and one notice pointing at where the rest are.
func (r *runner) annotate(fs diag.Findings, where string) {
	if len(fs) == 0 {
		return
	}
	limits := annotate.DefaultLimits()
	limits.Errors = max(limits.Errors-r.ownErrors, 0)
	limits.Warnings = max(limits.Warnings-r.ownWarnings, 0)
	limits.Where = where
	var buf bytes.Buffer
	_, _, _ = annotate.Annotate(&buf, r.red.Findings(fs), limits)
	fmt.Fprint(r.log, buf.String())
}

// deployEvent prints the deployer's live progress: its groups become
// ::group::, its warnings ::warning::, and text from AWS is kept to one
// line so it can never issue a workflow command.
func (r *runner) deployEvent(e deploy.Event) {
	switch e.Kind {
	case deploy.EventGroupStart:
		r.group(e.Message)
	case deploy.EventGroupEnd:
		r.endGroup()
	case deploy.EventWarning:
		r.command("warning", nil, e.Message)
	default:
		fmt.Fprintln(r.log, textsafe.Line(r.red.String(e.Message)))
	}
}

// idToken gets the job's OIDC token for audience.
func (r *runner) idToken(ctx context.Context, audience string) (string, error) {
	return r.gh.GetIDToken(ctx, audience)
}

// output is one step output.
type output struct{ name, value string }

// errNoOutputFile means GITHUB_OUTPUT is not set: not in GitHub Actions.
var errNoOutputFile = errors.New("GITHUB_OUTPUT is not set")

// setOutputs appends the step outputs to GITHUB_OUTPUT, redacted; none can
// end its own entry early (see formatOutputs).
func (r *runner) setOutputs(outs []output) error {
	if r.outputFile == "" {
		return errNoOutputFile
	}
	for i := range outs {
		outs[i].value = r.red.String(outs[i].value)
	}
	data, err := formatOutputs(outs)
	if err != nil {
		return err
	}
	if err := appendFile(r.outputFile, data); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	return nil
}

// summarySize is how much earlier steps wrote to the job summary.
func (r *runner) summarySize() int {
	if r.summaryFile != "" {
		if fi, err := os.Stat(r.summaryFile); err == nil {
			return int(fi.Size())
		}
	}
	return 0
}

// appendSummary appends Markdown to the job summary, redacted; outside
// Actions it does nothing.
func (r *runner) appendSummary(md []byte) error {
	if r.summaryFile == "" {
		return nil
	}
	if err := appendFile(r.summaryFile, r.red.Bytes(md)); err != nil {
		return fmt.Errorf("write job summary: %w", err)
	}
	return nil
}

// flush writes a pending partial line and returns the first write error.
func (r *runner) flush() error { return r.log.Flush() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// console is the Action's log. It writes whole lines, redacted, under a
// lock, so lines from concurrent workers never interleave and a secret
// split across two writes is still caught. It never returns a write error
// (go-githubactions panics on one); the first is kept for the exit status.
type console struct {
	mu  sync.Mutex
	w   io.Writer
	red *redact.Redactor
	buf []byte
	err error
}

func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf = append(c.buf, p...)
	if i := bytes.LastIndexByte(c.buf, '\n'); i >= 0 {
		c.emit(c.buf[:i+1])
		c.buf = append(c.buf[:0], c.buf[i+1:]...)
	}
	return len(p), nil
}

func (c *console) emit(b []byte) {
	if _, err := c.w.Write(c.red.Bytes(b)); err != nil && c.err == nil {
		c.err = err
	}
}

// Flush writes a pending partial line.
func (c *console) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.buf) > 0 {
		c.emit(append(c.buf, '\n'))
		c.buf = c.buf[:0]
	}
	return c.err
}

// mask registers a secret with the runner (::add-mask::) and with the
// redactor. The command line itself must reach the runner unredacted, and
// the runner does not echo it.
func (c *console) mask(secret, from string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.buf) > 0 { // a command must start its own line
		c.emit(append(c.buf, '\n'))
		c.buf = c.buf[:0]
	}
	if _, err := fmt.Fprintf(c.w, "::add-mask::%s\n", textsafe.CommandData(secret)); err != nil && c.err == nil {
		c.err = err
	}
	c.red.Add(secret, from)
}

// formatOutputs renders outputs in the multi-line GITHUB_OUTPUT syntax
// with a random delimiter per value, as actions/toolkit's file-command.ts
// does. go-githubactions v1.4.0's SetOutput uses the fixed delimiter
// "_GitHubActionsFileCommandDelimeter_", so a value taken from user YAML
// that contains that line would end the value early and set any output it
// likes.
func formatOutputs(outs []output) ([]byte, error) {
	var b bytes.Buffer
	for _, o := range outs {
		if o.name == "" || strings.ContainsAny(o.name, "\r\n") || strings.Contains(o.name, "<<") {
			return nil, fmt.Errorf("invalid output name %q", o.name)
		}
		delim := "ghadelimiter_" + randomHex(16)
		for strings.Contains(o.value, delim) { // never in practice: 128 random bits
			delim = "ghadelimiter_" + randomHex(16)
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.name, delim, o.value, delim)
	}
	return b.Bytes(), nil
}

// appendFile appends data to a runner command file. The runner creates
// it and owns it, so it is appended as given; one that does not exist yet
// is created only as a new file, never through a symbolic link (a dangling
// one included) such as a repository could hold at that path.
func appendFile(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.Write(data)
	return err
}
