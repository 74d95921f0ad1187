package action

import (
	"bytes"
	"sort"
	"strings"
	"sync"

	"github.com/stream-events/stream-events/internal/lazyre"
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
var tokenShapes = lazyre.New(`\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255}|` +
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
