// Package pipeline is what the CLI and the Action both do with a config:
// load and resolve it, lint it, compile it, decide which findings block,
// and build the standalone template with its parameters. It does no I/O of
// its own: files come through Files and Options.ReadBase, AWS through
// vars.Remote.
package pipeline

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/rules"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// Template modes.
const (
	// Standalone is a template that deploys on its own next to the
	// Serverless stack.
	Standalone = "standalone"
	// Serverless is what Serverless v3 adds to its own template.
	Serverless = "serverless"
)

// Options are the compile settings.
type Options struct {
	Mode string // Standalone or Serverless
	// Base is the template serverless mode merges into ("" for none),
	// read with ReadBase once the config compiles.
	Base      string
	ReadBase  func(name string) ([]byte, error)
	Strict    bool   // stop on schema errors, as configValidationMode: error does
	RoleName  string // standalone: the IAM role every function's policy attaches to
	SkipEmpty bool   // standalone: a service without stream events is no error (the Action)
}

// Lint returns every finding for a loaded config: the loader's and the
// linter's, sorted.
func Lint(cfg *loader.Config, now time.Time) diag.Findings {
	return withLoader(cfg, lintAll(cfg, now))
}

// lintAll runs every rule of the linter; nil without a tree.
func lintAll(cfg *loader.Config, now time.Time) diag.Findings {
	if cfg.Root == nil {
		return nil
	}
	return lint.Lint(cfg.Root, lint.Options{Now: now, Stage: cfg.Stage})
}

// withLoader adds the loader's findings to the linter's, sorted.
func withLoader(cfg *loader.Config, linted diag.Findings) diag.Findings {
	findings := append(diag.Findings{}, cfg.Findings...)
	return append(findings, linted...).Sorted()
}

// LintCompile is Lint, then Compile, as the Action runs them on each
// service; a standalone compile that is not strict reads Lint's findings
// instead of linting again, while it compiles.
func LintCompile(cfg *loader.Config, o Options, now time.Time) (linted diag.Findings, tpl *node.Node, res *compile.Result, findings diag.Findings, err error) {
	all := sync.OnceValue(func() diag.Findings { return lintAll(cfg, now) })
	tpl, res, findings, err = compileWith(cfg, o, all)
	return withLoader(cfg, all()), tpl, res, findings, err
}

// LintAll is what the lint command reports: Lint's findings and those that
// stop compilation of the standalone template (an event that needs an
// unresolved value, a logical-ID collision), so that lint fails where
// compile does. A service without stream events is a notice here, and the
// execution role is left to compile, which has --role-name to name it.
// The linter runs once, beside the compiler, which reads its findings.
func LintAll(cfg *loader.Config, now time.Time) diag.Findings {
	findings, _, _, cf, _ := LintCompile(cfg, Options{Mode: Standalone, SkipEmpty: true}, now)
	for _, f := range cf {
		if r, _ := rules.Lookup(f.Rule); r.Producer != "lint" && f.Rule != compile.RoleRule && !compile.IsNoStreamEvents(f) {
			findings = append(findings, f)
		}
	}
	return findings.Sorted()
}

// Compile runs validation and compilation. A nil template means the config
// cannot be compiled; the findings say why. An error is a failure to read
// the base template.
func Compile(cfg *loader.Config, o Options) (*node.Node, *compile.Result, diag.Findings, error) {
	return compileWith(cfg, o, nil)
}

