package lint

import (
	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
)

var ruleLogicalIDCollision = diag.Rule{
	ID:          "logical-id-collision",
	Severity:    diag.Warning,
	Summary:     "two sources with one logical ID (Serverless merges them)",
	Description: "Two stream events of one function on different sources get the same logical ID (same type and alphanumeric stream name, e.g. one stream name in two accounts), so Serverless silently merges them and one source is never read.",
}

func checkLogicalIDCollision(p *pass) {
	type first struct {
		e   *event
		src string
	}
	seen := map[string]first{}
	for _, e := range p.events {
		src, ok := e.source()
		if !ok || !e.hasName || e.typ == "" {
			continue
		}
		id := compile.StreamLogicalID(e.fn, e.typ, e.name)
		f, dup := seen[id]
		if !dup {
			seen[id] = first{e, src}
			continue
		}
		if f.src != src { // the same source is rule duplicate-source
			p.report(&ruleLogicalIDCollision, e.arnOrKey(), "this event and the one at line %d both compile to %q (stream name %q); Serverless merges them into one mapping and the other source is never read: move one event to another function", f.e.line(), id, e.name)
		}
	}
}
