package action

import (
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/plan"
)

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