// compileWith is Compile that takes the findings of every lint rule from
// linted, when given, instead of linting again: they are what
// lintForCompile would compute for a standalone compile that is not strict.
func compileWith(cfg *loader.Config, o Options, linted func() diag.Findings) (*node.Node, *compile.Result, diag.Findings, error) {
	findings := append(diag.Findings{}, cfg.Findings...)
	if cfg.Root == nil || slices.ContainsFunc(cfg.Findings, fatal) {
		return nil, nil, findings, nil // the file itself is unusable, and already said why
	}
	if o.Mode == Serverless || o.Strict {
		linted = nil // other rules or other severities
	}
	// Lint and compile only read the resolved tree: on a large service,
	// running them side by side halves the wait on a two-core runner.
	type lintResult struct {
		findings diag.Findings
		blocking bool
	}
	done := make(chan lintResult, 1)
	go func() {
		fs, blocking := lintForCompile(cfg, o, linted)
		done <- lintResult{fs, blocking}
	}()
	svc, lf := compile.Load(cfg.Root, cfg.Stage, cfg.Region)
	res := compile.Compile(svc)
	lr := <-done
	findings = append(findings, lr.findings...)
	if lr.blocking {
		return nil, nil, findings, nil
	}
	findings = append(findings, lf...)
	findings = append(findings, res.Findings...)
	if lf.HasErrors() || res.Findings.HasErrors() {
		return nil, res, findings, nil
	}
	if o.Mode == Serverless && slices.ContainsFunc(cfg.Findings, vars.StopsServerless) {
		return nil, res, findings, nil
	}
	var tpl *node.Node
	var mf diag.Findings
	if o.Mode == Serverless {
		var base *node.Node
		if o.Base != "" {
			data, err := o.ReadBase(o.Base)
			if err != nil {
				return nil, nil, findings, fmt.Errorf("read base template: %w", err)
			}
			var bf diag.Findings
			base, bf = yamlsrc.Parse(o.Base, data)
			if bf.HasErrors() {
				return nil, nil, append(findings, bf...), nil
			}
		}
		tpl, mf = compile.ServerlessTemplate(res, base)
	} else {
		tpl, mf = compile.Standalone(res, compile.StandaloneOptions{RoleName: o.RoleName, SkipEmpty: o.SkipEmpty})
	}
	findings = append(findings, mf...)
	if mf.HasErrors() {
		return nil, res, findings, nil
	}
	// Standalone mode promises a template deploy accepts, and deploy
	// refuses any error: a variable that cannot be resolved anywhere in
	// the config stops it too, so lint, compile and deploy agree. Checked
	// last, so that a service without stream events still gets its notice.
	if o.Mode != Serverless && cfg.Findings.HasErrors() {
		return nil, res, findings, nil
	}
	return tpl, res, findings, nil
}

// fatal reports a finding on a file that cannot be used at all.
func fatal(f diag.Finding) bool {
	r, _ := rules.Lookup(f.Rule)
	return r.Fatal
}

// lintForCompile returns the lint findings compile reports, and whether
// they stop compilation (internal/rules derives the stages of the linter's
// rules from the same policy). Serverless mode reports what Serverless
// itself prints (its schema and its deprecation: diag.Rule.Serverless) and
// stops on schema errors only in strict mode, as configValidationMode: error
// does (which makes the schema findings errors whatever Strict says, so
// lint's own findings serve a standalone compile that is not strict).
// Standalone mode promises a template CloudFormation deploys, so every lint
// error stops it.
func lintForCompile(cfg *loader.Config, o Options, linted func() diag.Findings) (diag.Findings, bool) {
	var out diag.Findings
	blocking := false
	strict := o.Strict || lint.ValidationMode(cfg.Root) == "error"
	var all diag.Findings
	if linted != nil {
		all = linted()
	} else {
		lo := lint.Options{Stage: cfg.Stage, Strict: strict}
		if o.Mode == Serverless {
			lo.Only = serverlessReports
		}
		all = lint.Lint(cfg.Root, lo)
	}
	for _, x := range all {
		r, _ := rules.Lookup(x.Rule)
		standaloneErr := o.Mode != Serverless && x.Severity == diag.Error
		if r.Serverless || standaloneErr {
			out = append(out, x)
		}
		if x.Severity == diag.Error && (standaloneErr || strict && r.Serverless) {
			blocking = true
		}
	}
	return out, blocking
}

// serverlessReports reports the rules whose findings Serverless itself
// prints (its schema and its deprecation): the only ones compile runs in
// serverless mode.
func serverlessReports(id string) bool {
	r, _ := rules.Lookup(id)
	return r.Serverless
}

// Encode writes a template: serverless mode byte for byte as Serverless
// writes it, standalone mode with the escapes CloudFormation's YAML-based
// tools need.
func Encode(w io.Writer, tpl *node.Node, mode string) error {
	if mode != Serverless {
		return tpl.WriteIndentCFN(w)
	}
	return tpl.WriteIndent(w)
}

// Bytes renders a template as Encode does.
func Bytes(tpl *node.Node, mode string) []byte {
	if mode != Serverless {
		return tpl.IndentCFN()
	}
	return tpl.Indent()
}
