package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleDynamodbAtTimestamp = diag.Rule{
	ID:          "dynamodb-at-timestamp",
	Severity:    diag.Error,
	Summary:     "AT_TIMESTAMP on a DynamoDB stream",
	Description: "startingPosition AT_TIMESTAMP on a DynamoDB stream, which Lambda supports only for Kinesis (and Kafka/DocumentDB) sources, so creating the mapping fails.",
}

func checkDynamodbAtTimestamp(p *pass) {
	for _, e := range p.events {
		if sp, _ := e.startingPosition(); e.typ == "dynamodb" && sp == "AT_TIMESTAMP" {
			p.report(&ruleDynamodbAtTimestamp, e.get("startingPosition"),
				"startingPosition AT_TIMESTAMP is not supported for DynamoDB streams and Lambda rejects the mapping; use LATEST or TRIM_HORIZON")
		}
	}
}
