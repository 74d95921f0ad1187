package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleArnFormat = diag.Rule{
	ID:          "arn-format",
	Severity:    diag.Error,
	Summary:     "a malformed Kinesis stream, consumer or DynamoDB stream ARN",
	Description: "A literal Kinesis stream, Kinesis consumer or DynamoDB stream ARN is malformed (partition, region, 12-digit account, resource path or name), which CloudFormation or Lambda rejects.",
}

func checkArnFormat(p *pass) {
	for _, e := range p.events {
		if s, ok := str(e.arn); ok {
			p.arnFormat(e.arn, s, "arn")
		}
		if s, ok := str(e.get("consumer")); ok && e.typ == "kinesis" {
			p.consumerFormat(e.get("consumer"), s)
		}
	}
}

func (p *pass) arnFormat(n *node.Node, s, name string) {
	a, ok := parseARN(s)
	if !ok {
		if len(s) > 4 && s[:4] == "arn:" {
			p.report(&ruleArnFormat, n, "%s %q is not a valid ARN; expected arn:<partition>:<service>:<region>:<account>:<resource>", name, s)
		}
		return
	}
	switch a.service {
	case "kinesis":
		if _, _, problem := a.kinesis(); problem != "" {
			p.report(&ruleArnFormat, n, "%s %q is not a valid Kinesis stream ARN: %s; expected arn:aws:kinesis:<region>:<account>:stream/<name>", name, s, problem)
		}
	case "dynamodb":
		// A table ARN is rule table-arn's.
		if table, problem := a.dynamodbStream(); problem != "" && !table {
			p.report(&ruleArnFormat, n, "%s %q is not a valid DynamoDB stream ARN: %s; expected arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>", name, s, problem)
		}
	}
}

func (p *pass) consumerFormat(n *node.Node, s string) {
	a, ok := parseARN(s)
	if !ok {
		return // not an ARN at all: schema-pattern
	}
	_, consumer, problem := a.kinesis()
	if problem == "" && consumer == "" {
		problem = "it names a stream, not a consumer"
	}
	if a.service != "kinesis" {
		problem = "its service is " + quote(a.service) + ", not kinesis"
	}
	if problem != "" {
		p.report(&ruleArnFormat, n, "consumer %q is not a valid Kinesis consumer ARN: %s; expected arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<timestamp>", s, problem)
	}
}
