package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleTumblingWindow = diag.Rule{
	ID:          "tumbling-window",
	Severity:    diag.Notice,
	Summary:     "tumbling windows and the handler's `state` contract",
	Description: "tumblingWindowInSeconds is set: the handler must return {state: ...} (at most 1 MB per shard), or Lambda treats every batch as failed and retries it.",
}

func checkTumblingWindow(p *pass) {
	for _, e := range p.events {
		t := e.get("tumblingWindowInSeconds")
		if opaque(t) {
			continue
		}
		if f, ok := asNumber(t); ok && t != nil && f > 0 {
			p.report(&ruleTumblingWindow, t, "with tumblingWindowInSeconds %s the handler must return {state: ...} (at most 1 MB per shard); a response without state counts as a failed batch and is retried", num(f))
		}
	}
}
