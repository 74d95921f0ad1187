package action

import (
	"fmt"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/pipeline"
	"github.com/stream-events/stream-events/internal/plan"
	"github.com/stream-events/stream-events/internal/stackread"
	"github.com/stream-events/stream-events/internal/textsafe"
)

// planOutcome is what planning one service found.
type planOutcome struct {
	stack string
	plan  plan.Plan // nil when there is no plan
	note  string    // why there is no plan, or what it compared with
}

// planAll compares every service with its deployed stack (plan: auto).
// It needs AWS: without credentials in the job or role-to-assume it says
// so once and plans nothing. With deploy: preview the change set is the
// plan, so no stack is read.
func (a *action) planAll(services []*service, mode deploy.Mode) {
	a.rv.plans = map[*service]*planOutcome{}
	switch {
	case a.in.plan == "off":
		a.eachPlan(services, "not planned (plan: off)")
		return
	case mode == deploy.Preview:
		return
	case !a.aws.CredentialsExpected(a.in.roleToAssume):
		a.r.command("notice", map[string]string{"title": "stream-events plan skipped"},
			"plan: auto: no AWS credentials in the job and no role-to-assume, so the deployed stacks cannot be read; "+
				"set role-to-assume (with permissions: id-token: write) or configure credentials before this step, or set plan: off")
		a.eachPlan(services, "skipped: no AWS credentials in the job")
		return
	}
	for _, s := range services {
		a.rv.plans[s] = a.planService(s)
	}
}

func (a *action) eachPlan(services []*service, note string) {
	for _, s := range services {
		a.rv.plans[s] = &planOutcome{note: note}
	}
}

// planService reads the stack the service deploys to and compares it with
// the template of the mode input. A failure to read it is a warning: the
// plan is advice, and a deploy reports its own failures.
func (a *action) planService(s *service) *planOutcome {
	o := &planOutcome{}
	if s.cfg == nil {
		o.note = "not planned: the config cannot be read"
		return o
	}
	if s.noStreams {
		o.note = "not planned: the service has no stream events"
		return o
	}
	res, err := pipeline.Plan(s.cfg, pipeline.Options{Mode: a.in.mode, RoleName: a.in.roleName}, func(svc *compile.Service) (string, []byte, error) {
		o.stack = a.in.stackName
		if o.stack == "" || a.in.mode != pipeline.Standalone {
			o.stack = pipeline.PlanStackName(s.cfg, svc, a.in.mode)
		}
		cfg, err := a.aws.Config(a.ctx, s.region, a.in.roleToAssume)
		if err != nil {
			return "", nil, err
		}
		data, err := stackread.NewFromConfig(cfg).Template(a.ctx, o.stack)
		if stackread.IsNotFound(err) {
			return o.stack, nil, nil
		}
		return "stack " + o.stack, data, err
	})
	switch {
	case err != nil:
		a.r.ownWarning(fmt.Sprintf("plan of %s: %s", s.config, err))
		o.note = "the deployed stack could not be read: " + err.Error()
	case res.Plan == nil:
		o.note = "not planned: the config does not compile"
	default:
		o.plan = res.Plan
		a.r.logf("plan of %s against stack %s in %s: %s", s.config, o.stack, s.region, res.Plan.Summary())
	}
	// From here the summary and the comment render it: redacted now,
	// before any escaping (see internal/redact), as services and deploy
	// outcomes are.
	o.stack, o.note, o.plan = a.r.red.String(o.stack), a.r.red.String(o.note), a.redactPlan(o.plan)
	return o
}

// planMarkdown is the plan's part of the job summary.
func (a *action) planMarkdown(s *service) string {
	o := a.rv.plans[s]
	switch {
	case o == nil || s.noStreams:
		return ""
	case o.plan == nil && o.note != "": // the summary says what the comment says
		return "\n**Plan:** " + textsafe.Markdown(o.note) + "\n"
	case o.plan == nil:
		return ""
	}
	return fmt.Sprintf("\n**Plan** against stack `%s`:\n\n%s", textsafe.MarkdownCode(o.stack), plan.Markdown(o.plan))
}

// planVerdict applies fail-on to the hazards of every plan: each service
// whose plan reaches it gets one error annotation, as the comment's
// verdict says.
func (a *action) planVerdict(services []*service) error {
	if a.in.failOn == 0 {
		return nil
	}
	failing := false
	for _, s := range services {
		o := a.rv.plans[s]
		if o == nil || !o.plan.AtLeast(a.in.failOn) {
			continue
		}
		failing = true
		n := 0
		for _, sev := range []diag.Severity{diag.Error, diag.Warning} {
			if sev <= a.in.failOn {
				n += o.plan.Count(sev)
			}
		}
		a.r.ownError(map[string]string{"title": "stream-events plan"}, fmt.Sprintf("plan of %s against stack %s: %d hazard(s) at fail-on %s or worse; %s",
			s.config, o.stack, n, a.in.failOn, firstHazard(o.plan, a.in.failOn)))
	}
	if failing {
		return exit.ErrFindings
	}
	return nil
}

func firstHazard(p plan.Plan, failOn diag.Severity) string {
	for _, e := range p {
		for _, h := range e.Hazards {
			if sev, ok := diag.ParseSeverity(h.Severity); ok && sev <= failOn {
				return fmt.Sprintf("%s: %s [%s]", e.LogicalID, h.Message, h.Rule)
			}
		}
	}
	return ""
}

// hazards counts the plans' hazards by severity, for the summary's verdict.
func (a *action) hazards(services []*service) map[diag.Severity]int {
	n := map[diag.Severity]int{}
	for _, s := range services {
		if o := a.rv.plans[s]; o != nil {
			for _, sev := range []diag.Severity{diag.Error, diag.Warning, diag.Notice} {
				n[sev] += o.plan.Count(sev)
			}
		}
	}
	return n
}
