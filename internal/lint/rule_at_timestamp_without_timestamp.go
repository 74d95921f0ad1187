package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleAtTimestampWithoutTimestamp = diag.Rule{
	ID:          "at-timestamp-without-timestamp",
	Severity:    diag.Error,
	Summary:     "AT_TIMESTAMP without startingPositionTimestamp",
	Description: "A Kinesis event starts AT_TIMESTAMP without startingPositionTimestamp: Serverless stops when the event has a consumer, and Lambda rejects the mapping (\"Need to specify a timestamp\") when it has none.",
}

func checkAtTimestampWithoutTimestamp(p *pass) {
	for _, e := range p.events {
		sp, _ := e.startingPosition()
		ts := e.get("startingPositionTimestamp")
		if e.typ != "kinesis" || sp != "AT_TIMESTAMP" || ts.Truthy() || opaque(ts) {
			continue
		}
		why := "Lambda rejects the mapping (\"Need to specify a timestamp\")"
		if e.consumer() != nil {
			why = "Serverless v3 stops with \"You must specify startingPositionTimestamp\""
		}
		p.report(&ruleAtTimestampWithoutTimestamp, e.get("startingPosition"),
			"startingPosition AT_TIMESTAMP needs startingPositionTimestamp (Unix seconds); %s", why)
	}
}
