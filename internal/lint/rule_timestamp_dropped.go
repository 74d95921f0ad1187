package lint

import "github.com/stream-events/stream-events/internal/diag"

var ruleTimestampDropped = diag.Rule{
	ID:          "timestamp-dropped",
	Severity:    diag.Error,
	Summary:     "a timestamp Serverless drops (Kinesis without consumer)",
	Description: "Serverless v3 emits startingPositionTimestamp only for Kinesis events with a consumer, so an AT_TIMESTAMP event without one deploys without its timestamp and Lambda rejects it.",
}

func checkTimestampDropped(p *pass) {
	for _, e := range p.events {
		sp, _ := e.startingPosition()
		ts := e.pair("startingPositionTimestamp")
		if e.typ != "kinesis" || sp != "AT_TIMESTAMP" || ts == nil || !ts.Value.Truthy() || e.consumer() != nil {
			continue
		}
		p.report(&ruleTimestampDropped, ts.Key,
			"startingPositionTimestamp is dropped by Serverless v3 for Kinesis events without a consumer, so the mapping gets AT_TIMESTAMP without a timestamp and Lambda rejects it; add consumer: true or start at TRIM_HORIZON or LATEST")
	}
}
