// Package vars resolves the "${...}" variables of a Serverless Framework v3
// configuration the way Serverless v3.40.0 does
// (lib/configuration/variables): the same syntax (parse.go is a port of
// parse.js), the same sources (self, opt, env, file, strToBool, sls, param,
// aws:region), fallbacks, nesting, typed whole-value variables and
// stringified embedded ones, and the same error messages where they make
// sense.
//
// Sources that need AWS or a plugin (cf, ssm, s3, aws:accountId, anything
// unknown) are resolved through Options.Remote when given; otherwise the
// value is left as written, marked with node.Node.Unresolved, and a
// "variable-remote" warning names the source. Environment variables that
// hold credentials or runtime tokens are never read (see secret.go).
//
// Resolve does no I/O of its own: files are read through Options.ReadFile.
package vars

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Rule IDs of the findings this package reports.
const (
	RuleUnresolved = "variable-unresolved" // error: no value and no fallback, or a source error
	RuleRemote     = "variable-remote"     // warning: needs AWS or a plugin; left unresolved
	RuleSecretEnv  = "variable-secret-env" // error: ${env:...} of a credential or token
	RuleCycle      = "variable-cycle"      // error: circular reference or runaway nesting
	RuleSyntax     = "variable-syntax"     // error: malformed variable
	RuleFile       = "variable-file"       // error: ${file(...)} outside the root or unreadable
)

// Rules describes the rules of this package for the registry
// (internal/rules).
func Rules() []diag.Rule {
	return []diag.Rule{
		{ID: RuleUnresolved, Severity: diag.Error,
			Summary:     "a variable without value or fallback",
			Description: "A variable has no value and no fallback, or its source failed.",
			Help:        "Give the missing value (the `self:` path, the option, the environment variable) or a fallback: `${env:STAGE, 'dev'}`."},
		{ID: RuleRemote, Severity: diag.Warning,
			Summary:     "a variable that needs AWS or a plugin, left unresolved offline",
			Description: "A variable needs AWS (cf, ssm, s3, aws:accountId) or a plugin source and is left unresolved offline; deploy resolves the AWS ones with credentials.",
			Help:        "The values that depend on it are not linted or compiled offline. Deploy with AWS credentials resolves `cf`, `ssm`, `s3` and `aws:` sources; plugin sources are never resolved."},
		{ID: RuleSecretEnv, Severity: diag.Error,
			Summary:     "`${env:...}` of a credential or token",
			Description: "An ${env:...} variable names a credential or runtime token, which would end up in a template or artifact; it is never resolved.",
			Help:        "Do not put credentials in stream event settings. Reference the secret where it is used at runtime (an SSM parameter or Secrets Manager ARN read by the function), not in the configuration."},
		{ID: RuleCycle, Severity: diag.Error,
			Summary:     "variables in a cycle, or nested too deep",
			Description: "Variables refer to each other in a cycle, or nest deeper than the resolver allows.",
			Help:        "Follow the chain in the message and break it: one of the values must not depend on the others."},
		{ID: RuleSyntax, Severity: diag.Error,
			Summary:     "a malformed variable",
			Description: "A variable is malformed (unterminated, bad parameters or address).",
			Help:        "Close every `${` with `}`, quote string fallbacks (`${opt:stage, 'dev'}`) and give each source the address it needs (`${self:custom.x}`, `${file(./f.yml):key}`)."},
		{ID: RuleFile, Severity: diag.Error,
			Summary:     "`${file(...)}` outside the repository, or unreadable",
			Description: "A ${file(...)} variable reads a file outside the repository root, or a file that cannot be read or parsed.",
			Help:        "Keep the files a configuration reads inside the repository (only they are read), and check that the path exists relative to the configuration and that the file is valid YAML or JSON."},
	}
}

// Remote resolves the sources that need AWS at deploy time. kind is "cf",
// "ssm", "s3" or "aws". param is the "(...)" argument as written, params
// joined with "," (the region of cf(region) and ssm(region); ssm may also
// carry the flags "raw" and "noDecrypt", e.g. "raw,eu-west-1"). address is
// the part after ":" (stack.output, /param/path, bucket/key, accountId).
// It returns a string, float64, bool, []any, map[string]any, or nil when
// the value does not exist (then the variable's fallback applies).
type Remote interface {
	Resolve(ctx context.Context, kind, param, address string) (any, error)
}

