package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
)

var ruleDynamodbReaders = diag.Rule{
	ID:          "dynamodb-readers",
	Severity:    diag.Warning,
	Summary:     "more than two functions reading one DynamoDB stream",
	Description: "More than two functions read one DynamoDB stream; DynamoDB Streams throttles more than two concurrent readers per shard.",
}

func checkDynamodbReaders(p *pass) {
	readers := map[string][]*event{} // source -> one event per function
	var order []string
	for _, e := range p.events {
		src, ok := e.source()
		if !ok || e.typ != "dynamodb" {
			continue
		}
		if _, seen := readers[src]; !seen {
			order = append(order, src)
		}
		if !hasFunction(readers[src], e.fn) {
			readers[src] = append(readers[src], e)
		}
	}
	for _, src := range order {
		evs := readers[src]
		if len(evs) <= 2 {
			continue
		}
		names := make([]string, len(evs))
		for i, e := range evs {
			names[i] = e.fn
		}
		for _, e := range evs[2:] {
			p.report(&ruleDynamodbReaders, e.arnOrKey(), "this DynamoDB stream is read by %d functions (%s); more than two readers per shard are throttled: fan out from one function, or stream the table to Kinesis", len(evs), strings.Join(names, ", "))
		}
	}
}

func hasFunction(evs []*event, fn string) bool {
	for _, e := range evs {
		if e.fn == fn {
			return true
		}
	}
	return false
}
