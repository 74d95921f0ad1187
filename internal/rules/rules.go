// Package rules is the registry of every rule a finding can carry, from
// every stage: the YAML parser, the loader, the variable resolver, the
// linter, the compiler and the Action. RULES.md (internal/lint/RULES.md, the
// target of every SARIF help link), the README's rule table and the SARIF
// rules table are all generated from All, and the pipeline asks Lookup about
// a finding's rule instead of matching rule IDs.
//
// Each producer describes its rules with diag.Rule next to the code that
// reports them and returns them from its Rules function; All gathers those
// lists and fills in where each rule's findings can appear. The Action's
// rules are described here, since the Action is above this package.
//
// # Adding a rule
//
// To a producer that is already listed (yamlsrc, loader, vars, compile):
// add one diag.Rule to the list its Rules function returns, e.g. in vars
//
//	{ID: RuleDotenvSecret, Severity: diag.Error,
//		Summary:     "a phrase for the README table, no period",
//		Description: "One or two sentences for RULES.md and SARIF.",
//		Help:        "Optional Markdown: what to do."},
//
// and report findings with that ID. Set Fatal when the file cannot be used
// at all (compile then stops before linting), Serverless when Serverless v3
// itself reports it while packaging (compile in serverless mode reports it
// too). Leave Producer and Stages zero, unless the rule appears in fewer
// places than the rest of its package (base-template: only the CLI reads a
// --base). To the linter: a diag.Rule variable in its rule_*.go file, and
// a line in definitions() (internal/lint/rules.go) with its check. To the
// Action: a constant and an entry in actionRules below.
//
// Branches written before this registry: an entry added to pipeline's
// otherRules moves to its producer's Rules list as above; a linter rule
// written as lint.Rule{...} becomes diag.Rule{...} with a Summary;
// pipeline.RuleTemplateSecret is TemplateSecret here.
//
// A new package of rules (internal/plan): describe them with diag.Rule
// (plan's own Rule type becomes "type Rule = diag.Rule", and each rule gets
// a Summary), and add one line to the producers in All:
//
//	{"plan", diag.InAction, plan.Rules()},
//
// Then regenerate the documents, and commit them:
//
//	go test ./internal/rules -update
//
// It rewrites internal/lint/RULES.md and the README's rule table; the
// tests of this package fail until they agree with All, and when a golden
// output anywhere holds a finding of a rule missing here.
package rules

import (
	"strings"
	"sync"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/plan"
	"github.com/stream-events/stream-events/internal/preflight"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// helpBase is where every rule's help link points: the section of RULES.md
// named after the rule.
const helpBase = "https://github.com/stream-events/stream-events/blob/main/internal/lint/RULES.md"

// The Action's rule IDs.
const (
	// TemplateSecret marks a compiled template that holds a credential.
	TemplateSecret = "template-secret"
	// ConfigRead marks a configuration the Action could not read.
	ConfigRead = "config-read"
	// StackValue marks a standalone template parameter that deploy fills
	// from the Serverless stack (a notice from compile), or cannot fill.
	StackValue = "stack-value"
)

// producer is one package's rules and where its findings appear. A rule
// that sets Stages itself keeps them.
type producer struct {
	name   string
	stages diag.Stage
	rules  []diag.Rule
}

// All returns every rule, linter's first, then in pipeline order. The list
// is built on each call; callers may change it.
func All() []diag.Rule {
	var out []diag.Rule
	for _, p := range []producer{
		{"lint", diag.InLint | diag.InAction, lintRules()},
		{"yamlsrc", diag.Everywhere, yamlsrc.Rules()},
		{"loader", diag.Everywhere, loader.Rules()},
		{"vars", diag.Everywhere, vars.Rules()},
		{"compile", diag.InCompile | diag.InAction, compile.Rules()},
		{"action", diag.InAction, actionRules()},
		{"plan", diag.InPlan | diag.InAction, plan.Rules()},
		{"pipeline", diag.InCompile | diag.InAction, deployRules()},
		{"preflight", diag.InAction, preflight.Rules()},
	} {
		for _, r := range p.rules {
			r.Producer = p.name
			if r.Stages == 0 {
				r.Stages = p.stages
			}
			out = append(out, r)
		}
	}
	return out
}

// lintRules adds compile to the linter's rules that compile reports: what
// Serverless itself reports, and (standalone mode) every error; see
// pipeline's lintForCompile.
func lintRules() []diag.Rule {
	rs := lint.Rules()
	for i, r := range rs {
		if r.Serverless || r.Severity == diag.Error {
			rs[i].Stages = diag.Everywhere
		}
	}
	return rs
}

func actionRules() []diag.Rule {
	return []diag.Rule{
		{ID: TemplateSecret, Severity: diag.Error,
			Summary:     "a compiled template that holds a credential or token",
			Description: "The Action refuses a compiled template that holds a credential or token (the value of a credential variable, or a token-shaped value): it would be written to disk, uploaded as an artifact and sent to AWS.",
			Help:        "Find the value the message points at and take the secret out of the stream event settings; read it at runtime instead (an SSM parameter or a Secrets Manager ARN the function reads)."},
		{ID: ConfigRead, Severity: diag.Error,
			Summary:     "a configuration the Action could not read",
			Description: "The Action could not load a configuration (missing, of an unsupported type, JavaScript or TypeScript, unreadable, or a symbolic link out of the repository), so it reports the error on the file and carries on with the other services.",
			Help:        "The message gives the cause. Check the paths and patterns of the `config` input against the repository; a `serverless.js` or `.ts` needs a YAML or JSON copy."},
	}
}

// deployRules are the pipeline's rules for a deploy, which sits above this
// package as the Action does.
func deployRules() []diag.Rule {
	return []diag.Rule{
		{ID: StackValue, Severity: diag.Error,
			Summary:     "a template parameter nobody gives a value",
			Description: "A parameter of the standalone template (a resource of the Serverless stack) has no value: the Serverless stack, the resource or its stream does not exist, and no --parameter or parameters: input gives it. compile reports, as a notice, where deploy will take each parameter from.",
			Help:        "Deploy the Serverless stack first (`serverless deploy`), name it with `--serverless-stack` (input `serverless-stack`) when it is not `<service>-<stage>`, or give the value with `--parameter NAME=VALUE`."},
	}
}

var index = sync.OnceValue(func() map[string]diag.Rule {
	m := map[string]diag.Rule{}
	for _, r := range All() {
		m[r.ID] = r
	}
	return m
})

// Lookup returns the rule with the given ID.
func Lookup(id string) (diag.Rule, bool) {
	r, ok := index()[id]
	return r, ok
}

// helpURI is the link to the rule's section of RULES.md.
func helpURI(id string) string { return helpBase + "#" + id }

// SARIF describes every rule for the SARIF rules table.
func SARIF() []annotate.RuleInfo {
	var out []annotate.RuleInfo
	for _, r := range All() {
		out = append(out, annotate.RuleInfo{ID: r.ID, Name: r.ID, Severity: r.Severity,
			Description: r.Description, Help: help(r), HelpURI: helpURI(r.ID)})
	}
	return out
}

// help is the rule's description followed by its advice, or "" (the
// description alone) when it has none.
func help(r diag.Rule) string {
	if r.Help == "" {
		return ""
	}
	return strings.TrimSpace(r.Description + "\n\n" + r.Help)
}