// Options configures a resolution.
type Options struct {
	// Stage and Region are the --stage and --region flags; empty means
	// not given (then provider.stage / provider.region, then dev /
	// us-east-1, as Serverless does).
	Stage, Region string
	// Opts are further CLI options for ${opt:...}; Stage and Region are
	// added as "stage" and "region" when set.
	Opts map[string]string
	// Params are --param key=value values; they win over the config's
	// params block.
	Params map[string]string
	// Getenv reads the environment for ${env:...}; nil means empty.
	Getenv func(string) (string, bool)
	// ReadFile reads files for ${file(...)}. It is given a clean path
	// inside Root, as filepath.Join(ServiceDir, argument). nil: file()
	// cannot be read.
	ReadFile func(path string) ([]byte, error)
	// ServiceDir is the config's folder; file() paths are relative to it,
	// and included files are named filepath.ToSlash(path) in ranges.
	ServiceDir string
	// Root is the repository root that file() may not leave; empty means
	// ServiceDir.
	Root string
	// Remote resolves cf, ssm, s3 and aws:accountId; nil leaves them
	// unresolved with a warning.
	Remote Remote
	// Ctx is passed to Remote; nil means context.Background().
	Ctx context.Context
}

// Result is a resolved configuration.
type Result struct {
	// Root is the resolved tree. Resolve edits the tree it is given in
	// place and returns it.
	Root *node.Node
	// Stage and Region are the effective stage and region.
	Stage, Region string
	// Findings are sorted.
	Findings diag.Findings
}

// Limits that keep resolution finite whatever the input.
const (
	maxNest   = 10        // Serverless's bound on re-resolving resolved values
	maxDepth  = 1000      // bound on nested resolution (property chains, nesting)
	maxSteps  = 1_000_000 // bound on variables resolved in all
	maxCopied = 500_000   // bound on values copied by variables
	maxLen    = 1 << 20   // bound on the length of a string built by variables
	// maxBuilt bounds the bytes of all strings built by variables: maxLen
	// alone lets a small file hold thousands of "a${self:big}" values of
	// almost 1 MiB each, gigabytes in all.
	maxBuilt = 32 << 20
)

// Resolve resolves every variable in root.
func Resolve(root *node.Node, o Options) Result {
	r := newResolver(root, o)
	if root.IsMap() {
		r.walk(root, make([]string, 0, 32))
	}
	res := Result{Root: root, Stage: r.stage(), Region: r.region()}
	res.Findings = r.findings.Sorted()
	return res
}

func newResolver(root *node.Node, o Options) *resolver {
	if o.Ctx == nil {
		o.Ctx = context.Background()
	}
	if o.ServiceDir == "" {
		o.ServiceDir = "."
	}
	if o.Root == "" {
		o.Root = o.ServiceDir
	}
	opts := make(map[string]string, len(o.Opts)+2)
	for k, v := range o.Opts {
		opts[k] = v
	}
	if o.Stage != "" {
		opts["stage"] = o.Stage
	}
	if o.Region != "" {
		opts["region"] = o.Region
	}
	o.Opts = opts
	absRoot, err := filepath.Abs(o.Root)
	if err != nil {
		absRoot = filepath.Clean(o.Root)
	}
	return &resolver{
		o: o, root: root, absRoot: absRoot,
		props:   map[*node.Node]*prop{},
		done:    map[*node.Node]bool{},
		lookups: map[string]*node.Node{},
		files:   map[string]fileResult{},
		remotes: map[string]remoteResult{},
		index:   map[*node.Node]map[string]int{},
		parsed:  map[string]parsed{},
		simple:  simple{segs: map[string]segment{}},
	}
}

// outsideRoot words the one variable-file error Serverless does not stop on
// (it reads files anywhere; we refuse to leave the repository).
const outsideRoot = "outside the repository root"

// StopsServerless reports whether a finding of this package stops
// Serverless, which resolves every variable of the config and fails on any
// it cannot: all but the remote sources it resolves with credentials, the
// secrets we refuse to read, and files outside the repository it reads.
func StopsServerless(f diag.Finding) bool {
	if f.Severity != diag.Error {
		return false
	}
	switch f.Rule {
	case RuleUnresolved, RuleSyntax, RuleCycle:
		return true
	case RuleFile:
		return !strings.Contains(f.Message, outsideRoot)
	}
	return false
}
