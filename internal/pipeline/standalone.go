package pipeline

import (
	"sort"
	"strings"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/node"
)

// DefaultStackName keeps the stream mappings apart from the stack
// Serverless deploys (<service>-<stage>).
func DefaultStackName(svc *compile.Service) string {
	return svc.Name + "-" + svc.Stage + "-streams"
}

// StandaloneTemplate compiles cfg for deployment: always the standalone
// template, which deploys on its own next to the Serverless stack, with
// params as the values of its Parameters; how names the flag or input that
// sets them. A nil template means findings stop the deployment.
func StandaloneTemplate(cfg *loader.Config, roleName string, params KeyValues, how string) ([]byte, *compile.Result, diag.Findings, error) {
	tpl, res, fs, err := Compile(cfg, Options{Mode: Standalone, RoleName: roleName})
	if err != nil || tpl == nil {
		return nil, res, fs, err
	}
	if err := applyParameters(tpl, params, how); err != nil {
		return nil, res, fs, err
	}
	return tpl.IndentCFN(), res, fs, nil
}

// applyParameters writes each value as its parameter's Default. The
// deployer sends the template as it is, and a Default is how a template
// carries a value without a ParameterValue. A parameter left without a
// value would fail CreateChangeSet; it is reported here, with the flag
// or input that sets it.
func applyParameters(tpl *node.Node, params KeyValues, how string) error {
	ps := tpl.Get("Parameters")
	for _, k := range params.keys {
		p := ps.Get(k)
		if p == nil {
			return exit.Usagef("template parameter %q does not exist; the template has %s", k, paramList(ps))
		}
		p.Set("Default", node.NewString(params.m[k], diag.Range{}))
	}
	var missing []string
	if ps.IsMap() {
		for _, pair := range ps.Pairs {
			if pair.Value.Get("Default") == nil {
				missing = append(missing, pair.Key.Str)
			}
		}
	}
	if len(missing) > 0 {
		return exit.Usagef("the standalone template references resources of the Serverless stack; give their values with %s (for example %s=...): %s",
			how, missing[0], strings.Join(missing, ", "))
	}
	return nil
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
