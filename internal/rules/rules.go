// Package rules is the registry of every rule a finding can carry, from
// every stage: the YAML parser, the loader, the variable resolver, the
// linter, the compiler and the Action. RULES.md, the README's rule table and
// the SARIF rules table are all generated from All, and the pipeline asks it
// about a finding's rule (Lookup) instead of matching rule IDs.
//
// Each producer describes its own rules with diag.Rule, next to the code
// that reports them, and exports them from a Rules function; All gathers
// those lists. The Action's rules are described here, since the Action is
// above this package.
//
// # Adding a rule
//
//  1. In the producer, name the ID and describe the rule: add a diag.Rule
//     (ID, Severity, Summary, Description, optional Help, and Fatal or
//     Serverless if they hold) to the list its Rules function returns; in
//     the linter, add the rule to definitions() in internal/lint/rules.go.
//     A new producer (such as internal/plan) adds one line to All:
//     {"plan", diag.InAction, plan.Rules()}.
//  2. Report findings with that ID.
//  3. Regenerate the documentation: go test ./internal/rules -update
//     rewrites internal/lint/RULES.md and the README's rule table; commit
//     both. TestDocs fails until they agree with All.
//
// Properties the pipeline acts on are fields of diag.Rule (Fatal,
// Serverless): set them on the rule; never compare rule IDs.
package rules

import (
	"strings"
	"sync"

	"github.com/stream-events/stream-events/internal/annotate"
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lint"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/vars"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// HelpBase is where every rule's help link points: the section of RULES.md
// named after the rule.
const HelpBase = "https://github.com/stream-events/stream-events/blob/main/internal/lint/RULES.md"

// The Action's rule IDs.
const (
	// TemplateSecret marks a compiled template that holds a credential.
	TemplateSecret = "template-secret"
	// ConfigRead marks a configuration the Action could not read.
	ConfigRead = "config-read"
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
func helpURI(id string) string { return HelpBase + "#" + id }

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
