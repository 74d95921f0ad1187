package lint

import (
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
)

var ruleConsumerArnStream = diag.Rule{
	ID:          "consumer-arn-stream",
	Severity:    diag.Error,
	Summary:     "a consumer ARN of another stream",
	Description: "A consumer ARN belongs to another stream than the event's arn, so the mapping reads a stream the event does not name (or fails on permissions).",
}

func checkConsumerArnStream(p *pass) {
	for _, e := range p.events {
		cs, ok1 := str(e.get("consumer"))
		as, ok2 := str(e.arn)
		if !ok1 || !ok2 || e.typ != "kinesis" {
			continue
		}
		ca, okc := parseARN(cs)
		aa, oka := parseARN(as)
		if !okc || !oka {
			continue
		}
		cStream, consumer, p1 := ca.kinesis()
		aStream, _, p2 := aa.kinesis()
		if p1 != "" || p2 != "" || consumer == "" {
			continue // malformed: rule arn-format
		}
		if cStream != aStream || !same(ca.region, aa.region) || !same(ca.account, aa.account) {
			p.report(&ruleConsumerArnStream, e.get("consumer"), "consumer belongs to stream %s but arn is stream %s; use a consumer registered on %s, or consumer: true to create one",
				quote(ca.account+"/"+ca.region+"/"+cStream), quote(aa.account+"/"+aa.region+"/"+aStream), quote(aStream))
		}
	}
}

// same compares two ARN segments; a placeholder matches anything.
func same(a, b string) bool {
	return a == b || strings.Contains(a, wildcard) || strings.Contains(b, wildcard)
}
