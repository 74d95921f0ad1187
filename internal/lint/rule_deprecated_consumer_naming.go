package lint

import (
	"fmt"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleDeprecatedConsumerNaming = diag.Rule{
	ID:          "deprecated-consumer-naming",
	Severity:    diag.Warning,
	Summary:     "Serverless's `KINESIS_CONSUMER_NAME_CONTAINING_SERVICE`, with the fix and the consumer name before and after",
	Serverless:  true,
	Description: "Serverless v3 deprecation KINESIS_CONSUMER_NAME_CONTAINING_SERVICE: a stream event has a consumer while provider.kinesis.consumerNamingMode is not serviceSpecific, so v4 will rename its generated consumer.",
}

// checkDeprecatedConsumerNaming fires under stream.js's own condition: any
// stream event with a truthy consumer (a consumer ARN and DynamoDB events
// included) while consumerNamingMode is not exactly "serviceSpecific".
func checkDeprecatedConsumerNaming(p *pass) {
	mode := p.root.Path("provider", "kinesis", "consumerNamingMode")
	if opaque(mode) || opaque(p.root.Path("provider", "kinesis")) || opaque(p.root.Get("provider")) {
		return
	}
	if s, ok := str(mode); ok && s == "serviceSpecific" {
		return
	}
	for _, e := range p.events {
		if e.consumer() == nil || opaque(e.get("consumer")) {
			continue
		}
		p.report(&ruleDeprecatedConsumerNaming, e.pair("consumer").Key,
			"deprecated in Serverless v3 (KINESIS_CONSUMER_NAME_CONTAINING_SERVICE): set provider.kinesis.consumerNamingMode: serviceSpecific; %s", p.renaming(e, mode))
	}
}

// renaming says what the fix changes for this event's consumer.
func (p *pass) renaming(e *event, mode *node.Node) string {
	c := e.consumer()
	switch {
	case e.typ == "dynamodb":
		return "this DynamoDB event's consumer is ignored, so nothing is renamed"
	case c.Kind != node.Bool || !c.Bool:
		return "this event uses an existing consumer, so nothing is renamed"
	case !e.hasName:
		return "the generated consumer name will then include the service and stage"
	}
	from := compile.ConsumerName(e.fn, e.name, p.service, p.stage, mode.Truthy())
	to := compile.ConsumerName(e.fn, e.name, p.service, p.stage, true)
	if from == to {
		return fmt.Sprintf("the generated consumer keeps its name %q", to)
	}
	return fmt.Sprintf("the generated consumer name changes from %q to %q, which replaces the consumer", from, to)
}
