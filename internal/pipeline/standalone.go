package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/rules"
	"github.com/stream-events/stream-events/internal/stackref"
)

// DefaultStackName keeps the stream mappings apart from the stack
// Serverless deploys (<service>-<stage>).
func DefaultStackName(svc *compile.Service) string {
	return svc.Name + "-" + svc.Stage + "-streams"
}

// ServerlessStackName is the stack `serverless deploy` made for the
// service: provider.stackName, else <service>-<stage>. The standalone
// template's parameters take their values from it.
func ServerlessStackName(svc *compile.Service) string {
	if n := svc.Root.Path("provider", "stackName"); n.IsString() && n.Str != "" {
		return n.Str
	}
	return svc.Name + "-" + svc.Stage
}

// RuleStackValue marks a template parameter whose value neither the user
// nor the Serverless stack gives.
const RuleStackValue = rules.StackValue

// Template is a standalone template waiting for the values of its
// parameters.
type Template struct {
	tpl    *node.Node
	Result *compile.Result
	// Values are every parameter's value and where it came from, once
	// Resolve has run.
	Values []stackref.Value
}

// StandaloneTemplate compiles cfg for deployment: always the standalone
// template, which deploys on its own next to the Serverless stack. A nil
// template means findings stop the deployment.
func StandaloneTemplate(cfg *loader.Config, roleName string) (*Template, diag.Findings, error) {
	tpl, res, fs, err := Compile(cfg, Options{Mode: Standalone, RoleName: roleName})
	if err != nil || tpl == nil {
		return nil, fs, err
	}
	return &Template{tpl: tpl, Result: res}, fs, nil
}

// LintedTemplate is Lint's findings and StandaloneTemplate's, sorted, as
// deploy reports them, linting once.
func LintedTemplate(cfg *loader.Config, roleName string, now time.Time) (*Template, diag.Findings, error) {
	linted, tpl, res, fs, err := LintCompile(cfg, Options{Mode: Standalone, RoleName: roleName}, now)
	findings := append(linted, fs...).Sorted()
	if err != nil || tpl == nil {
		return nil, findings, err
	}
	return &Template{tpl: tpl, Result: res}, findings, nil
}

// StackReader finds parameter values in the Serverless stack
// (internal/account reads them).
type StackReader interface {
	Fill(ctx context.Context, stack string, params []compile.Parameter) ([]stackref.Value, []stackref.Unfound, error)
}

// Resolve gives every parameter its value: the values given first (how
// names the flag or input), then the Serverless stack through r (nil: no
// reads). A value nobody finds is an error finding at its reference in the
// config; an empty or unknown given value is a usage error. Each value
// becomes its parameter's Default: the deployer sends the template as it
// is, and a Default is how a template carries a value without a
// ParameterValue.
func (t *Template) Resolve(ctx context.Context, given KeyValues, how, stack string, r StackReader) (diag.Findings, error) {
	ps := t.tpl.Get("Parameters")
	for _, k := range given.keys {
		if ps.Get(k) == nil {
			return nil, exit.Usagef("template parameter %q does not exist; the template has %s", k, paramList(ps))
		}
		if given.m[k] == "" {
			return nil, exit.Usagef("%s gives template parameter %q an empty value", how, k)
		}
	}
	byName := map[string]stackref.Value{}
	var want []compile.Parameter
	for _, p := range t.Result.Parameters {
		if v, ok := given.m[p.Name]; ok {
			byName[p.Name] = stackref.Value{Name: p.Name, Value: v, Source: how}
		} else {
			want = append(want, p)
		}
	}
	var findings diag.Findings
	if len(want) > 0 && r != nil {
		vals, unfound, err := r.Fill(ctx, stack, want)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			byName[v.Name] = v
		}
		for _, u := range unfound {
			findings = append(findings, t.unfound(u.Name, u.Reason+"; or give it with "+how+" "+u.Name+"=..."))
		}
	}
	for _, p := range t.Result.Parameters {
		v, ok := byName[p.Name]
		if !ok {
			if r == nil {
				findings = append(findings, t.unfound(p.Name, fmt.Sprintf("%s: give its value with %s %s=...", p.Expr(), how, p.Name)))
			}
			continue
		}
		ps.Get(p.Name).Set("Default", node.NewString(v.Value, diag.Range{}))
		t.Values = append(t.Values, v)
	}
	return findings.Sorted(), nil
}

func (t *Template) unfound(name, reason string) diag.Finding {
	f := diag.Finding{Rule: RuleStackValue, Severity: diag.Error, Message: fmt.Sprintf("no value for template parameter %s: %s", name, reason)}
	for _, p := range t.Result.Parameters {
		if p.Name == name {
			f.Range = p.Range
		}
	}
	return f
}

// Body is the template as CloudFormation receives it.
func (t *Template) Body() []byte { return t.tpl.IndentCFN() }

// ParameterNotes say, offline, which parameters the standalone template of
// res has and where deploy will take each from: compile prints them as
// notices at the references.
func ParameterNotes(res *compile.Result) diag.Findings {
	if res == nil {
		return nil
	}
	stack := ServerlessStackName(res.Service)
	var out diag.Findings
	for _, p := range res.Parameters {
		t := ""
		if typ := res.Service.Root.Path("resources", "Resources", p.Target, "Type"); typ.IsString() {
			t = typ.Str
		}
		out = append(out, diag.Finding{Rule: RuleStackValue, Severity: diag.Notice, Range: p.Range, Message: fmt.Sprintf(
			"template parameter %s (%s): deploy reads it from the Serverless stack %s (%s) unless --parameter or the parameters input gives it",
			p.Name, p.Expr(), stack, stackref.Describe(t, p.Attr))})
	}
	return out
}

func paramList(ps *node.Node) string {
	if !ps.IsMap() || len(ps.Pairs) == 0 {
		return "no parameters"
	}
	var names []string
	for _, p := range ps.Pairs {
		names = append(names, p.Key.Str)
	}
	sort.Strings(names)
	return "parameters " + strings.Join(names, ", ")
}
