package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// secretEnvNames hold credentials or tokens the Action can see. Their
// values are redacted from everything the Action writes: the log, outputs,
// the summary and artifact files. GitHub masks registered secrets in the
// log only, and a value that reaches an artifact or an output is not
// masked at all. The list follows internal/vars/secret.go, which refuses
// ${env:...} of the same names.
var secretEnvNames = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_WEB_IDENTITY_TOKEN",
	"ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_ENTERPRISE_TOKEN",
	"SERVERLESS_ACCESS_KEY", "SLS_ACCESS_KEY", "NPM_TOKEN", "NODE_AUTH_TOKEN",
}

// minSecretLen keeps short values ("true", "1") from being redacted
// everywhere; real credentials are far longer.
const minSecretLen = 8

// redactor replaces known secret values with "***".
type redactor struct {
	mu      sync.RWMutex
	secrets map[string]string // value -> where it came from
	r       *strings.Replacer
}

func newRedactor(getenv func(string) (string, bool)) *redactor {
	r := &redactor{secrets: map[string]string{}}
	for _, name := range secretEnvNames {
		if v, ok := getenv(name); ok {
			r.add(v, "environment variable "+name)
		}
	}
	return r
}

// add registers a secret; from says what it is, for error messages that
// must name a leak without showing it.
func (r *redactor) add(v, from string) {
	v = strings.TrimSpace(v)
	if len(v) < minSecretLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.secrets[v]; ok {
		return
	}
	r.secrets[v] = from
	vals := make([]string, 0, len(r.secrets))
	for s := range r.secrets {
		vals = append(vals, s)
	}
	// Longest first, so a secret containing another is replaced whole.
	sort.Slice(vals, func(i, j int) bool {
		return len(vals[i]) > len(vals[j]) || len(vals[i]) == len(vals[j]) && vals[i] < vals[j]
	})
	var pairs []string
	for _, s := range vals {
		pairs = append(pairs, s, "***")
	}
	r.r = strings.NewReplacer(pairs...)
}

// tokenShapes match credentials by their well-known formats, for values
// that are not in the environment: a token pasted into serverless.yml must
// not be echoed into the log, annotations, outputs or artifact either.
var tokenShapes = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255}|` +
	`(?:AKIA|ASIA)[A-Z0-9]{16}|npm_[A-Za-z0-9]{36}|xox[abposr]-[A-Za-z0-9-]{10,}|` +
	`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})`)

func (r *redactor) String(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.r != nil {
		s = r.r.Replace(s)
	}
	return tokenShapes.ReplaceAllString(s, "***")
}

func (r *redactor) Bytes(b []byte) []byte { return []byte(r.String(string(b))) }

// find names the first secret that occurs in b, if any.
func (r *redactor) find(b []byte) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var names []string
	for v, from := range r.secrets {
		if bytes.Contains(b, []byte(v)) {
			names = append(names, from)
		}
	}
	if len(names) == 0 {
		if tokenShapes.Match(b) {
			return "a token-shaped value (GitHub, AWS, npm, Slack or JWT format)", true
		}
		return "", false
	}
	sort.Strings(names)
	return names[0], true
}

// console is the Action's log. It writes whole lines, redacted, under a
// lock, so lines from concurrent workers never interleave and a secret
// split across two writes is still caught. It never returns a write error
// (go-githubactions panics on one); the first is kept for the exit status.
type console struct {
	mu  sync.Mutex
	w   io.Writer
	red *redactor
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
	if _, err := fmt.Fprintf(c.w, "::add-mask::%s\n", escapeData(secret)); err != nil && c.err == nil {
		c.err = err
	}
	c.red.add(secret, from)
}

// escapeData escapes a workflow command's message, as actions/toolkit's
// command.ts does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// stopCommands returns the pair of lines that make the runner ignore
// workflow commands in between. Text echoed from user files (source
// snippets, CloudFormation reasons) could otherwise start a line with
// "::" and issue commands. The token is random per use, as GitHub asks.
func stopCommands() (start, end string) {
	tok := randomHex(16)
	return "::stop-commands::" + tok + "\n", "::" + tok + "::\n"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// output is one step output.
type output struct{ name, value string }

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

// appendFile appends data to a runner command file.
func appendFile(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.Write(data)
	return err
}
