package lint

import (
	"unicode/utf8"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/lazyre"
	"github.com/stream-events/stream-events/internal/node"
)

var ruleConsumerName = diag.Rule{
	ID:          "consumer-name",
	Severity:    diag.Error,
	Summary:     "a generated consumer name over 128 characters or with invalid characters",
	Description: "The consumer name Serverless generates for consumer: true (function + stream name [+ service + stage] + \"Consumer\") is over 128 characters or has characters Kinesis or a CloudFormation logical ID rejects.",
}

var (
	consumerNameRE = lazyre.New(`^[a-zA-Z0-9_.-]+$`)
	logicalIDRE    = lazyre.New(`^[a-zA-Z0-9]+$`)
)

func checkConsumerName(p *pass) {
	mode := p.root.Path("provider", "kinesis", "consumerNamingMode")
	if opaque(mode) {
		return
	}
	for _, e := range p.events {
		c := e.get("consumer")
		if e.typ != "kinesis" || c == nil || c.Kind != node.Bool || !c.Bool || !e.hasName {
			continue
		}
		name := compile.ConsumerName(e.fn, e.name, p.service, p.stage, mode.Truthy())
		id := compile.ConsumerLogicalID(name)
		switch {
		case utf8.RuneCountInString(name) > 128:
			p.report(&ruleConsumerName, c, "the generated consumer name %q is %d characters; Kinesis allows 128: shorten the function or stream name", name, utf8.RuneCountInString(name))
		case !consumerNameRE.MatchString(name):
			p.report(&ruleConsumerName, c, "the generated consumer name %q has characters Kinesis rejects; it allows only letters, digits, \"_\", \".\" and \"-\": rename the stream or function", name)
		case !logicalIDRE.MatchString(id):
			p.report(&ruleConsumerName, c, "the generated consumer's logical ID %q is not alphanumeric, which CloudFormation rejects; remove \".\" from the function and stream names", id)
		}
	}
}
