// Package redact removes credentials and tokens from everything the Action
// writes: the step log, annotations, the job summary, step outputs, SARIF,
// templates, the artifact's files and, later, the pull-request comment.
// GitHub masks registered secrets in the log only; a value that reaches an
// output, a file or an artifact is not masked at all.
//
// Redaction is one step, and it comes before any escaping. An escaper
// rewrites characters ("_" becomes "\_" in Markdown, "%" becomes "%25" in a
// workflow command, "<" becomes "\u003c" in JSON, a zero-width space splits
// "##["), so a secret escaped first no longer matches and would leak. The
// Action therefore redacts values, not renderings:
//
//   - data: once the services are processed, and once a deploy returns,
//     every value a renderer shows (findings, names, paths, source
//     snippets, AWS text) is replaced by its redacted copy; renderers only
//     ever see redacted values (Findings does it for findings);
//   - text: the Action's runner channel takes raw text and does
//     redact, then escape, then write, in that order, for every command.
//
// A sink added later gets redacted values whatever it escapes. As a last
// guard, every byte written still goes through String, which knows each
// registered secret in its escaped forms too (see forms), so a sink that
// escapes unredacted text by mistake still cannot leak a registered secret,
// including one registered late (an OIDC token, a signed upload URL).
package redact

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/textsafe"
	"github.com/stream-events/stream-events/internal/vars"
)

// Mask replaces a secret.
const Mask = "***"

// minSecretLen keeps short values ("true", "1") from being redacted
// everywhere; real credentials are far longer.
const minSecretLen = 8

// EnvNames are the environment variables whose values are redacted: the
// credential and token names ${env:...} refuses (internal/vars keeps that
// one list). The runtime endpoints on it (ACTIONS_*_URL) are addresses,
// not credentials: redacting them would only hide useful error text.
func EnvNames() []string {
	names, _ := vars.SecretEnvNames()
	out := names[:0:0]
	for _, n := range names {
		if !strings.HasSuffix(n, "_URL") {
			out = append(out, n)
		}
	}
	return out
}

// Redactor replaces known secret values, and token-shaped values, with
// Mask. It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets map[string]string // value -> where it came from
	r       *strings.Replacer // every secret and its escaped forms
}

// New returns a Redactor that knows the values of EnvNames in getenv.
func New(getenv func(string) (string, bool)) *Redactor {
	r := &Redactor{secrets: map[string]string{}}
	for _, name := range EnvNames() {
		if v, ok := getenv(name); ok {
			r.Add(v, "environment variable "+name)
		}
	}
	return r
}

// Add registers a secret; from says what it is, for messages that must
// name a leak without showing it.
func (r *Redactor) Add(v, from string) {
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
	set := map[string]bool{}
	for s := range r.secrets {
		for _, f := range forms(s) {
			set[f] = true
		}
	}
	vals := make([]string, 0, len(set))
	for s := range set {
		vals = append(vals, s)
	}
	// Longest first: the replacer tries its pairs in order, so a secret
	// containing another (or an escaped form containing the raw one) is
	// replaced whole.
	sort.Slice(vals, func(i, j int) bool {
		return len(vals[i]) > len(vals[j]) || len(vals[i]) == len(vals[j]) && vals[i] < vals[j]
	})
	pairs := make([]string, 0, 2*len(vals))
	for _, s := range vals {
		pairs = append(pairs, s, Mask)
	}
	r.r = strings.NewReplacer(pairs...)
}

// forms are v and v as each escaper the Action uses writes it: Markdown
// (prose and code spans), workflow-command data and properties, the
// runner-log neutraliser, URLs (a summary links a finding's file), and JSON strings (with and without Go's HTML
// escaping) as templates, SARIF, findings and outputs hold them.
func forms(v string) []string {
	out := []string{v, textsafe.Markdown(v), textsafe.MarkdownCode(v), textsafe.CommandData(v),
		textsafe.CommandProperty(v), textsafe.Neutralize(v), textsafe.Line(v), url.PathEscape(v), url.QueryEscape(v)}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(v) // a string always encodes
		out = append(out, strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:])
	}
	return out
}

// tokenShapes match credentials by their well-known formats, for values
// that are not in the environment: a token pasted into serverless.yml or a
// directory name must not be echoed either. "_" may carry the backslash
// Markdown escaping gives it, so the last guard still sees the shape.
var tokenShapes = lazyre.New(func() string {
	u := `\\?_`                       // "_", or "\_" in Markdown
	w := `(?:[A-Za-z0-9]|` + u + `)`  // a word character
	j := `(?:[A-Za-z0-9-]|` + u + `)` // a base64url character
	return `\b(?:gh[pousr]` + u + `[A-Za-z0-9]{36,251}|github` + u + `pat` + u + w + `{22,255}|` +
		`(?:AKIA|ASIA)[A-Z0-9]{16}|npm` + u + `[A-Za-z0-9]{36}|xox[abposr]-[A-Za-z0-9-]{10,}|` +
		`eyJ` + j + `{8,}\.eyJ` + j + `{8,}\.` + j + `{8,})`
}())

// String returns s with every registered secret, in any of its escaped
// forms, and every token-shaped value replaced by Mask.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.r != nil {
		s = r.r.Replace(s)
	}
	return tokenShapes.ReplaceAllString(s, Mask)
}

// Bytes is String for bytes.
func (r *Redactor) Bytes(b []byte) []byte { return []byte(r.String(string(b))) }

// Findings returns a redacted copy of fs: message, rule and file.
func (r *Redactor) Findings(fs diag.Findings) diag.Findings {
	if fs == nil {
		return nil
	}
	out := make(diag.Findings, len(fs))
	for i, f := range fs {
		f.Message, f.Rule, f.Range.File = r.String(f.Message), r.String(f.Rule), r.String(f.Range.File)
		out[i] = f
	}
	return out
}

// Find names the first secret that occurs in b, in any of its forms, if
// any.
func (r *Redactor) Find(b []byte) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var names []string
	for v, from := range r.secrets {
		for _, f := range forms(v) {
			if bytes.Contains(b, []byte(f)) {
				names = append(names, from)
				break
			}
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
