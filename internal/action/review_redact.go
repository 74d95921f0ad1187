package action

import (
	"slices"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/plan"
	"github.com/stream-events/stream-events/internal/review"
)

// redactReview redacts every value the comment shows before review.Body
// escapes it: once escaped for Markdown ("ghs\_..."), a secret no longer
// matches the redactor. The body is redacted again as a whole, like every
// other sink.
func (a *action) redactReview(in []review.Service) []review.Service {
	red := a.r.red.String
	out := slices.Clone(in)
	for i := range out {
		s := &out[i]
		s.Name, s.Config, s.PlanNote, s.ChangeSet = red(s.Name), red(s.Config), red(s.PlanNote), red(s.ChangeSet)
		fs := make(diag.Findings, len(s.Findings))
		for j, f := range s.Findings {
			f.Message, f.Rule, f.Range.File = red(f.Message), red(f.Rule), red(f.Range.File)
			fs[j] = f
		}
		s.Findings = fs
		s.Plan = a.redactPlan(s.Plan)
	}
	return out
}

// redactPlan returns p with every text redacted; a property value that
// holds a secret becomes the string "***".
func (a *action) redactPlan(p plan.Plan) plan.Plan {
	if p == nil {
		return nil
	}
	red := a.r.red.String
	value := func(n *node.Node) *node.Node {
		if n == nil {
			return nil
		}
		if s := n.Stringify(); red(s) != s {
			return node.NewString("***", n.Range)
		}
		return n
	}
	out := make(plan.Plan, len(p))
	for i, e := range p {
		e.LogicalID, e.Type = red(e.LogicalID), red(e.Type)
		changes := make([]plan.Change, len(e.Changes))
		for j, c := range e.Changes {
			c.Property, c.Before, c.After = red(c.Property), value(c.Before), value(c.After)
			changes[j] = c
		}
		hazards := make([]plan.Hazard, len(e.Hazards))
		for j, h := range e.Hazards {
			h.Message = red(h.Message)
			hazards[j] = h
		}
		e.Changes, e.Hazards = changes, hazards
		out[i] = e
	}
	return out
}
