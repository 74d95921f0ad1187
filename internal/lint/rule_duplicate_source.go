package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleDuplicateSource = diag.Rule{
	ID:          "duplicate-source",
	Severity:    diag.Error,
	Summary:     "two events of one function on one source (AWS rejects, Serverless merges)",
	Description: "One function has two stream events on the same source: AWS allows one mapping per function and source (it rejects the second), and Serverless silently merges both events into one mapping.",
}

func checkDuplicateSource(p *pass) {
	type key struct{ fn, src string }
	seen := map[key]*event{}
	for _, e := range p.events {
		src, ok := e.source()
		if !ok {
			continue
		}
		k := key{e.fn, src}
		first, dup := seen[k]
		if !dup {
			seen[k] = e
			continue
		}
		p.report(&ruleDuplicateSource, e.arnOrKey(), "function %q already reads this source in the stream event at line %d; AWS allows one mapping per function and source, and Serverless merges both into one mapping where the later settings win: combine them into one event", e.fn, first.line())
	}
}

// arnOrKey is where findings about the event's source point: its arn, or
// the stream key when the arn is the whole value.
func (e *event) arnOrKey() *node.Node {
	if e.arn != nil {
		return e.arn
	}
	return e.key
}
