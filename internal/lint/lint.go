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

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// HelpBase is where every rule's help link points: the section of RULES.md
// named after the rule.
const HelpBase = "https://github.com/stream-events/stream-events/blob/main/internal/lint/RULES.md"

// Rule describes one lint rule.
type Rule struct {
	ID          string // stable kebab-case ID, the Finding.Rule of its findings
	Severity    diag.Severity
	Description string // one sentence
	HelpURI     string
}

// Options are the inputs Lint needs besides the tree.
type Options struct {
	// Now is the time timestamps are compared with; zero means time.Now().
	Now time.Time
	// Service and Stage name generated Kinesis consumers (consumerNamingMode
	// serviceSpecific). Empty means: the config's `service` and
	// `provider.stage`, else "dev" as Serverless defaults.
	Service, Stage string
}

// Rules returns every rule in the order they run.
func Rules() []Rule {
	defs := definitions()
	out := make([]Rule, len(defs))
	for i, d := range defs {
		out[i] = d.rule
		out[i].HelpURI = HelpBase + "#" + d.rule.ID
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
		if d.check != nil {
			d.check(p)
		}
	}
	if mode := root.Get("configValidationMode"); mode.IsString() && mode.Str == "off" {
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
}

// report adds a finding of rule r at the range of n.
func (p *pass) report(r *Rule, n *node.Node, format string, args ...any) {
	if n == nil {
		return
	}
	p.findings = append(p.findings, diag.Finding{
		Rule:     r.ID,
		Severity: r.Severity,
		Message:  fmt.Sprintf(format, args...),
		Range:    n.Range,
	})
}
