package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleTimestampWithoutAtTimestamp = diag.Rule{
	ID:          "timestamp-without-at-timestamp",
	Severity:    diag.Warning,
	Summary:     "a timestamp without AT_TIMESTAMP",
	Description: "startingPositionTimestamp is set but startingPosition is not AT_TIMESTAMP, so the timestamp is ignored (or dropped by Serverless).",
}

func checkTimestampWithoutAtTimestamp(p *pass) {
	for _, e := range p.events {
		ts := e.pair("startingPositionTimestamp")
		if ts == nil || ts.Value.IsNull() || opaque(e.get("startingPosition")) {
			continue
		}
		sp, given := e.startingPosition()
		switch {
		case e.typ == "dynamodb" && sp != "AT_TIMESTAMP":
			p.report(&ruleTimestampWithoutAtTimestamp, ts.Key,
				"startingPositionTimestamp has no effect on a DynamoDB stream and Serverless drops it; remove it")
		case sp != "AT_TIMESTAMP" && given:
			p.report(&ruleTimestampWithoutAtTimestamp, ts.Key,
				"startingPositionTimestamp is ignored because startingPosition is %q; set startingPosition: AT_TIMESTAMP or remove the timestamp", sp)
		case sp != "AT_TIMESTAMP":
			p.report(&ruleTimestampWithoutAtTimestamp, ts.Key,
				"startingPositionTimestamp is ignored because startingPosition defaults to \"TRIM_HORIZON\"; set startingPosition: AT_TIMESTAMP or remove the timestamp")
		}
	}
}
