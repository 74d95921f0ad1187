package pipeline

import (
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/plan"
)

// PlanStackName is the stack a plan reads by default: in serverless mode
// the stack Serverless deploys (provider.stackName, else
// <service>-<stage>), in standalone mode the stream stack a deploy
// creates (see DefaultStackName).
func PlanStackName(cfg *loader.Config, svc *compile.Service, mode string) string {
	if mode == Standalone {
		return DefaultStackName(svc)
	}
	if n := cfg.Root.Get("provider").Get("stackName"); n.IsString() && n.Str != "" {
		return n.Str
	}
	return svc.Name + "-" + svc.Stage
}

// Planned is the result of Plan.
type Planned struct {
	Plan     plan.Plan       // nil when there is nothing to compare
	Compiled *compile.Result // nil when the config did not compile
	Findings diag.Findings
}

// Previous returns the template a plan compares with, once the compiled
// service (its name and stage name the default stack) is known: its text
// (JSON or YAML, a template or a GetTemplate answer), named name in
// findings, or nil data when nothing is deployed yet.
type Previous func(svc *compile.Service) (name string, data []byte, err error)

// Plan compiles cfg in o.Mode and compares its stream resources with the
// template previous returns. A nil Plan with error findings means there is
// nothing to compare; an error is previous's, or a failure to read the
// base template.
func Plan(cfg *loader.Config, o Options, previous Previous) (Planned, error) {
	tpl, res, fs, err := Compile(cfg, o)
	out := Planned{Compiled: res, Findings: fs}
	if err != nil || tpl == nil {
		return out, err
	}
	name, data, err := previous(res.Service)
	if err != nil {
		return out, err
	}
	if data == nil { // nothing deployed: every resource is added
		out.Plan = plan.Compare(tpl, nil)
		return out, nil
	}
	t, pf := plan.ParseTemplate(name, data)
	out.Findings = append(out.Findings, pf...)
	if t != nil {
		out.Plan = plan.Compare(tpl, t)
	}
	return out, nil
}
