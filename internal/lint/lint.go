// Package lint checks the DynamoDB and Kinesis `stream` events of a resolved
// serverless.yml, and the parts of the config their compilation reads,
// against Serverless Framework v3.40.0's schema and against what AWS really
// accepts. It reports findings only; it never changes the tree.
//
// Lint walks the tree once to collect the stream events (collect.go); every
// rule then works on that collection. Values that come from a variable which
// could not be resolved offline (node.Unresolved) are never linted: the
// resolver reports them.
package lint

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// Options are the inputs Lint needs besides the tree.
type Options struct {
	// Now is the time timestamps are compared with; zero means time.Now().
	Now time.Time
	// Service and Stage name generated Kinesis consumers (consumerNamingMode
	// serviceSpecific). Empty means: the config's `service` and
	// `provider.stage`, else "dev" as Serverless defaults.
	Service, Stage string
	// Only, when set, runs just the rules it accepts (by ID): compile in
	// serverless mode prints only the schema and deprecation findings, as
	// Serverless does, and need not pay for the rest.
	Only func(ruleID string) bool
	// Strict makes the schema findings Serverless only warns about errors,
	// as configValidationMode: error does (compile --strict).
	Strict bool
}

// Rules returns every rule in the order they run, for the registry
// (internal/rules).
func Rules() []diag.Rule {
	defs := definitions()
	out := make([]diag.Rule, len(defs))
	for i, d := range defs {
		out[i] = d.rule
	}
	return out
}

// Lint checks root, the resolved serverless.yml, and returns its findings
// sorted.
func Lint(root *node.Node, o Options) diag.Findings {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	p := collect(root, o)
	for _, d := range definitions() {
		if d.check != nil && (o.Only == nil || o.Only(d.rule.ID)) {
			d.check(p)
		}
	}
	if ValidationMode(root) == "off" {
		// They stay: each is a real problem; but Serverless will not say so.
		for i, f := range p.findings {
			if strings.HasPrefix(f.Rule, "schema-") {
				p.findings[i].Message += " (Serverless does not report it: configValidationMode is off)"
			}
		}
	}
	return p.findings.Sorted()
}

// pass is the state shared by the rules of one Lint call.
type pass struct {
	root     *node.Node
	opts     Options
	service  string
	stage    string
	events   []*event
	findings diag.Findings
	// eventBlock is where newEvent takes events from.
	eventBlock []event
}

// report adds a finding of rule r at the range of n. A long string
// argument is cut (clip): one YAML anchor of a 100 kB value used by
// thousands of events would otherwise put gigabytes into messages.
func (p *pass) report(r *diag.Rule, n *node.Node, format string, args ...any) {
	if n == nil {
		return
	}
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clip(s)
		}
	}
	p.findings = append(p.findings, diag.Finding{
		Rule:     r.ID,
		Severity: r.Severity,
		Message:  fmt.Sprintf(format, args...),
		Range:    n.Range,
	})
}

// maxArg is the most of a value a message quotes, far longer than any
// name, ARN or pattern a rule shows.
const maxArg = 1024

// clip cuts s to maxArg bytes, at a rune boundary, marking the cut with
// "…".
func clip(s string) string {
	if len(s) <= maxArg {
		return s
	}
	i := maxArg
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
