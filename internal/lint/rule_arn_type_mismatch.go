package lint

import (
	"github.com/stream-events/stream-events/internal/diag"
)

var ruleArnTypeMismatch = diag.Rule{
	ID:          "arn-type-mismatch",
	Severity:    diag.Error,
	Summary:     "a `type` that disagrees with the source",
	Description: "The stream's type disagrees with its source (an ARN of another service, a Kinesis stream typed dynamodb or the reverse), so Serverless grants the wrong IAM actions or names a non-stream source.",
}

func checkArnTypeMismatch(p *pass) {
	for _, e := range p.events {
		explicit, hasType := e.strProp("type")
		d := p.sourceService(e)
		src := d.service
		switch {
		case src == "":
		case hasType && explicit != src && (explicit == "dynamodb" || explicit == "kinesis") && (src == "dynamodb" || src == "kinesis"):
			p.report(&ruleArnTypeMismatch, e.get("type"), "type %q does not match %s; Serverless grants %s read actions from type, so Lambda cannot read the stream: set type: %s", explicit, d.what(), explicit, src)
		case src != "dynamodb" && src != "kinesis" && !hasType && e.arn.IsString():
			p.report(&ruleArnTypeMismatch, e.arn, "%s is not a DynamoDB or Kinesis stream; stream events read only those (use the event type for %s, such as sqs)", d.what(), src)
		}
	}
}

// sourceDesc is the service an arn names ("dynamodb", "kinesis", "sqs"...,
// "" when it is not known) and, in pieces, a phrase for messages: only a
// finding joins them.
type sourceDesc struct{ service, pre, name, post string }

func (d sourceDesc) what() string { return d.pre + d.name + d.post }

func (p *pass) sourceService(e *event) sourceDesc {
	if s, ok := str(e.arn); ok {
		if a, ok := parseARN(s); ok && a.service != "" && a.service != wildcard {
			return sourceDesc{a.service, "the ", a.service, " ARN"}
		}
		return sourceDesc{}
	}
	if !e.arn.IsMap() {
		return sourceDesc{}
	}
	id, attr, ok := getAtt(e.arn)
	if !ok {
		return sourceDesc{}
	}
	switch {
	case attr == "StreamArn":
		return sourceDesc{"dynamodb", "!GetAtt ", id, ".StreamArn, a DynamoDB table stream"}
	case p.resourceType(id) == typeStream:
		return sourceDesc{"kinesis", "the Kinesis stream ", id, ""}
	case p.resourceType(id) == typeTable:
		return sourceDesc{"dynamodb", "the DynamoDB table ", id, ""}
	}
	return sourceDesc{}
}
