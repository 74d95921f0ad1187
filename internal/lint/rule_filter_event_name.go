package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleFilterEventName = diag.Rule{
	ID:          "filter-event-name",
	Severity:    diag.Warning,
	Summary:     "an eventName other than INSERT, MODIFY, REMOVE",
	Description: "A DynamoDB filter matches an eventName other than INSERT, MODIFY or REMOVE, which never occurs, so those records are discarded.",
}

var eventNames = []string{"INSERT", "MODIFY", "REMOVE"}

func checkFilterEventName(p *pass) {
	for _, e := range p.events {
		if e.typ != "dynamodb" {
			continue
		}
		for _, pat := range e.patterns() {
			if l := pat.Get("eventName"); l.IsSeq() {
				p.eventNames(l)
			}
		}
	}
}

func (p *pass) eventNames(l *node.Node) {
	for _, v := range l.Items {
		values := []*node.Node{v}
		if ab := v.Get("anything-but"); ab != nil {
			values = append([]*node.Node{ab}, ab.Items...)
		}
		for _, s := range values {
			if name, ok := str(s); ok && !contains(eventNames, name) {
				p.report(&ruleFilterEventName, s, "eventName %q never occurs; DynamoDB stream records have eventName %s%s", name, quoteList(eventNames, "or"), didYouMean(name, eventNames))
			}
		}
	}
}
