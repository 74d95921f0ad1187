package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleDynamodbConsumer = diag.Rule{
	ID:          "dynamodb-consumer",
	Severity:    diag.Warning,
	Summary:     "`consumer` on a DynamoDB stream (ignored)",
	Description: "consumer is set on a DynamoDB stream event; enhanced fan-out exists only for Kinesis and Serverless silently ignores it.",
}

func checkDynamodbConsumer(p *pass) {
	for _, e := range p.events {
		if e.typ == "dynamodb" && e.pair("consumer") != nil && !opaque(e.get("consumer")) {
			p.report(&ruleDynamodbConsumer, e.pair("consumer").Key, "consumer has no effect on a DynamoDB stream (enhanced fan-out is Kinesis-only) and Serverless ignores it; remove it")
		}
	}
}
