package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleOnFailureDestination = diag.Rule{
	ID:          "on-failure-destination",
	Severity:    diag.Error,
	Summary:     "an onFailure destination that is not SQS or SNS (S3: AWS accepts it, Serverless does not)",
	Description: "An onFailure destination is not an SQS queue or SNS topic (S3 is accepted by AWS but not by Serverless v3), its type disagrees with its ARN, or its ARN is longer than 350 characters.",
}

func checkOnFailureDestination(p *pass) {
	for _, e := range p.events {
		of := e.get("destinations").Get("onFailure")
		if of == nil || opaque(of) {
			continue
		}
		arnNode, typNode := of, (*node.Node)(nil)
		if of.IsMap() {
			arnNode, typNode = of.Get("arn"), of.Get("type")
		}
		if s, ok := str(arnNode); ok {
			p.onFailureArn(arnNode, s, typNode)
		}
	}
}

func (p *pass) onFailureArn(n *node.Node, s string, typNode *node.Node) {
	if utf8.RuneCountInString(s) > 350 {
		p.report(&ruleOnFailureDestination, n, "onFailure ARN is %d characters; Lambda allows at most 350", utf8.RuneCountInString(s))
	}
	a, ok := parseARN(s)
	if !ok || a.service == wildcard {
		return
	}
	typ, hasType := str(typNode)
	switch a.service {
	case "sqs", "sns":
		if hasType && (typ == "sns" || typ == "sqs") && typ != a.service {
			p.report(&ruleOnFailureDestination, typNode, "onFailure type %q does not match the %s ARN; Serverless grants %s instead of %s, so Lambda cannot deliver failed batches: set type: %s", typ, a.service, grant(typ), grant(a.service), a.service)
		}
	case "s3":
		p.report(&ruleOnFailureDestination, n, "onFailure %q is an S3 bucket: AWS accepts S3 destinations for stream mappings, but Serverless v3 supports only SQS and SNS (type: s3 is refused and the role gets sqs:SendMessage, not s3:PutObject); use an SQS queue or SNS topic", s)
	default:
		p.report(&ruleOnFailureDestination, n, "onFailure %q is %s ARN; stream mappings accept only an SQS queue or SNS topic (or S3 on AWS, which Serverless v3 does not support)", s, article(a.service))
	}
}

func grant(typ string) string {
	if typ == "sns" {
		return "sns:Publish"
	}
	return "sqs:SendMessage"
}

// article puts "a" or "an" before a service name ("an events ARN").
func article(service string) string {
	if service != "" && strings.ContainsRune("aeiou", rune(service[0])) {
		return "an " + service
	}
	return "a " + service
}
